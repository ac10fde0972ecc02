'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { envName, parseFlags, resolveOptions } = require('../src/cliflags');

test('parse flags', () => {
  assert.deepEqual(parseFlags(['--port', '80', '--verbose', '--name=x']), { port: '80', verbose: 'true', name: 'x' });
});

test('env name simple', () => {
  assert.equal(envName('--port'), 'APP_PORT');
});

test('env fallback for multi-word flag', () => {
  const opts = resolveOptions({ 'max-retry-count': 3 }, [], { APP_MAX_RETRY_COUNT: '7' });
  assert.deepEqual(opts, { 'max-retry-count': 7 });
});
