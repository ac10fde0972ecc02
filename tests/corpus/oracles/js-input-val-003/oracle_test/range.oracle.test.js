'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseRange, rangeResponse } = require('../src/range');

test('start beyond size', () => {
  assert.equal(parseRange('bytes=1000-', 1000), null);
  assert.equal(parseRange('bytes=2000-3000', 1000), null);
  assert.deepEqual(rangeResponse('bytes=5-', 5).headers, { 'Content-Range': 'bytes */5' });
});

test('end clamped', () => {
  assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999, length: 10 });
});

test('open-ended and 206 headers', () => {
  assert.deepEqual(rangeResponse('bytes=10-', 20), { status: 206, headers: { 'Content-Range': 'bytes 10-19/20', 'Content-Length': '10' } });
  assert.equal(parseRange('bytes=1-2,5-6', 20), undefined);
});
