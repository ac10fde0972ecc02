'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseBool } = require('../src/envconfig');

test('truthy', () => {
  for (const v of ['1', 'TRUE', ' yes ', 'On']) assert.equal(parseBool(v, 'X'), true, v);
});

test('falsy', () => {
  for (const v of ['0', 'false', 'NO', 'off', '']) assert.equal(parseBool(v, 'X'), false, v);
});

test('garbage rejected', () => {
  assert.throws(() => parseBool('maybe', 'FLAG'), /FLAG/);
  assert.throws(() => parseBool('2', 'FLAG'), TypeError);
});
