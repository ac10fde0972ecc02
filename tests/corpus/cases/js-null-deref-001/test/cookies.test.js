'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCookies, serializeCookie, sessionId } = require('../src/cookies');

test('parses several cookies', () => {
  const jar = parseCookies({ headers: { cookie: 'a=1; b=two; sid="xyz"' } });
  assert.deepEqual(jar, { a: '1', b: 'two', sid: 'xyz' });
});

test('decodes values', () => {
  assert.equal(parseCookies({ headers: { cookie: 'n=hello%20world' } }).n, 'hello world');
});

test('serializes with options', () => {
  assert.equal(serializeCookie('sid', 'a b', { path: '/', httpOnly: true }), 'sid=a%20b; Path=/; HttpOnly');
});

test('sessionId is null for anonymous requests', () => {
  assert.equal(sessionId({ headers: {} }), null);
});
