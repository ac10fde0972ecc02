"""Tiny routing table for the admin API."""
import re


class Route:
    def __init__(self, method, pattern, handler):
        self.method = method.upper()
        self.pattern = pattern
        self.handler = handler
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.regex = re.compile("^" + regex + "$")

    def match(self, method, path):
        if method.upper() != self.method:
            return None
        m = self.regex.match(path)
        return m.groupdict() if m else None


class Router:
    def __init__(self):
        self.routes = []

    def add(self, method, pattern, handler):
        self.routes.append(Route(method, pattern, handler))
        return self

    def match(self, method, path):
        """Return (route, params) or None when nothing matches."""
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None

    def allowed_methods(self, path):
        return sorted({r.method for r in self.routes if r.regex.match(path)})


def dispatch(router, method, path):
    """Run the handler for (method, path); returns (status, body)."""
    found = router.match(method, path)
    route, params = found
    return 200, route.handler(**params)
