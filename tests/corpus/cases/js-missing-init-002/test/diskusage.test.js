'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { byExtension, largest, humanBytes, summary } = require('../src/diskusage');

const files = [{ name: 'a.log', size: 2048 }, { name: 'b.LOG', size: 1024 }, { name: 'c', size: 1 }];

test('by extension', () => {
  assert.deepEqual(byExtension(files), { log: 3072, '': 1 });
});

test('largest', () => {
  assert.deepEqual(largest(files, 2), ['a.log', 'b.LOG']);
});

test('human bytes', () => {
  assert.equal(humanBytes(1536), '1.5 KB');
});

test('summary', () => {
  assert.deepEqual(summary(files), { count: 3, total: '3.0 KB', largest: ['a.log', 'b.LOG', 'c'] });
});
