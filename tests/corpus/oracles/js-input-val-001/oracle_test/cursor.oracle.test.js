'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseLimit, pageWindow, decodeCursor } = require('../src/cursor');

test('limit edge cases', () => {
  assert.equal(parseLimit('abc'), 20);
  assert.equal(parseLimit(''), 20);
  assert.equal(parseLimit('0'), 20);
  assert.equal(parseLimit('-5'), 20);
  assert.equal(parseLimit('500'), 100);
  assert.equal(parseLimit('7'), 7);
});

test('bad cursor starts at zero', () => {
  assert.equal(decodeCursor('!!!'), 0);
  assert.deepEqual(pageWindow([1, 2, 3], { cursor: 'zzz', limit: 'x' }).items, [1, 2, 3]);
});
