'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { flatten, debugView } = require('../src/flatten');

test('flatten nested', () => {
  assert.deepEqual(flatten({ db: { host: 'h', ports: [1, 2] }, empty: {} }), { 'db.host': 'h', 'db.ports.0': 1, 'db.ports.1': 2, empty: '{}' });
});

test('debug view redacts', () => {
  assert.equal(debugView({ db: { password: 'x', user: 'u' } }), 'db.password = "***"\ndb.user = "u"');
});

test('self reference does not crash', () => {
  const cfg = { name: 'svc' };
  cfg.self = cfg;
  assert.deepEqual(flatten(cfg), { name: 'svc', self: '[Circular]' });
});
