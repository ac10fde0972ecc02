import unittest

from app.sessions import pair_sessions, session_totals, top_users

EVENTS = [
    (100, "ann", "login"), (160, "ann", "logout"),
    (110, "bob", "login"), (400, "bob", "logout"),
    (500, "ann", "login"), (530, "ann", "logout"),
]


class SessionsTest(unittest.TestCase):
    def test_pairs(self):
        self.assertEqual(pair_sessions(EVENTS[:2]), [("ann", 100, 160)])

    def test_open_session_closed_at_end(self):
        self.assertEqual(pair_sessions([(1, "x", "login"), (9, "y", "logout")]), [("x", 1, 9)])

    def test_totals(self):
        self.assertEqual(session_totals(EVENTS), {"ann": 90, "bob": 290})


if __name__ == "__main__":
    unittest.main()
