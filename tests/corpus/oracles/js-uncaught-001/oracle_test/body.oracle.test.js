'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseJsonBody, handleCreate, MAX_BODY } = require('../src/body');

const json = (body) => ({ headers: { 'content-type': 'application/json' }, body });

test('malformed variants', () => {
  for (const b of ['{', 'undefined', "{'a':1}", '[1,]']) {
    const r = parseJsonBody(json(b));
    assert.equal(r.ok, false, b);
    assert.equal(r.status, 400, b);
    assert.match(r.error, /^invalid JSON/);
  }
});

test('empty body', () => {
  assert.deepEqual(parseJsonBody(json('  ')), { ok: true, value: null });
  assert.equal(handleCreate(json(''), []).status, 422);
});

test('too large', () => {
  assert.equal(parseJsonBody(json('"' + 'x'.repeat(MAX_BODY) + '"')).status, 413);
});
