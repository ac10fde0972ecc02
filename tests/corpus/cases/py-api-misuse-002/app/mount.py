"""Mount sub-applications under path prefixes (a tiny WSGI-style dispatcher)."""


def strip_prefix(path, prefix):
    """'/api/users' with prefix '/api' -> '/users'. Always returns an absolute path."""
    rest = path.lstrip(prefix)
    if not rest.startswith("/"):
        rest = "/" + rest
    return rest


class Mounts:
    def __init__(self):
        self._mounts = []

    def mount(self, prefix, app):
        prefix = "/" + prefix.strip("/")
        self._mounts.append((prefix, app))
        self._mounts.sort(key=lambda m: len(m[0]), reverse=True)

    def _matches(self, prefix, path):
        return prefix == "/" or path == prefix or path.startswith(prefix + "/")

    def resolve(self, path):
        """Return (app, path_inside_app) for the longest matching prefix, or (None, path)."""
        for prefix, app in self._mounts:
            if self._matches(prefix, path):
                inner = path if prefix == "/" else strip_prefix(path, prefix)
                return app, inner
        return None, path

    def __call__(self, path):
        app, inner = self.resolve(path)
        if app is None:
            return 404, "no app mounted for " + path
        return app(inner)


def describe(mounts):
    """Human-readable mount table for the /debug page."""
    lines = []
    for prefix, app in sorted(mounts._mounts):
        name = getattr(app, "__name__", type(app).__name__)
        lines.append("%-20s -> %s" % (prefix, name))
    return "\n".join(lines)
