"""Money helpers for the checkout service. Amounts are stored as integer cents."""
from decimal import Decimal, ROUND_HALF_UP

CURRENCIES = {"EUR": "\u20ac", "USD": "$", "GBP": "\u00a3"}


def to_cents(amount):
    """Convert a decimal amount (str, int or Decimal) to integer cents, rounding half up."""
    value = Decimal(str(amount))
    cents = (value / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return int(cents)


def from_cents(cents):
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_money(cents, currency="EUR"):
    symbol = CURRENCIES.get(currency)
    if symbol is None:
        raise ValueError("unsupported currency %s" % currency)
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return "%s%s%s.%02d" % (sign, symbol, "{:,}".format(whole), frac)


def split_evenly(cents, parts):
    """Split an amount into `parts` integer shares that sum to the original."""
    if parts < 1:
        raise ValueError("parts must be >= 1")
    base, rest = divmod(cents, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def apply_discount(cents, percent):
    if not 0 <= percent <= 100:
        raise ValueError("percent out of range")
    off = (Decimal(cents) * Decimal(str(percent)) / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return cents - int(off)


def cart_total(lines):
    """lines: iterable of (unit_price_str, quantity)."""
    return sum(to_cents(price) * qty for price, qty in lines)
