'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCookies, sessionId } = require('../src/cookies');

test('no cookie header gives empty jar', () => {
  assert.deepEqual(parseCookies({ headers: {} }), {});
});

test('empty cookie header gives empty jar', () => {
  assert.deepEqual(parseCookies({ headers: { cookie: '' } }), {});
});

test('first occurrence wins and junk is skipped', () => {
  assert.deepEqual(parseCookies({ headers: { cookie: 'a=1; junk; a=2; b=%E0%A4%A' } }), { a: '1', b: '%E0%A4%A' });
});

test('sessionId custom name', () => {
  assert.equal(sessionId({ headers: { cookie: 'token=t1' } }, 'token'), 't1');
  assert.equal(sessionId({ headers: { cookie: 'token=t1' } }), null);
});
