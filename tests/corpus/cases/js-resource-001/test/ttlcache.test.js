'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TtlCache } = require('../src/ttlcache');

function clock() {
  const c = { t: 0 };
  c.now = () => c.t;
  return c;
}

test('get before and after expiry', () => {
  const c = clock();
  const cache = new TtlCache({ ttlMs: 100, now: c.now });
  cache.set('a', 1);
  assert.equal(cache.get('a'), 1);
  c.t = 100;
  assert.equal(cache.get('a'), undefined);
});

test('explicit prune', () => {
  const c = clock();
  const cache = new TtlCache({ ttlMs: 10, now: c.now });
  cache.set('a', 1).set('b', 2, 1000);
  c.t = 50;
  assert.equal(cache.prune(), 1);
});

test('size stays bounded with short-lived keys', () => {
  const c = clock();
  const cache = new TtlCache({ ttlMs: 10, now: c.now, pruneEvery: 50 });
  for (let i = 0; i < 10000; i++) {
    c.t = i;
    cache.set(`token-${i}`, i);
  }
  assert.ok(cache.size <= 60, `size ${cache.size}`);
});
