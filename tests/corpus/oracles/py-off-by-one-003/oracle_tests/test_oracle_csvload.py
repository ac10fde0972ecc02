import unittest
from decimal import Decimal

from app.csvload import load_rows, load_prices


class OracleCsvLoad(unittest.TestCase):
    def test_single_row(self):
        self.assertEqual(load_rows("SKU,Name,Price\nX,Thing,1\n"),
                         [{"sku": "X", "name": "Thing", "price": "1"}])

    def test_header_only(self):
        self.assertEqual(load_rows("sku,name,price\n"), [])

    def test_blank_lines_and_short_rows(self):
        rows = load_rows("sku,name,price\n\nA,a\n,,\nB,b,3\n")
        self.assertEqual([r["sku"] for r in rows], ["A", "B"])
        self.assertEqual(rows[0]["price"], "")

    def test_errors_line_numbers(self):
        prices, errors = load_prices("sku,name,price\nA,a,1.5\nB,b,oops\n")
        self.assertEqual(prices, {"A": Decimal("1.5")})
        self.assertEqual(errors, [(3, "B")])


if __name__ == "__main__":
    unittest.main()
