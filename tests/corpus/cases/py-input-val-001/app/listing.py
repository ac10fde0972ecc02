"""Request-parameter handling for the /orders listing endpoint."""

DEFAULT_PAGE = 1
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
SORT_FIELDS = ("created", "total", "status")


def _int_param(params, name, default, minimum=1, maximum=None):
    raw = params.get(name)
    if raw is None:
        return default
    value = int(str(raw).strip())
    if value < minimum:
        return default
    if maximum is not None and value > maximum:
        return maximum
    return value


def list_params(params):
    """Normalise untrusted query parameters into a listing request."""
    page = _int_param(params, "page", DEFAULT_PAGE)
    per_page = _int_param(params, "per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    sort = params.get("sort", "created")
    desc = sort.startswith("-")
    field = sort.lstrip("-")
    if field not in SORT_FIELDS:
        field, desc = "created", False
    return {"page": page, "per_page": per_page, "sort": field, "desc": desc}


def apply(orders, req):
    rows = sorted(orders, key=lambda o: o[req["sort"]], reverse=req["desc"])
    start = (req["page"] - 1) * req["per_page"]
    return rows[start:start + req["per_page"]]


def link_header(base_url, req, total):
    """RFC 8288 Link header with next/prev relations."""
    links = []
    last_page = max(1, -(-total // req["per_page"]))
    if req["page"] < last_page:
        links.append('<%s?page=%d&per_page=%d>; rel="next"' % (base_url, req["page"] + 1, req["per_page"]))
    if req["page"] > 1:
        links.append('<%s?page=%d&per_page=%d>; rel="prev"' % (base_url, req["page"] - 1, req["per_page"]))
    return ", ".join(links)
