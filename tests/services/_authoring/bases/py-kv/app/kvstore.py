"""In-memory key/value store with counters and hit/miss statistics."""

MAX_KEY_LENGTH = 64


class KVStore:
    def __init__(self):
        self.data = {}
        self.hits = 0
        self.misses = 0

    def handle(self, line):
        parts = line.split()
        if not parts:
            return "ERR empty request"
        command = parts[0].upper()
        handler = self.COMMANDS.get(command)
        if handler is None:
            return f"ERR unknown command {command}"
        return handler(self, parts[1:])

    def cmd_get(self, args):
        if len(args) != 1:
            return "ERR usage: GET key"
        value = self.data.get(args[0])
        if value is None:
            self.misses += 1
            return "NOT_FOUND"
        self.hits += 1
        return f"VALUE {value}"

    def cmd_put(self, args):
        if len(args) < 2:
            return "ERR usage: PUT key value"
        key = args[0]
        if len(key) > MAX_KEY_LENGTH:
            return "ERR key too long"
        self.data[key] = " ".join(args[1:])
        return "OK"

    def cmd_del(self, args):
        if len(args) != 1:
            return "ERR usage: DEL key"
        if self.data.pop(args[0], None) is None:
            return "NOT_FOUND"
        return "OK"

    def cmd_incr(self, args):
        if len(args) not in (1, 2):
            return "ERR usage: INCR key [amount]"
        try:
            amount = int(args[1]) if len(args) == 2 else 1
        except ValueError:
            return "ERR amount must be an integer"
        current = self.data.get(args[0], "0")
        if not current.lstrip("-").isdigit():
            return "ERR value is not an integer"
        value = int(current) + amount
        self.data[args[0]] = str(value)
        return f"VALUE {value}"

    def cmd_keys(self, args):
        prefix = args[0] if args else ""
        keys = sorted(key for key in self.data if key.startswith(prefix))
        return " ".join(["KEYS"] + keys)

    def cmd_stats(self, args):
        lookups = self.hits + self.misses
        ratio = self.hits / lookups if lookups else 0.0
        return (f"STATS keys={len(self.data)} hits={self.hits} "
                f"misses={self.misses} hit_ratio={ratio:.2f}")

    COMMANDS = {
        "GET": cmd_get,
        "PUT": cmd_put,
        "DEL": cmd_del,
        "INCR": cmd_incr,
        "KEYS": cmd_keys,
        "STATS": cmd_stats,
    }
