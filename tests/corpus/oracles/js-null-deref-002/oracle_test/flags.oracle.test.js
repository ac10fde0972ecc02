'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { FeatureFlags } = require('../src/flags');

test('unknown flags', () => {
  const f = new FeatureFlags();
  assert.equal(f.isEnabled('x'), false);
  assert.equal(f.isEnabled('x', { id: 'a' }, true), true);
});

test('full rollout and zero rollout', () => {
  const f = new FeatureFlags({ all: { enabled: true, rollout: 100 }, none: { enabled: true, rollout: 0 } });
  for (const id of ['a', 'b', 'c', 'd']) {
    assert.equal(f.isEnabled('all', { id }), true);
    assert.equal(f.isEnabled('none', { id }), false);
  }
  assert.equal(f.isEnabled('all'), false);
});

test('enabledFor after define', () => {
  const f = new FeatureFlags({ a: { enabled: true } });
  f.define('b', { enabled: false });
  assert.deepEqual(f.enabledFor({ id: 'z' }), ['a']);
});
