import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from flags import FlagStore, rollout_bucket  # noqa: E402


class FlagStoreTest(unittest.TestCase):
    def setUp(self):
        self.store = FlagStore()

    def test_boolean_flag(self):
        self.assertEqual(self.store.handle("CHECK dark-mode ann"), "ON")

    def test_disabled_flag(self):
        self.assertEqual(self.store.handle("CHECK beta-search ann"), "OFF")

    def test_rollout_is_stable_and_partial(self):
        users = [f"user{i}" for i in range(200)]
        on = [u for u in users if self.store.handle(f"CHECK new-checkout {u}") == "ON"]
        self.assertTrue(0 < len(on) < len(users))
        for user in on:
            self.assertLess(rollout_bucket("new-checkout", user), 25)

    def test_set_percent_and_list(self):
        self.assertEqual(self.store.handle("SET beta-search 10%"), "OK beta-search=10%")
        self.assertIn("beta-search=10%", self.store.handle("LIST"))

    def test_set_rejects_bad_percent(self):
        self.assertEqual(self.store.handle("SET x 150%"), "ERR percent must be within 0..100")
        self.assertEqual(self.store.handle("SET x lots%"), "ERR percent must be an integer")

    def test_delete_existing(self):
        self.assertEqual(self.store.handle("DELETE dark-mode"), "OK")
        self.assertEqual(self.store.handle("CHECK dark-mode ann"), "UNKNOWN_FLAG")


if __name__ == "__main__":
    unittest.main()
