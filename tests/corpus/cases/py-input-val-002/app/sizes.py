"""Parse human-readable sizes ("512K", "1.5 GiB") from the storage quota config."""
import re

UNITS = {
    "": 1,
    "b": 1,
    "k": 1000, "kb": 1000, "kib": 1024,
    "m": 1000 ** 2, "mb": 1000 ** 2, "mib": 1024 ** 2,
    "g": 1000 ** 3, "gb": 1000 ** 3, "gib": 1024 ** 3,
    "t": 1000 ** 4, "tb": 1000 ** 4, "tib": 1024 ** 4,
}

SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_size(text):
    """Return the size in bytes. Raises ValueError for anything malformed."""
    m = SIZE_RE.match(str(text))
    if not m:
        raise ValueError("invalid size: %r" % (text,))
    number, unit = m.group(1), m.group(2).lower()
    return int(float(number) * UNITS[unit])


def format_size(n, binary=True):
    step = 1024 if binary else 1000
    suffixes = ["B", "KiB", "MiB", "GiB", "TiB"] if binary else ["B", "KB", "MB", "GB", "TB"]
    value = float(n)
    for suffix in suffixes:
        if value < step or suffix == suffixes[-1]:
            return ("%d %s" % (value, suffix)) if suffix == "B" else ("%.1f %s" % (value, suffix))
        value /= step


def load_quotas(mapping):
    """Parse {'user': '10GiB', ...}; collect errors instead of failing on the first."""
    quotas, errors = {}, {}
    for user, raw in mapping.items():
        try:
            quotas[user] = parse_size(raw)
        except ValueError as exc:
            errors[user] = str(exc)
    return quotas, errors
