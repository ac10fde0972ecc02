import unittest

from app.listing import list_params, apply


class ListingTest(unittest.TestCase):
    def test_defaults(self):
        self.assertEqual(list_params({}), {"page": 1, "per_page": 25, "sort": "created", "desc": False})

    def test_clamp_and_sort(self):
        self.assertEqual(list_params({"page": "2", "per_page": "1000", "sort": "-total"}),
                         {"page": 2, "per_page": 200, "sort": "total", "desc": True})

    def test_apply(self):
        orders = [{"created": i, "total": 10 - i, "status": "x"} for i in range(5)]
        req = list_params({"per_page": "2", "page": "2", "sort": "total"})
        self.assertEqual([o["created"] for o in apply(orders, req)], [2, 1])

    def test_garbage_page_uses_default(self):
        self.assertEqual(list_params({"page": "abc"})["page"], 1)


if __name__ == "__main__":
    unittest.main()
