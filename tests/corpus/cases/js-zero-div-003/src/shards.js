'use strict';

// Consistent key -> shard assignment for the session store.

function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

class ShardMap {
  constructor(shards, { replicas = 0 } = {}) {
    if (!Array.isArray(shards) || shards.length === 0) {
      throw new Error('at least one shard is required');
    }
    this.shards = shards.slice();
    this.replicas = replicas;
  }

  shardFor(key) {
    const idx = fnv1a(String(key)) % this.replicas;
    return this.shards[idx];
  }

  replicasFor(key) {
    const first = fnv1a(String(key)) % this.shards.length;
    const out = [];
    for (let i = 1; i <= this.replicas && i < this.shards.length; i++) {
      out.push(this.shards[(first + i) % this.shards.length]);
    }
    return out;
  }

  distribution(keys) {
    const counts = Object.fromEntries(this.shards.map((s) => [s, 0]));
    for (const k of keys) counts[this.shardFor(k)] += 1;
    return counts;
  }
}

module.exports = { ShardMap, fnv1a };
