'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCsvLine, parseCsv } = require('../src/csvline');

test('escaped quotes', () => {
  assert.deepEqual(parseCsvLine('"say ""hi""",2'), ['say "hi"', '2']);
});

test('quoted last field and empty quoted', () => {
  assert.deepEqual(parseCsvLine('a,""'), ['a', '']);
  assert.deepEqual(parseCsvLine('"x"'), ['x']);
});

test('semicolon separator', () => {
  assert.deepEqual(parseCsvLine('"a;b";c', ';'), ['a;b', 'c']);
});

test('quoted values in file', () => {
  assert.deepEqual(parseCsv('id,"full name"\n1,"Doe, Jane"\n2\n'),
    [{ id: '1', 'full name': 'Doe, Jane' }, { id: '2', 'full name': '' }]);
});
