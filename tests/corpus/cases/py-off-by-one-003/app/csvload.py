"""Load price lists exported as CSV by the billing team."""
import csv
import io
from decimal import Decimal, InvalidOperation

REQUIRED = ("sku", "name", "price")


def _header(row):
    cols = [c.strip().lower() for c in row]
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise ValueError("missing columns: " + ", ".join(missing))
    return cols


def load_rows(text):
    """Parse CSV text into a list of dicts keyed by the (lower-cased) header."""
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return []
    cols = _header(rows[0])
    out = []
    for r in rows[2:]:
        r = r + [""] * (len(cols) - len(r))
        out.append({c: v.strip() for c, v in zip(cols, r)})
    return out


def load_prices(text):
    """Map sku -> Decimal price; rows with an unparsable price are reported."""
    prices = {}
    errors = []
    for i, row in enumerate(load_rows(text), start=2):
        try:
            prices[row["sku"]] = Decimal(row["price"])
        except InvalidOperation:
            errors.append((i, row["sku"]))
    return prices, errors


def total(prices, skus):
    return sum((prices[s] for s in skus), Decimal("0"))
