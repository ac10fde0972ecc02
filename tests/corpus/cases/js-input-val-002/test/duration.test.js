'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseDuration, formatDuration } = require('../src/duration');

test('compound', () => {
  assert.equal(parseDuration('1h30m'), 5400000);
  assert.equal(parseDuration('250ms'), 250);
});

test('format', () => {
  assert.equal(formatDuration(90061001), '1d1h1m1s1ms');
  assert.equal(formatDuration(0), '0ms');
});

test('garbage rejected', () => {
  assert.throws(() => parseDuration('soon'), RangeError);
});

test('unknown unit rejected', () => {
  assert.throws(() => parseDuration('5x'), RangeError);
});
