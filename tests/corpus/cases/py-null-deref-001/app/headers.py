"""Minimal HTTP request-header helpers used by the ingest service."""


class Headers:
    """Case-insensitive multi-value header map."""

    def __init__(self, pairs=None):
        self._items = []
        for name, value in pairs or []:
            self.add(name, value)

    def add(self, name, value):
        self._items.append((name.lower(), value.strip()))

    def get(self, name, default=None):
        name = name.lower()
        for key, value in self._items:
            if key == name:
                return value
        return default

    def get_all(self, name):
        name = name.lower()
        return [v for k, v in self._items if k == name]

    def __len__(self):
        return len(self._items)


def parse_raw(raw):
    """Parse a raw header block ("Name: value" lines) into Headers."""
    headers = Headers()
    for line in raw.split("\r\n"):
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError("malformed header line: %r" % line)
        headers.add(name.strip(), value)
    return headers


def content_type(headers):
    """Return (mime_type, params) for the Content-Type header.

    A missing header means application/octet-stream with no parameters.
    """
    raw = headers.get("content-type")
    parts = raw.split(";")
    mime = parts[0].strip().lower()
    params = {}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        params[key.strip().lower()] = val.strip().strip('"')
    return mime, params


def charset(headers, default="utf-8"):
    _, params = content_type(headers)
    return params.get("charset", default)
