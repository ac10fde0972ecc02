'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseJsonBody, handleCreate } = require('../src/body');

const json = (body) => ({ headers: { 'content-type': 'application/json; charset=utf-8' }, body });

test('parses json', () => {
  assert.deepEqual(parseJsonBody(json('{"a":1}')), { ok: true, value: { a: 1 } });
});

test('wrong content type', () => {
  assert.equal(parseJsonBody({ headers: { 'content-type': 'text/plain' }, body: 'x' }).status, 415);
});

test('create', () => {
  const store = [];
  assert.deepEqual(handleCreate(json('{"name":"n"}'), store), { status: 201, body: { id: 1 } });
});

test('malformed json is a 400', () => {
  assert.equal(handleCreate(json('{"name":'), []).status, 400);
});
