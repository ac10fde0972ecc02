import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from pricing import PriceCalculator, tier_discount  # noqa: E402


class PricingTest(unittest.TestCase):
    def setUp(self):
        self.calc = PriceCalculator()

    def test_list_price(self):
        self.assertEqual(self.calc.handle("PRICE widget"), "PRICE 12.99")

    def test_quote_without_discount(self):
        self.assertEqual(self.calc.handle("QUOTE gizmo 3"), "QUOTE total=14.97 unit=4.99 discount=0%")

    def test_quantity_tiers(self):
        self.assertEqual(tier_discount(9), 0)
        self.assertEqual(tier_discount(10), 5)
        self.assertEqual(tier_discount(150), 15)

    def test_coupon_beats_tier(self):
        self.assertEqual(self.calc.handle("QUOTE cable 20 bulk25"),
                         "QUOTE total=52.50 unit=2.62 discount=25%")

    def test_coupon_below_minimum(self):
        self.assertEqual(self.calc.handle("QUOTE cable 2 BULK25"),
                         "QUOTE total=7.00 unit=3.50 discount=0%")

    def test_rejects_bad_input(self):
        self.assertEqual(self.calc.handle("QUOTE rocket 1"), "ERR unknown sku")
        self.assertEqual(self.calc.handle("QUOTE widget two"), "ERR qty must be an integer")
        self.assertEqual(self.calc.handle("QUOTE widget -3"), "ERR qty must be positive")


if __name__ == "__main__":
    unittest.main()
