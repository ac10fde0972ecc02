'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parse, compareSemver, latest } = require('../src/semver');

test('parse', () => {
  assert.deepEqual(parse('v1.2.3-rc.1'), { major: 1, minor: 2, patch: 3, pre: ['rc', '1'] });
  assert.throws(() => parse('1.2'), TypeError);
});

test('major and patch ordering', () => {
  assert.equal(compareSemver('2.0.0', '10.0.0'), -1);
  assert.equal(compareSemver('1.0.5', '1.0.4'), 1);
});

test('prerelease sorts before release', () => {
  assert.equal(compareSemver('1.0.0-alpha', '1.0.0'), -1);
});

test('latest picks highest minor', () => {
  assert.equal(latest(['1.2.0', '1.10.0', '1.9.3']), '1.10.0');
});
