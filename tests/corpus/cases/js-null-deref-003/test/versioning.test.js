'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { apiVersion, stripVersion, negotiate } = require('../src/versioning');

test('version from path', () => {
  assert.equal(apiVersion('/v3/users'), 3);
  assert.equal(stripVersion('/v3/users'), '/users');
});

test('unsupported version', () => {
  assert.equal(negotiate({ path: '/v9/x', headers: {} }).status, 400);
});

test('header version when path is unversioned', () => {
  assert.deepEqual(negotiate({ path: '/users', headers: { 'accept-version': '1' } }),
    { ok: true, version: 1, path: '/users' });
});
