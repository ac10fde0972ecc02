'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { corsHeaders, originMatches } = require('../src/cors');

const policy = { origins: ['https://app.example.com', '*.trusted.io'], credentials: true };

test('wildcard subdomain matching', () => {
  assert.equal(originMatches('*.trusted.io', 'https://a.trusted.io'), true);
  assert.equal(originMatches('*.trusted.io', 'https://trusted.io'), false);
});

test('no origin header', () => {
  assert.deepEqual(corsHeaders(policy, { headers: {}, method: 'GET' }), {});
});

test('allowed origin gets headers', () => {
  const h = corsHeaders(policy, { headers: { origin: 'https://app.example.com' }, method: 'GET' });
  assert.equal(h['Access-Control-Allow-Origin'], 'https://app.example.com');
  assert.equal(h['Access-Control-Allow-Credentials'], 'true');
});
