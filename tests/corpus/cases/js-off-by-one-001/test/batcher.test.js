'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { chunk, dedupe, sendAll } = require('../src/batcher');

test('chunk even split', () => {
  assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]);
});

test('invalid size', () => {
  assert.throws(() => chunk([1], 0), RangeError);
});

test('dedupe normalises', () => {
  assert.deepEqual(dedupe(['A@x.io', 'a@x.io ', '', 'b@x.io']), ['a@x.io', 'b@x.io']);
});

test('sendAll counts every recipient', async () => {
  const res = await sendAll(['a', 'b', 'c'], async () => {}, 2);
  assert.deepEqual(res, { sent: 3, failed: 0, batches: 2 });
});
