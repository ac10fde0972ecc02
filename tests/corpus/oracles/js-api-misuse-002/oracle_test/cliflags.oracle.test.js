'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { envName, resolveOptions } = require('../src/cliflags');

test('env names', () => {
  assert.equal(envName('a-b-c-d', 'X'), 'X_A_B_C_D');
  assert.equal(envName('--log-level'), 'APP_LOG_LEVEL');
  assert.equal(envName('-v'), 'APP_V');
});

test('precedence', () => {
  const spec = { 'read-timeout-ms': 100, 'log-level': 'info' };
  const env = { APP_READ_TIMEOUT_MS: '500', APP_LOG_LEVEL: 'debug' };
  assert.deepEqual(resolveOptions(spec, ['--log-level', 'warn'], env), { 'read-timeout-ms': 500, 'log-level': 'warn' });
});
