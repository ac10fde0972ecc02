'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { chunk, sendAll } = require('../src/batcher');

test('trailing element kept', () => {
  assert.deepEqual(chunk([1, 2, 3], 2), [[1, 2], [3]]);
  assert.deepEqual(chunk([1], 5), [[1]]);
  assert.deepEqual(chunk([], 5), []);
});

test('size one', () => {
  assert.deepEqual(chunk(['a', 'b', 'c'], 1), [['a'], ['b'], ['c']]);
});

test('failures counted per batch', async () => {
  let n = 0;
  const res = await sendAll(['a', 'b', 'c', 'd', 'e'], async () => { if (n++ === 1) throw new Error('x'); }, 2);
  assert.deepEqual(res, { sent: 3, failed: 2, batches: 3 });
});
