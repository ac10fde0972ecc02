"""Latency percentiles (nearest-rank method) for the SLO report."""
import math


def percentile(values, p):
    """Nearest-rank percentile: the smallest value such that at least p% of the
    data is <= it. p in (0, 100]."""
    if not values:
        raise ValueError("no data")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    rank = int(p / 100 * len(ordered))
    return ordered[rank]


def summary(values, points=(50, 90, 99)):
    return {"p%g" % p: percentile(values, p) for p in points}


def slo_met(values, p, threshold_ms):
    """True if the p-th percentile latency is within the threshold."""
    return percentile(values, p) <= threshold_ms


def error_budget(values, threshold_ms, target=99.0):
    """Fraction of the error budget consumed: slow requests / allowed slow requests."""
    if not values:
        return 0.0
    slow = sum(1 for v in values if v > threshold_ms)
    allowed = len(values) * (100 - target) / 100
    if allowed == 0:
        return float("inf") if slow else 0.0
    return round(slow / allowed, 3)


def burn_rate_alert(values, threshold_ms, target=99.0, factor=2.0):
    """True when the error budget is being consumed `factor` times too fast."""
    budget = error_budget(values, threshold_ms, target)
    return budget >= factor


def format_summary(values):
    parts = ["%s=%sms" % (k, v) for k, v in summary(values).items()]
    return " ".join(parts) + " (n=%d)" % len(values)
