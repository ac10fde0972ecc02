'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LruCache } = require('../src/lru');

test('recency on get', () => {
  const c = new LruCache(2);
  c.set('a', 1).set('b', 2);
  c.get('a');
  c.set('c', 3);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('c'), 3);
});

test('stats', () => {
  const c = new LruCache(3);
  c.set('x', 0);
  c.get('x');
  c.get('y');
  assert.deepEqual(c.stats(), { hits: 1, misses: 1, ratio: 0.5 });
});

test('falsy values are hits', () => {
  const c = new LruCache(3);
  c.set('z', 0);
  assert.equal(c.get('z'), 0);
  assert.equal(c.hits, 1);
});
