'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCsvLine, parseCsv } = require('../src/csvline');

test('plain fields', () => {
  assert.deepEqual(parseCsvLine('a, b ,c'), ['a', 'b', 'c']);
});

test('unterminated quote', () => {
  assert.throws(() => parseCsvLine('"abc'), SyntaxError);
});

test('quoted field with comma', () => {
  assert.deepEqual(parseCsvLine('1,"Smith, J",x'), ['1', 'Smith, J', 'x']);
});

test('parseCsv with header', () => {
  assert.deepEqual(parseCsv('id,name\n1,ann\n'), [{ id: '1', name: 'ann' }]);
});
