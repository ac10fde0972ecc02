"""LRU cache for compiled route templates."""
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self._data = OrderedDict()
        self.evictions = 0

    def get(self, key, default=None):
        if key not in self._data:
            return default
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key, value):
        if key in self._data:
            self._data.move_to_end(key)
        self._data[key] = value
        while len(self._data) > self.capacity:
            self._data.popitem(last=False)
            self.evictions += 1

    def __contains__(self, key):
        return key in self._data

    def __len__(self):
        return len(self._data)

    def keys(self):
        return list(self._data.keys())


def cached(cache):
    """Decorator memoising a single-argument function in `cache`."""
    def wrap(fn):
        def inner(arg):
            sentinel = object()
            value = cache.get(arg, sentinel)
            if value is sentinel:
                value = fn(arg)
                cache.put(arg, value)
            return value
        return inner
    return wrap
