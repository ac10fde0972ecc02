'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { deepMerge, mergeAll, parseCliOverrides } = require('../src/merge');

test('nested merge', () => {
  assert.deepEqual(deepMerge({ db: { host: 'a', port: 1 } }, { db: { port: 2 } }), { db: { host: 'a', port: 2 } });
});

test('cli overrides', () => {
  assert.deepEqual(parseCliOverrides(['--db.port=5432', '-x', '--name=svc']), { db: { port: 5432 }, name: 'svc' });
});

test('arrays are replaced', () => {
  const cfg = mergeAll({ hosts: ['a', 'b', 'c'] }, { hosts: ['z'] });
  assert.deepEqual(cfg, { hosts: ['z'] });
});
