"""Feature-flag server: boolean flags and percentage rollouts, stable per user."""

import zlib

DEFAULT_FLAGS = {
    "dark-mode": {"enabled": True, "percent": None},
    "new-checkout": {"enabled": True, "percent": 25},
    "beta-search": {"enabled": False, "percent": 50},
}


def rollout_bucket(flag, user):
    """Stable bucket 0..99 of a user for a flag, so a user keeps their variant."""
    return zlib.crc32(f"{flag}:{user}".encode()) % 100


class FlagStore:
    def __init__(self, flags=None):
        source = DEFAULT_FLAGS if flags is None else flags
        self.flags = {name: dict(spec) for name, spec in source.items()}

    def handle(self, line):
        parts = line.split()
        if not parts:
            return "ERR empty request"
        command, args = parts[0].upper(), parts[1:]
        if command == "CHECK" and len(args) == 2:
            return self.check(*args)
        if command == "SET":
            return self.set_flag(args)
        if command == "DELETE" and len(args) == 1:
            return self.delete(args[0])
        if command == "RENAME" and len(args) == 2:
            return self.rename(*args)
        if command == "LIST":
            return " ".join(["FLAGS"] + [self.describe(name) for name in sorted(self.flags)])
        return "ERR usage: CHECK flag user | SET flag on|off|NN% | DELETE flag | RENAME old new | LIST"

    def describe(self, name):
        flag = self.flags[name]
        if not flag["enabled"]:
            return f"{name}=off"
        if flag["percent"] is None:
            return f"{name}=on"
        return f"{name}={flag['percent']}%"

    def check(self, name, user):
        flag = self.flags.get(name)
        if flag is None:
            return "UNKNOWN_FLAG"
        if not flag["enabled"]:
            return "OFF"
        if flag["percent"] is None:
            return "ON"
        return "ON" if rollout_bucket(name, user) < flag["percent"] else "OFF"

    def set_flag(self, args):
        name, value = args[0], args[1]
        flag = self.flags.setdefault(name, {"enabled": False, "percent": None})
        if value == "on":
            flag.update(enabled=True, percent=None)
        elif value == "off":
            flag["enabled"] = False
        elif value.endswith("%"):
            try:
                percent = int(value[:-1])
            except ValueError:
                return "ERR percent must be an integer"
            if not 0 <= percent <= 100:
                return "ERR percent must be within 0..100"
            flag.update(enabled=True, percent=percent)
        else:
            return "ERR value must be on, off or NN%"
        return f"OK {self.describe(name)}"

    def delete(self, name):
        if name not in self.flags:
            return "UNKNOWN_FLAG"
        del self.flags[name]
        return "OK"

    def rename(self, old, new):
        if old not in self.flags:
            return "UNKNOWN_FLAG"
        if new in self.flags:
            return "ERR flag exists"
        self.flags[new] = self.flags.pop(old)
        return f"OK {self.describe(new)}"
