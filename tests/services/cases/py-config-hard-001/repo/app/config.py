"""Configuration server: dotted keys whose values may reference other keys as ${key}."""

import re

REFERENCE = re.compile(r"\$\{([A-Za-z0-9_.-]+)\}")

DEFAULTS = {
    "app.name": "shop",
    "app.host": "localhost",
    "app.port": "8080",
    "app.url": "http://${app.host}:${app.port}/",
    "log.file": "/var/log/${app.name}.log",
}


class ConfigError(Exception):
    """A value that cannot be expanded."""


class ConfigServer:
    def __init__(self, values=None):
        self.values = dict(DEFAULTS if values is None else values)

    def handle(self, line):
        parts = line.split(maxsplit=2)
        if not parts:
            return "ERR empty request"
        command, args = parts[0].upper(), parts[1:]
        try:
            if command == "GET" and len(args) == 1:
                return f"VALUE {self.expand(args[0])}"
            if command == "SET" and len(args) == 2:
                return self.set_value(*args)
        except ConfigError as err:
            return f"ERR {err}"
        if command == "RAW" and len(args) == 1:
            raw = self.values.get(args[0])
            return "NOT_FOUND" if raw is None else f"RAW {raw}"
        if command == "KEYS":
            prefix = args[0] if args else ""
            return " ".join(["KEYS"] + sorted(k for k in self.values if k.startswith(prefix)))
        return "ERR usage: GET key | SET key value | RAW key | KEYS [prefix]"

    def expand(self, key):
        """The value of key with every ${other} reference replaced, recursively."""
        raw = self.values.get(key)
        if raw is None:
            raise ConfigError(f"undefined key {key}")
        return REFERENCE.sub(lambda ref: self.expand(ref.group(1)), raw)

    def set_value(self, key, raw):
        """Store a value, but only if it expands; the old value stays otherwise."""
        previous = self.values.get(key)
        self.values[key] = raw
        try:
            expanded = self.expand(key)
        except ConfigError:
            if previous is None:
                del self.values[key]
            else:
                self.values[key] = previous
            raise
        return f"OK {expanded}"
