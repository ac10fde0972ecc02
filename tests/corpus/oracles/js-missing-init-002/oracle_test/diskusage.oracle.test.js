'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { totalBytes, summary } = require('../src/diskusage');

test('empty', () => {
  assert.equal(totalBytes([]), 0);
  assert.deepEqual(summary([]), { count: 0, total: '0 B', largest: [] });
});

test('single and many', () => {
  assert.equal(totalBytes([{ name: 'x', size: 5 }]), 5);
  assert.equal(totalBytes([{ name: 'x', size: 5 }, { name: 'y', size: 7 }]), 12);
});
