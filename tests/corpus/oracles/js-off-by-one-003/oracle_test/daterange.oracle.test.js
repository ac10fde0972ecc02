'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { dateRange, bucketByDay } = require('../src/daterange');

test('single day', () => {
  assert.deepEqual(dateRange('2023-12-31', '2023-12-31'), ['2023-12-31']);
});

test('month length', () => {
  const r = dateRange('2023-01-01', '2023-01-31');
  assert.equal(r.length, 31);
  assert.equal(r[30], '2023-01-31');
});

test('buckets exclude events after end', () => {
  const ts = (s) => Date.parse(s);
  const b = bucketByDay([{ ts: ts('2024-05-01T10:00:00Z') }, { ts: ts('2024-05-03T01:00:00Z') }], '2024-05-01', '2024-05-02');
  assert.deepEqual(b, { '2024-05-01': 1, '2024-05-02': 0 });
});
