'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { compareSemver, latest } = require('../src/semver');

test('minor comparisons', () => {
  assert.equal(compareSemver('1.1.0', '1.2.0'), -1);
  assert.equal(compareSemver('1.3.0', '1.2.9'), 1);
  assert.equal(compareSemver('0.10.0', '0.9.0'), 1);
});

test('equality', () => {
  assert.equal(compareSemver('v1.2.3', '1.2.3'), 0);
});

test('sort order', () => {
  const v = ['1.0.0', '0.1.0', '1.0.0-rc.2', '1.0.0-rc.10', '0.2.0', '1.1.0'];
  assert.deepEqual(v.slice().sort(compareSemver), ['0.1.0', '0.2.0', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0', '1.1.0']);
  assert.equal(latest(v), '1.1.0');
});
