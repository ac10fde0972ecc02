"""Hourly traffic aggregation for the capacity-planning report."""
from collections import Counter
from datetime import datetime


def hour_of(ts):
    """'2024-05-01T13:45:10' -> '2024-05-01T13'"""
    return datetime.fromisoformat(ts).strftime("%Y-%m-%dT%H")


def per_hour(timestamps):
    return Counter(hour_of(ts) for ts in timestamps)


def busiest_hour(timestamps):
    """Return (hour, count) of the busiest hour, earliest on ties; None when empty."""
    counts = per_hour(timestamps)
    best_count = 0
    for hour in sorted(counts):
        if counts[hour] > best_count:
            best_hour = hour
            best_count = counts[hour]
    if best_hour is None:
        return None
    return best_hour, best_count


def quiet_hours(timestamps, threshold):
    counts = per_hour(timestamps)
    return sorted(h for h, c in counts.items() if c < threshold)


def report(timestamps):
    busiest = busiest_hour(timestamps)
    if busiest is None:
        return "no traffic"
    hour, count = busiest
    return "busiest hour %s with %d requests (%d total)" % (hour, count, len(timestamps))


def hourly_series(timestamps):
    """Counts per hour in chronological order, as (hour, count) pairs."""
    counts = per_hour(timestamps)
    return [(h, counts[h]) for h in sorted(counts)]
