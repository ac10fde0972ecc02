import unittest

from app.sessions import session_totals, top_users


class OracleSessions(unittest.TestCase):
    def test_empty(self):
        self.assertEqual(session_totals([]), {})

    def test_many_users(self):
        ev = []
        for i, u in enumerate("abcd"):
            ev += [(i, u, "login"), (i + 10 * (i + 1), u, "logout")]
        self.assertEqual(session_totals(ev), {"a": 10, "b": 20, "c": 30, "d": 40})
        self.assertEqual(top_users(ev, 2), ["d", "c"])

    def test_same_user_sums(self):
        ev = [(0, "u", "login"), (5, "u", "logout"), (10, "u", "login"), (12, "u", "logout")]
        self.assertEqual(session_totals(ev), {"u": 7})


if __name__ == "__main__":
    unittest.main()
