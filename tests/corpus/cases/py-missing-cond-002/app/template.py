"""Tiny {{name}} / {{name|filter}} templating for notification e-mails."""
import html
import re

TOKEN = re.compile(r"\{\{\s*([a-zA-Z_][\w.]*)\s*(?:\|\s*(\w+)\s*)?\}\}")

FILTERS = {
    "upper": lambda s: s.upper(),
    "lower": lambda s: s.lower(),
    "title": lambda s: s.title(),
    "raw": lambda s: s,
}


def lookup(context, dotted):
    """Resolve 'user.name' against nested dicts; raises KeyError when absent."""
    value = context
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    return value


def render(template, context, autoescape=True):
    """Substitute placeholders. Unknown names are left in the output unchanged."""

    def substitute(match):
        name, filt = match.group(1), match.group(2)
        value = lookup(context, name)
        text = "" if value is None else str(value)
        if filt:
            if filt not in FILTERS:
                raise ValueError("unknown filter %s" % filt)
            text = FILTERS[filt](text)
        if autoescape and filt != "raw":
            text = html.escape(text)
        return text

    return TOKEN.sub(substitute, template)


def placeholders(template):
    return sorted({m.group(1) for m in TOKEN.finditer(template)})
