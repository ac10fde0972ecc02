'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { FeatureFlags } = require('../src/flags');

const flags = () => new FeatureFlags({
  search: { enabled: true },
  beta: { enabled: true, allow: ['u1'], rollout: 0 },
  old: { enabled: false },
});

test('simple on/off', () => {
  assert.equal(flags().isEnabled('search'), true);
  assert.equal(flags().isEnabled('old'), false);
});

test('allow list wins over rollout', () => {
  assert.equal(flags().isEnabled('beta', { id: 'u1' }), true);
  assert.equal(flags().isEnabled('beta', { id: 'u2' }), false);
});

test('unknown flag uses fallback', () => {
  assert.equal(flags().isEnabled('nope'), false);
  assert.equal(flags().isEnabled('nope', null, true), true);
});
