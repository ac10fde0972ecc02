'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { apiVersion, negotiate } = require('../src/versioning');

test('unversioned paths', () => {
  assert.equal(apiVersion('/users'), null);
  assert.equal(apiVersion('/version/1'), null);
  assert.equal(apiVersion('/'), null);
});

test('bare version path', () => {
  assert.equal(apiVersion('/v1'), 1);
  assert.deepEqual(negotiate({ path: '/v1', headers: {} }), { ok: true, version: 1, path: '/' });
});

test('default version', () => {
  assert.deepEqual(negotiate({ path: '/health' }), { ok: true, version: 2, path: '/health' });
  assert.equal(negotiate({ path: '/x', headers: { 'accept-version': 'abc' } }).version, 2);
});
