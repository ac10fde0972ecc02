'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { joinUrl, withQuery, resourceUrl } = require('../src/urljoin');

test('basic join', () => {
  assert.equal(joinUrl('https://api.x.io/', 'v1', 'users'), 'https://api.x.io/v1/users');
});

test('query params', () => {
  assert.equal(withQuery('/a', { q: 'a b', skip: undefined, n: 2 }), '/a?q=a%20b&n=2');
});

test('segments with leading slash', () => {
  assert.equal(joinUrl('https://api.x.io', '/v1/', '/users'), 'https://api.x.io/v1/users');
});
