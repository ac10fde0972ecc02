"""Metrics aggregator: named series of observations with summary statistics.

The series listed in SEED are registered at startup (a restored snapshot), so
dashboards can query them before the first new observation arrives.
"""

SEED = {
    "latency_ms": [12.0, 15.5, 9.8, 30.1, 11.2, 14.7],
    "queue_depth": [],
}
MAX_POINTS = 1000


class Metrics:
    def __init__(self, seed=None):
        source = SEED if seed is None else seed
        self.series = {name: list(values) for name, values in source.items()}

    def handle(self, line):
        parts = line.split()
        if not parts:
            return "ERR empty request"
        command, args = parts[0].upper(), parts[1:]
        if command == "OBS" and len(args) == 2:
            return self.observe(*args)
        if command == "STATS" and len(args) == 1:
            return self.stats(args[0])
        if command == "PCT" and len(args) == 2:
            return self.percentile(*args)
        if command == "RESET" and len(args) == 1:
            return self.reset(args[0])
        if command == "NAMES":
            return " ".join(["NAMES"] + sorted(self.series))
        return "ERR usage: OBS name value | STATS name | PCT name q | RESET name | NAMES"

    def observe(self, name, value_text):
        try:
            value = float(value_text)
        except ValueError:
            return "ERR value must be a number"
        values = self.series.setdefault(name, [])
        values.append(value)
        del values[:-MAX_POINTS]
        return f"OK {len(values)}"

    def stats(self, name):
        values = self.series.get(name)
        if values is None:
            return "UNKNOWN"
        if not values:
            return "STATS count=0"
        mean = sum(values) / len(values)
        return (f"STATS count={len(values)} mean={mean:.2f} "
                f"min={min(values):g} max={max(values):g}")

    def percentile(self, name, q_text):
        try:
            q = float(q_text)
        except ValueError:
            return "ERR q must be a number"
        if not 0 <= q <= 100:
            return "ERR q must be within 0..100"
        values = sorted(self.series.get(name) or [])
        if not values:
            return "EMPTY"
        index = min(len(values) - 1, int(q / 100 * len(values)))
        return f"PCT {values[index]:g}"

    def reset(self, name):
        if name not in self.series:
            return "UNKNOWN"
        self.series[name] = []
        return "OK"
