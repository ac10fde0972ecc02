import unittest

from app.pagination import paginate


class PaginationTest(unittest.TestCase):
    def test_pages_count(self):
        p = paginate(list(range(45)), page=1, per_page=10)
        self.assertEqual(p.pages, 5)
        self.assertTrue(p.has_next)
        self.assertFalse(p.has_prev)

    def test_invalid_page(self):
        with self.assertRaises(ValueError):
            paginate([1, 2], page=0)

    def test_per_page_is_clamped(self):
        self.assertEqual(paginate([], per_page=1000).per_page, 100)

    def test_second_page_items(self):
        p = paginate(list(range(25)), page=2, per_page=10)
        self.assertEqual(p.items, list(range(10, 20)))


if __name__ == "__main__":
    unittest.main()
