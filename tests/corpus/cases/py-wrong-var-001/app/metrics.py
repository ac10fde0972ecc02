"""Aggregate per-endpoint request metrics from parsed access records."""


def endpoint_stats(records):
    """records: iterable of dicts with 'path', 'status', 'ms'.

    Returns {path: {"count", "error_rate", "p_max", "avg_ms"}} with error_rate
    the fraction of that endpoint's requests answered with a 5xx status.
    """
    per_path = {}
    total_requests = 0
    for rec in records:
        total_requests += 1
        bucket = per_path.setdefault(rec["path"], {"count": 0, "errors": 0, "ms": []})
        bucket["count"] += 1
        if rec["status"] >= 500:
            bucket["errors"] += 1
        bucket["ms"].append(rec["ms"])

    out = {}
    for path, b in per_path.items():
        count = b["count"]
        out[path] = {
            "count": count,
            "error_rate": round(b["errors"] / total_requests, 4),
            "p_max": max(b["ms"]),
            "avg_ms": round(sum(b["ms"]) / count, 2),
            "share": round(count / total_requests, 4),
        }
    return out


def worst_endpoints(stats, n=3):
    ranked = sorted(stats.items(), key=lambda kv: (-kv[1]["error_rate"], kv[0]))
    return [path for path, s in ranked[:n] if s["error_rate"] > 0]


def render_table(stats):
    lines = ["%-20s %6s %8s %8s" % ("path", "count", "err%", "avg_ms")]
    for path in sorted(stats):
        s = stats[path]
        lines.append("%-20s %6d %7.1f%% %8.2f" % (path, s["count"], s["error_rate"] * 100, s["avg_ms"]))
    return "\n".join(lines)
