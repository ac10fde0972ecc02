import unittest
from decimal import Decimal

from app.money import to_cents, from_cents, cart_total


class OracleMoney(unittest.TestCase):
    def test_rounding_half_up(self):
        self.assertEqual(to_cents("0.005"), 1)
        self.assertEqual(to_cents("1.234"), 123)
        self.assertEqual(to_cents(Decimal("2.675")), 268)

    def test_ints_and_negatives(self):
        self.assertEqual(to_cents(7), 700)
        self.assertEqual(to_cents("-3.10"), -310)

    def test_roundtrip(self):
        for c in (0, 1, 99, 12345):
            self.assertEqual(to_cents(from_cents(c)), c)

    def test_cart(self):
        self.assertEqual(cart_total([("10", 3)]), 3000)


if __name__ == "__main__":
    unittest.main()
