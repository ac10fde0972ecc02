'use strict';

// TTL cache for OAuth token introspection results.

class TtlCache {
  constructor({ ttlMs = 60000, now = () => Date.now(), pruneEvery = 100 } = {}) {
    this.ttlMs = ttlMs;
    this.now = now;
    this.pruneEvery = pruneEvery;
    this.map = new Map();
    this.writes = 0;
  }

  prune() {
    const t = this.now();
    let removed = 0;
    for (const [key, entry] of this.map) {
      if (entry.expires <= t) {
        this.map.delete(key);
        removed++;
      }
    }
    return removed;
  }

  set(key, value, ttlMs = this.ttlMs) {
    this.writes++;
    this.map.set(key, { value, expires: this.now() + ttlMs });
    return this;
  }

  get(key) {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  get size() {
    return this.map.size;
  }
}

module.exports = { TtlCache };
