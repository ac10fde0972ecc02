'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { flatten, debugView } = require('../src/flatten');

test('indirect cycle', () => {
  const a = { n: 1 };
  const b = { a };
  a.b = b;
  assert.deepEqual(flatten({ root: a }), { 'root.n': 1, 'root.b.a': '[Circular]' });
});

test('shared (non-cyclic) references are expanded twice', () => {
  const shared = { x: 1 };
  assert.deepEqual(flatten({ p: shared, q: shared }), { 'p.x': 1, 'q.x': 1 });
});

test('dates and cyclic arrays', () => {
  const arr = [new Date(0)];
  arr.push(arr);
  assert.deepEqual(flatten({ arr }), { 'arr.0': '1970-01-01T00:00:00.000Z', 'arr.1': '[Circular]' });
  assert.match(debugView({ arr }), /arr\.1 = "\[Circular\]"/);
});
