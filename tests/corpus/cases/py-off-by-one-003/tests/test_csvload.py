import unittest
from decimal import Decimal

from app.csvload import load_rows, load_prices, total

DATA = "sku,name,price\nA1,Apple,0.50\nB2,Bread,2.25\nC3,Cheese,7.10\n"


class CsvLoadTest(unittest.TestCase):
    def test_missing_columns(self):
        with self.assertRaises(ValueError):
            load_rows("sku,name\nA,b\n")

    def test_empty(self):
        self.assertEqual(load_rows(""), [])

    def test_rows(self):
        rows = load_rows(DATA)
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["name"], "Apple")

    def test_total(self):
        prices, errors = load_prices(DATA)
        self.assertEqual(errors, [])
        self.assertEqual(total(prices, ["B2", "C3"]), Decimal("9.35"))


if __name__ == "__main__":
    unittest.main()
