import unittest

from app.lru import LRUCache


class OracleLRU(unittest.TestCase):
    def test_invalid_capacities(self):
        for cap in (0, -1, -100, 1.5, "3", None):
            with self.assertRaises(ValueError, msg=repr(cap)):
                LRUCache(cap)

    def test_capacity_one(self):
        c = LRUCache(1)
        c.put("a", 1)
        c.put("b", 2)
        self.assertNotIn("a", c)
        self.assertEqual(c.get("b"), 2)
        self.assertEqual(len(c), 1)

    def test_update_existing(self):
        c = LRUCache(2)
        c.put("a", 1)
        c.put("a", 5)
        self.assertEqual((len(c), c.get("a"), c.evictions), (1, 5, 0))


if __name__ == "__main__":
    unittest.main()
