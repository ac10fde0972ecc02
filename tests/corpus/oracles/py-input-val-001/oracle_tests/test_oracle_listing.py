import unittest

from app.listing import list_params


class OracleListing(unittest.TestCase):
    def test_bad_values(self):
        for raw in ("", "1.5", "ten", "0x10", " "):
            self.assertEqual(list_params({"page": raw, "per_page": raw})["page"], 1, raw)
            self.assertEqual(list_params({"per_page": raw})["per_page"], 25, raw)

    def test_negative_and_zero(self):
        self.assertEqual(list_params({"page": "-3", "per_page": "0"})["page"], 1)
        self.assertEqual(list_params({"per_page": "0"})["per_page"], 25)

    def test_spaces_ok(self):
        self.assertEqual(list_params({"page": " 4 "})["page"], 4)

    def test_unknown_sort(self):
        self.assertEqual(list_params({"sort": "-password"})["sort"], "created")


if __name__ == "__main__":
    unittest.main()
