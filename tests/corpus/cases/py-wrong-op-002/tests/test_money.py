import unittest

from app.money import to_cents, format_money, split_evenly, apply_discount, cart_total


class MoneyTest(unittest.TestCase):
    def test_format(self):
        self.assertEqual(format_money(123456), "\u20ac1,234.56")
        self.assertEqual(format_money(-5, "USD"), "-$0.05")

    def test_split(self):
        self.assertEqual(split_evenly(100, 3), [34, 33, 33])

    def test_discount(self):
        self.assertEqual(apply_discount(1999, 10), 1799)

    def test_to_cents(self):
        self.assertEqual(to_cents("19.99"), 1999)

    def test_cart_total(self):
        self.assertEqual(cart_total([("2.50", 2), ("0.99", 1)]), 599)


if __name__ == "__main__":
    unittest.main()
