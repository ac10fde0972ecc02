'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { dateRange, bucketByDay, parseDay } = require('../src/daterange');

test('invalid date', () => {
  assert.throws(() => parseDay('2024-13'), RangeError);
});

test('reversed range', () => {
  assert.throws(() => dateRange('2024-01-05', '2024-01-01'), RangeError);
});

test('three day range', () => {
  assert.deepEqual(dateRange('2024-02-28', '2024-03-01'), ['2024-02-28', '2024-02-29', '2024-03-01']);
});
