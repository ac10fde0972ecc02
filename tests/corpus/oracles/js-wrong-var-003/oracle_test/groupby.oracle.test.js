'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { groupCount, topN } = require('../src/groupby');

test('missing field and ordering', () => {
  const rows = [{ c: 'b' }, { c: 'a' }, {}, { c: 'b' }, { c: 'a' }, { c: 'z' }];
  assert.deepEqual(Object.entries(groupCount(rows, 'c')), [['a', 2], ['b', 2], ['(none)', 1], ['z', 1]]);
});

test('topN', () => {
  const rows = [{ k: 1, status: 'x' }, { k: 1, status: 'y' }, { k: 2, status: 'x' }];
  assert.deepEqual(topN(rows, 'k', 1), [{ key: '1', count: 2 }]);
});
