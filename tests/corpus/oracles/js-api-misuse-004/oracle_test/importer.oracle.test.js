'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { importAll, MemoryStore } = require('../src/importer');

test('duplicates fail and store is complete when promise resolves', async () => {
  const store = new MemoryStore();
  const res = await importAll([{ email: 'a@x.io' }, { email: 'A@X.io' }, { email: 'nope' }, { email: 'c@x.io' }], store);
  assert.deepEqual(res, { imported: 2, invalid: 1, failed: 1 });
  assert.deepEqual([...store.rows.keys()], ['a@x.io', 'c@x.io']);
});

test('order preserved', async () => {
  const seen = [];
  const store = { async save(r) { await new Promise((r2) => setTimeout(r2, r.email === 'a@x.io' ? 20 : 0)); seen.push(r.email); } };
  await importAll([{ email: 'a@x.io' }, { email: 'b@x.io' }], store);
  assert.deepEqual(seen, ['a@x.io', 'b@x.io']);
});
