import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from kvstore import KVStore  # noqa: E402


class KVStoreTest(unittest.TestCase):
    def setUp(self):
        self.kv = KVStore()

    def test_put_then_get(self):
        self.assertEqual(self.kv.handle("PUT color deep blue"), "OK")
        self.assertEqual(self.kv.handle("GET color"), "VALUE deep blue")

    def test_delete(self):
        self.kv.handle("PUT a 1")
        self.assertEqual(self.kv.handle("DEL a"), "OK")
        self.assertEqual(self.kv.handle("DEL a"), "NOT_FOUND")

    def test_incr_default_and_amount(self):
        self.assertEqual(self.kv.handle("INCR visits"), "VALUE 1")
        self.assertEqual(self.kv.handle("INCR visits 5"), "VALUE 6")

    def test_incr_rejects_text_value(self):
        self.kv.handle("PUT name ann")
        self.assertEqual(self.kv.handle("INCR name"), "ERR value is not an integer")

    def test_keys_by_prefix(self):
        for key in ("user:1", "user:2", "order:1"):
            self.kv.handle(f"PUT {key} x")
        self.assertEqual(self.kv.handle("KEYS user:"), "KEYS user:1 user:2")

    def test_stats_after_hits(self):
        self.kv.handle("PUT a 1")
        self.kv.handle("GET a")
        self.assertEqual(self.kv.handle("STATS"), "STATS keys=1 hits=1 misses=0 hit_ratio=1.00")

    def test_unknown_command(self):
        self.assertEqual(self.kv.handle("FLY away"), "ERR unknown command FLY")


if __name__ == "__main__":
    unittest.main()
