"""Offset pagination for list endpoints."""
import math

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


class Page:
    def __init__(self, items, page, per_page, total):
        self.items = items
        self.page = page
        self.per_page = per_page
        self.total = total

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_prev(self):
        return self.page > 1

    def to_dict(self):
        return {
            "items": self.items,
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


def paginate(items, page=1, per_page=DEFAULT_PER_PAGE):
    """Return the requested 1-based page of `items`."""
    if page < 1:
        raise ValueError("page must be >= 1")
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    start = (page - 1) * per_page
    end = start + per_page
    return Page(items[start:end - 1], page, per_page, len(items))
