'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseDuration } = require('../src/duration');

test('unknown units', () => {
  for (const s of ['5x', '1h5y', '3 weeks', '10mins', '2w']) assert.throws(() => parseDuration(s), RangeError, s);
});

test('valid forms', () => {
  assert.equal(parseDuration(' 2D '), 172800000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration(42), 42);
});

test('numbers validated', () => {
  assert.throws(() => parseDuration(-1), RangeError);
  assert.throws(() => parseDuration(''), RangeError);
});
