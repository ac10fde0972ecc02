import unittest

from app.leaderboard import Score, best_per_player, leaderboard, player_rank

SCORES = [Score("ann", 50, 10), Score("bob", 70, 30), Score("ann", 80, 40), Score("cy", 70, 20)]


class LeaderboardTest(unittest.TestCase):
    def test_best_per_player(self):
        best = {s.player: s.points for s in best_per_player(SCORES)}
        self.assertEqual(best, {"ann": 80, "bob": 70, "cy": 70})

    def test_leaderboard(self):
        self.assertEqual(leaderboard(SCORES), [(1, "ann", 80), (2, "cy", 70), (3, "bob", 70)])

    def test_player_rank(self):
        self.assertEqual(player_rank(SCORES, "bob"), 3)


if __name__ == "__main__":
    unittest.main()
