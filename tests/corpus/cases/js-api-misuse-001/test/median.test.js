'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { median, probeReport } = require('../src/median');

test('empty', () => {
  assert.equal(median([]), null);
});

test('single-digit values', () => {
  assert.equal(median([3, 1, 2]), 2);
});

test('report', () => {
  const r = probeReport([{ ok: true, ms: 30 }, { ok: false }, { ok: true, ms: 20 }, { ok: true, ms: 9 }]);
  assert.deepEqual(r, { total: 4, failed: 1, medianMs: 20, outliers: 0 });
});
