import unittest

from app.leaderboard import Score, leaderboard, player_rank


class OracleLeaderboard(unittest.TestCase):
    def test_shared_rank(self):
        scores = [Score("a", 10, 5), Score("b", 10, 5), Score("c", 5, 1)]
        self.assertEqual(leaderboard(scores), [(1, "a", 10), (1, "b", 10), (3, "c", 5)])

    def test_limit_and_empty(self):
        self.assertEqual(leaderboard([]), [])
        scores = [Score(str(i), i, 0) for i in range(20)]
        self.assertEqual([p for _, p, _ in leaderboard(scores, 3)], ["19", "18", "17"])

    def test_unknown_player(self):
        self.assertIsNone(player_rank([Score("a", 1, 1)], "zz"))


if __name__ == "__main__":
    unittest.main()
