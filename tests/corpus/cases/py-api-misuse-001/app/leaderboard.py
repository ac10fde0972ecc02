"""Leaderboard for the weekly coding challenge."""


class Score:
    __slots__ = ("player", "points", "solved_at")

    def __init__(self, player, points, solved_at):
        self.player = player
        self.points = points
        self.solved_at = solved_at


def best_per_player(scores):
    best = {}
    for s in scores:
        cur = best.get(s.player)
        if cur is None or (s.points, -s.solved_at) > (cur.points, -cur.solved_at):
            best[s.player] = s
    return list(best.values())


def leaderboard(scores, limit=10):
    """Rank players by points (desc), earlier solve time breaking ties.

    Returns a list of (rank, player, points); equal (points, time) share a rank.
    """
    ranked = best_per_player(scores).sort(key=lambda s: (-s.points, s.solved_at))
    out = []
    prev_key = None
    rank = 0
    for position, s in enumerate(ranked, start=1):
        key = (s.points, s.solved_at)
        if key != prev_key:
            rank = position
            prev_key = key
        out.append((rank, s.player, s.points))
    return out[:limit]


def player_rank(scores, player):
    for rank, name, _ in leaderboard(scores, limit=len(scores) or 1):
        if name == player:
            return rank
    return None
