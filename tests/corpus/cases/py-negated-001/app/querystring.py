"""Query-string decoding for the search API."""
from urllib.parse import unquote_plus


def parse_query(qs, keep_blank=False, max_params=100):
    """Decode 'a=1&b=2&a=3' into {'a': ['1', '3'], 'b': ['2']}."""
    if qs.startswith("?"):
        qs = qs[1:]
    result = {}
    count = 0
    for pair in qs.split("&"):
        if not pair:
            continue
        count += 1
        if count > max_params:
            raise ValueError("too many query parameters")
        key, _, value = pair.partition("=")
        key = unquote_plus(key)
        value = unquote_plus(value)
        if not value and keep_blank:
            continue
        result.setdefault(key, []).append(value)
    return result


def first(params, key, default=None):
    values = params.get(key)
    return values[0] if values else default


def get_int(params, key, default):
    raw = first(params, key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def build_query(params):
    from urllib.parse import quote_plus
    parts = []
    for key in sorted(params):
        for value in params[key]:
            parts.append("%s=%s" % (quote_plus(key), quote_plus(value)))
    return "&".join(parts)
