'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LruCache } = require('../src/lru');

test('capacity validation', () => {
  assert.throws(() => new LruCache(0), RangeError);
});

test('evicts when full', () => {
  const c = new LruCache(2);
  c.set('a', 1).set('b', 2).set('c', 3);
  assert.equal(c.size, 2);
  assert.deepEqual([...c.map.keys()], ['b', 'c']);
});

test('get returns stored value', () => {
  const c = new LruCache(2);
  c.set('a', 1);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('zz'), undefined);
});
