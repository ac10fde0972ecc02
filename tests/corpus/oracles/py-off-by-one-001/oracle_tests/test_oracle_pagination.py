import unittest

from app.pagination import paginate


class OraclePagination(unittest.TestCase):
    def test_first_page(self):
        self.assertEqual(paginate(list("abcdef"), 1, 4).items, list("abcd"))

    def test_last_partial_page(self):
        p = paginate(list("abcdef"), 2, 4)
        self.assertEqual(p.items, ["e", "f"])
        self.assertFalse(p.has_next)

    def test_page_size_one(self):
        self.assertEqual(paginate([7, 8, 9], 3, 1).items, [9])

    def test_beyond_end(self):
        self.assertEqual(paginate([1, 2], 5, 2).items, [])

    def test_all_items_covered(self):
        data = list(range(37))
        seen = []
        for n in range(1, paginate(data, 1, 5).pages + 1):
            seen.extend(paginate(data, n, 5).items)
        self.assertEqual(seen, data)


if __name__ == "__main__":
    unittest.main()
