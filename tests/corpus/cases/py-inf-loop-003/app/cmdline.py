"""Split job command lines (shell-like quoting, no expansion) for the task runner."""


class QuoteError(ValueError):
    pass


def split_command(s):
    """'run --name "a b" it\\'s' -> ['run', '--name', 'a b', "it's"]"""
    args = []
    cur = []
    have_token = False
    quote = None
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\" and quote != "'" and i + 1 < n:
            cur.append(s[i + 1])
            have_token = True
            continue
        if quote:
            if c == quote:
                quote = None
            else:
                cur.append(c)
        elif c in "\"'":
            quote = c
            have_token = True
        elif c.isspace():
            if have_token:
                args.append("".join(cur))
                cur, have_token = [], False
        else:
            cur.append(c)
            have_token = True
        i += 1
    if quote:
        raise QuoteError("unterminated %s quote" % quote)
    if have_token:
        args.append("".join(cur))
    return args


def join_command(args):
    out = []
    for a in args:
        if a and all(ch.isalnum() or ch in "-_./=:" for ch in a):
            out.append(a)
        else:
            out.append("'" + a.replace("'", "'\"'\"'") + "'")
    return " ".join(out)
