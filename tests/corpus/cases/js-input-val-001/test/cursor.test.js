'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { pageWindow, decodeCursor, encodeCursor } = require('../src/cursor');

const items = Array.from({ length: 45 }, (_, i) => i);

test('default first page', () => {
  const p = pageWindow(items);
  assert.equal(p.items.length, 20);
  assert.equal(decodeCursor(p.nextCursor), 20);
});

test('follow cursor to end', () => {
  const p = pageWindow(items, { cursor: encodeCursor(40), limit: '10' });
  assert.deepEqual(p.items, [40, 41, 42, 43, 44]);
  assert.equal(p.nextCursor, null);
});

test('garbage limit uses default', () => {
  assert.equal(pageWindow(items, { limit: 'abc' }).items.length, 20);
});
