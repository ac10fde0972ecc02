"""Price calculator: quantity tiers, coupons and per-unit prices."""

from catalog import COUPONS, PRICES, TIERS


def tier_discount(qty):
    for minimum, percent in TIERS:
        if qty >= minimum:
            return percent
    return 0


def cents(amount):
    return f"{amount // 100}.{amount % 100:02d}"


class PriceCalculator:
    def handle(self, line):
        parts = line.split()
        if not parts:
            return "ERR empty request"
        command, args = parts[0].upper(), parts[1:]
        if command == "PRICE" and len(args) == 1:
            price = PRICES.get(args[0])
            return "ERR unknown sku" if price is None else f"PRICE {cents(price)}"
        if command == "QUOTE" and len(args) in (2, 3):
            return self.quote(*args)
        if command == "TIERS":
            return " ".join(["TIERS"] + [f"{m}+:{p}%" for m, p in TIERS])
        return "ERR usage: PRICE sku | QUOTE sku qty [coupon] | TIERS"

    def quote(self, sku, qty_text, coupon_code=None):
        price = PRICES.get(sku)
        if price is None:
            return "ERR unknown sku"
        try:
            qty = int(qty_text)
        except ValueError:
            return "ERR qty must be an integer"
        if qty <= 0:
            return "ERR qty must be positive"
        percent = tier_discount(qty)
        if coupon_code is not None:
            coupon = COUPONS.get(coupon_code.upper())
            if qty >= coupon["min_qty"]:
                percent = max(percent, coupon["percent"])
        total = price * qty * (100 - percent) // 100
        unit = total // qty
        return f"QUOTE total={cents(total)} unit={cents(unit)} discount={percent}%"
