'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractParams } = require('../src/pathparams');

test('named params', () => {
  assert.deepEqual(extractParams('/users/:id/posts/:post', '/users/7/posts/hello%20world'), { id: '7', post: 'hello world' });
});

test('no match', () => {
  assert.equal(extractParams('/users/:id', '/teams/1'), null);
});

test('wildcard', () => {
  assert.deepEqual(extractParams('/files/*', '/files/a/b.txt'), { rest: 'a/b.txt' });
});

test('malformed escape is kept verbatim', () => {
  assert.deepEqual(extractParams('/search/:q', '/search/100%'), { q: '100%' });
});
