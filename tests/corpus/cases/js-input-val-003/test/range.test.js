'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseRange, rangeResponse } = require('../src/range');

test('simple range', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99, length: 100 });
});

test('suffix range', () => {
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999, length: 100 });
});

test('no header means full response', () => {
  assert.equal(rangeResponse(undefined, 10).status, 200);
});

test('unsatisfiable range is 416', () => {
  assert.equal(rangeResponse('bytes=500-100', 1000).status, 416);
});
