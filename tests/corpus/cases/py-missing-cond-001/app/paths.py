"""URL path normalisation for the static file server."""

MAX_SEGMENTS = 64


def normalize_path(path):
    """Collapse '.', '..' and duplicate slashes. '..' never climbs above '/'."""
    if not path.startswith("/"):
        path = "/" + path
    stack = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            stack.pop()
            continue
        stack.append(seg)
        if len(stack) > MAX_SEGMENTS:
            raise ValueError("path too deep")
    trailing = path.endswith("/") and bool(stack)
    return "/" + "/".join(stack) + ("/" if trailing else "")


def is_under(root, path):
    root = normalize_path(root).rstrip("/") + "/"
    return (normalize_path(path).rstrip("/") + "/").startswith(root)


def resolve(root, request_path):
    """Map a request path to a file path under root; None if it escapes."""
    rel = normalize_path(request_path).lstrip("/")
    full = root.rstrip("/") + "/" + rel
    if not is_under(root, full):
        return None
    return full


def split_ext(path):
    name = path.rsplit("/", 1)[-1]
    if "." not in name.strip("."):
        return path, ""
    base, ext = path.rsplit(".", 1)
    return base, "." + ext.lower()
