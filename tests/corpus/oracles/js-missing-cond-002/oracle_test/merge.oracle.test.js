'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { deepMerge, mergeAll, parseCliOverrides } = require('../src/merge');

test('array over object and object over array', () => {
  assert.deepEqual(deepMerge({ a: { x: 1 } }, { a: [1] }), { a: [1] });
  assert.deepEqual(deepMerge({ a: [1, 2] }, { a: { x: 1 } }), { a: { x: 1 } });
});

test('nested arrays in cli layer', () => {
  const cfg = mergeAll({ log: { sinks: ['stdout', 'file'], level: 'info' } }, null, parseCliOverrides(['--log.sinks=syslog,stdout']));
  assert.deepEqual(cfg, { log: { sinks: ['syslog', 'stdout'], level: 'info' } });
});

test('top-level arrays', () => {
  assert.deepEqual(deepMerge([1, 2, 3], [9]), [9]);
  assert.deepEqual(deepMerge({ a: 1 }, undefined), { a: 1 });
});
