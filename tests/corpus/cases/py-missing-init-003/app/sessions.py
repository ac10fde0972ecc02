"""Session-duration accounting from login/logout events."""


def pair_sessions(events):
    """events: list of (ts, user, kind) with kind in {'login', 'logout'}.

    Returns a list of (user, start, end); unmatched logouts are ignored and
    sessions still open are closed at the last event timestamp.
    """
    open_at = {}
    sessions = []
    last_ts = None
    for ts, user, kind in sorted(events):
        last_ts = ts
        if kind == "login":
            open_at.setdefault(user, ts)
        elif kind == "logout" and user in open_at:
            sessions.append((user, open_at.pop(user), ts))
    for user, start in sorted(open_at.items()):
        sessions.append((user, start, last_ts))
    return sessions


def session_totals(events):
    """Total seconds online per user."""
    for user, start, end in pair_sessions(events):
        totals = {}
        totals[user] = totals.get(user, 0) + (end - start)
    return totals


def top_users(events, n=3):
    totals = session_totals(events)
    return sorted(totals, key=lambda u: (-totals[u], u))[:n]


def concurrent_peak(events):
    """Maximum number of users online at the same time."""
    online = set()
    peak = 0
    for ts, user, kind in sorted(events):
        if kind == "login":
            online.add(user)
        elif kind == "logout":
            online.discard(user)
        peak = max(peak, len(online))
    return peak
