'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadEnv, parseIntStrict } = require('../src/envconfig');

const schema = {
  PORT: { type: 'int', default: 3000 },
  DEBUG: { type: 'bool', default: false },
  HOSTS: { type: 'list', default: [] },
  NAME: { type: 'string', required: true },
};

test('defaults', () => {
  assert.deepEqual(loadEnv(schema, { NAME: 'svc' }), { PORT: 3000, DEBUG: false, HOSTS: [], NAME: 'svc' });
});

test('required', () => {
  assert.throws(() => loadEnv(schema, {}), /NAME/);
});

test('int parsing', () => {
  assert.throws(() => parseIntStrict('12a', 'X'), TypeError);
});

test('values are parsed', () => {
  assert.deepEqual(loadEnv(schema, { NAME: 'a', PORT: '80', DEBUG: 'off', HOSTS: 'a, b,' }),
    { PORT: 80, DEBUG: false, HOSTS: ['a', 'b'], NAME: 'a' });
});
