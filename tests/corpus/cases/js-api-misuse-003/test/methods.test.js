'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { checkMethod, routeKey } = require('../src/methods');

test('route keys', () => {
  assert.equal(routeKey('/users/42'), '/users/:id');
  assert.equal(routeKey('/nope'), null);
});

test('options lists methods', () => {
  assert.deepEqual(checkMethod('options', '/health'), { status: 204, allow: 'GET, HEAD' });
});

test('allowed method', () => {
  assert.deepEqual(checkMethod('get', '/users'), { status: 200 });
});
