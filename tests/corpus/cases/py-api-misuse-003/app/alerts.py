"""Log-based alert rules for the on-call pager."""
import re


class AlertRule:
    def __init__(self, name, pattern, threshold=1, severity="warning"):
        self.name = name
        self.regex = re.compile(pattern)
        self.threshold = threshold
        self.severity = severity

    def matches(self, line):
        return self.regex.match(line) is not None


def evaluate(rules, lines):
    """Return fired alerts [(name, severity, count)] ordered by severity then name."""
    counts = {r.name: 0 for r in rules}
    for line in lines:
        for rule in rules:
            if rule.matches(line):
                counts[rule.name] += 1
    order = {"critical": 0, "warning": 1, "info": 2}
    fired = [(r.name, r.severity, counts[r.name]) for r in rules if counts[r.name] >= r.threshold]
    return sorted(fired, key=lambda a: (order.get(a[1], 9), a[0]))


def load_rules(spec):
    """spec: list of dicts with name/pattern and optional threshold/severity."""
    rules = []
    for item in spec:
        if "name" not in item or "pattern" not in item:
            raise ValueError("rule needs name and pattern")
        rules.append(AlertRule(item["name"], item["pattern"],
                               int(item.get("threshold", 1)), item.get("severity", "warning")))
    return rules


def format_page(alerts, service):
    """Render fired alerts as a pager message."""
    if not alerts:
        return None
    lines = ["[%s] %d alert(s)" % (service, len(alerts))]
    for name, severity, count in alerts:
        lines.append("  %-8s %s (x%d)" % (severity.upper(), name, count))
    return "\n".join(lines)
