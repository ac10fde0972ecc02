"""Catalog data the price calculator quotes from (prices in cents)."""

PRICES = {
    "widget": 1299,
    "gadget": 2450,
    "gizmo": 499,
    "cable": 350,
}

# Quantity tiers, largest first: (minimum quantity, discount percent).
TIERS = [(100, 15), (50, 10), (10, 5)]

COUPONS = {
    "SAVE10": {"percent": 10, "min_qty": 1},
    "BULK25": {"percent": 25, "min_qty": 20},
}
