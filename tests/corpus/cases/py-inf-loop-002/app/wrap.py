"""Plain-text wrapping for notification e-mails and CLI output."""


def wrap(text, width=72):
    """Greedy word wrap. Words longer than `width` are hard-split."""
    if width < 1:
        raise ValueError("width must be >= 1")
    words = text.split()
    lines = []
    current = ""
    i = 0
    while i < len(words):
        word = words[i]
        if len(current) + len(word) + (1 if current else 0) <= width:
            current = current + " " + word if current else word
            i += 1
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
            i += 1
        else:
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    return lines


def indent(lines, prefix="    "):
    return [prefix + l if l else l for l in lines]


def format_paragraphs(text, width=72):
    out = []
    for para in text.split("\n\n"):
        if out:
            out.append("")
        out.extend(wrap(para, width))
    return "\n".join(out)


def truncate(text, limit, ellipsis="..."):
    if len(text) <= limit:
        return text
    return text[:max(0, limit - len(ellipsis))].rstrip() + ellipsis
