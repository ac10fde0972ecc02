'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { median, mad, outliers } = require('../src/median');

test('numeric ordering', () => {
  assert.equal(median([9, 10, 11]), 10);
  assert.equal(median([100, 9, 20, 3]), 14.5);
  assert.equal(median([-5, 10, -20, 2]), -1.5);
});

test('mad and outliers', () => {
  const v = [10, 11, 12, 10, 11, 250];
  assert.equal(mad(v), 1);
  assert.deepEqual(outliers(v), [250]);
});
