'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { groupCount, sumBy, report } = require('../src/groupby');

const rows = [
  { status: 'paid', country: 'DE', total: 10 },
  { status: 'paid', country: 'FR', total: 5 },
  { status: 'refunded', country: 'DE', total: 7 },
];

test('by status', () => {
  assert.deepEqual(groupCount(rows, 'status'), { paid: 2, refunded: 1 });
});

test('sumBy', () => {
  assert.deepEqual(sumBy(rows, 'country', 'total'), { DE: 17, FR: 5 });
});

test('report by country', () => {
  assert.deepEqual(report(rows).byCountry, { DE: 2, FR: 1 });
});
