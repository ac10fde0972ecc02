'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { checkMethod } = require('../src/methods');

test('disallowed methods', () => {
  assert.deepEqual(checkMethod('DELETE', '/users'), { status: 405, allow: 'GET, POST' });
  assert.equal(checkMethod('POST', '/health').status, 405);
});

test('allowed on param route', () => {
  for (const m of ['GET', 'put', 'Delete']) assert.equal(checkMethod(m, '/users/7').status, 200, m);
});

test('unknown path', () => {
  assert.equal(checkMethod('GET', '/x/y/z').status, 404);
});
