'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { importAll, validate, MemoryStore } = require('../src/importer');

test('validate', () => {
  assert.deepEqual(validate({ email: 'x' }), ['invalid email']);
  assert.deepEqual(validate({ email: 'a@b.co', name: 5 }), ['name must be a string']);
});

test('invalid records counted', async () => {
  const res = await importAll([{ email: 'bad' }, null], new MemoryStore());
  assert.equal(res.invalid, 2);
});

test('imports valid records', async () => {
  const store = new MemoryStore();
  const res = await importAll([{ email: 'A@x.io', name: ' Ann ' }, { email: 'b@x.io' }], store);
  assert.deepEqual(res, { imported: 2, invalid: 0, failed: 0 });
  assert.equal(store.rows.get('a@x.io').name, 'Ann');
});
