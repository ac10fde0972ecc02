'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { corsHeaders } = require('../src/cors');

const policy = { origins: ['https://app.example.com', '*.trusted.io'], methods: ['GET'], maxAge: 60 };

test('disallowed origin gets nothing', () => {
  assert.deepEqual(corsHeaders(policy, { headers: { origin: 'https://evil.com' }, method: 'GET' }), {});
});

test('preflight for wildcard origin', () => {
  assert.deepEqual(corsHeaders(policy, { headers: { origin: 'https://x.trusted.io' }, method: 'OPTIONS' }), {
    'Access-Control-Allow-Origin': 'https://x.trusted.io',
    Vary: 'Origin',
    'Access-Control-Allow-Methods': 'GET',
    'Access-Control-Max-Age': '60',
  });
});

test('star policy', () => {
  const h = corsHeaders({ origins: ['*'] }, { headers: { origin: 'http://a' }, method: 'GET' });
  assert.equal(h['Access-Control-Allow-Origin'], 'http://a');
  assert.equal(h['Access-Control-Allow-Credentials'], undefined);
});
