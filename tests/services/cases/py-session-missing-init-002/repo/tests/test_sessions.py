import base64
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from sessions import SessionStore  # noqa: E402


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class SessionStoreTest(unittest.TestCase):
    def setUp(self):
        self.clock = FakeClock()
        self.store = SessionStore(self.clock)

    def login(self, user):
        reply = self.store.handle(f"LOGIN {user}")
        self.assertTrue(reply.startswith("TOKEN "))
        return reply.split()[1]

    def test_login_then_whoami(self):
        token = self.login("ann")
        self.assertEqual(self.store.handle(f"WHOAMI {token}"), "USER ann")

    def test_logout(self):
        token = self.login("ann")
        self.assertEqual(self.store.handle(f"LOGOUT {token}"), "OK")
        self.assertEqual(self.store.handle(f"WHOAMI {token}"), "EXPIRED")

    def test_idle_expiry(self):
        token = self.login("bob")
        self.clock.now += 3600
        self.assertEqual(self.store.handle(f"WHOAMI {token}"), "EXPIRED")

    def test_forged_token_is_invalid(self):
        forged = base64.urlsafe_b64encode(b"admin:1:0123456789abcdef").decode()
        self.assertEqual(self.store.handle(f"WHOAMI {forged}"), "INVALID")

    def test_stats_sweeps_idle_sessions(self):
        self.login("ann")
        self.clock.now += 3600
        self.login("bob")
        self.assertEqual(self.store.handle("STATS"), "STATS active=1 logins=2")


if __name__ == "__main__":
    unittest.main()
