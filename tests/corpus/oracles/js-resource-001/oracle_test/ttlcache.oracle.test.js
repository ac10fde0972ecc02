'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TtlCache } = require('../src/ttlcache');

test('bounded with defaults', () => {
  const c = { t: 0 };
  const cache = new TtlCache({ ttlMs: 5, now: () => c.t });
  for (let i = 0; i < 5000; i++) {
    c.t = i;
    cache.set(i, i);
  }
  assert.ok(cache.size <= 105, `size ${cache.size}`);
  assert.equal(cache.get(4999), 4999);
});

test('long-lived entries survive pruning', () => {
  const c = { t: 0 };
  const cache = new TtlCache({ ttlMs: 1, now: () => c.t, pruneEvery: 2 });
  cache.set('keep', 'v', 1e9);
  for (let i = 1; i < 100; i++) {
    c.t = i;
    cache.set(`k${i}`, i);
  }
  assert.equal(cache.get('keep'), 'v');
});
