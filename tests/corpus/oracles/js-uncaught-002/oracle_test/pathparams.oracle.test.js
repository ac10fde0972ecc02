'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractParams, safeDecode } = require('../src/pathparams');

test('bad sequences', () => {
  for (const s of ['%', '%E0%A4%A', '%zz', 'a%2']) assert.equal(safeDecode(s), s);
});

test('good sequences decoded', () => {
  assert.equal(safeDecode('%E2%82%AC'), '\u20ac');
  assert.equal(safeDecode('a%2Fb'), 'a/b');
});

test('mixed params', () => {
  assert.deepEqual(extractParams('/:a/:b', '/%E0%A4%A/x%20y'), { a: '%E0%A4%A', b: 'x y' });
});
