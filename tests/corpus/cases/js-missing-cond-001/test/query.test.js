'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseQuery, listOptions } = require('../src/query');

test('simple pairs', () => {
  assert.deepEqual({ ...parseQuery('?a=1&b=hello+world') }, { a: '1', b: 'hello world' });
});

test('flag without value', () => {
  assert.deepEqual({ ...parseQuery('debug') }, { debug: '' });
});

test('repeated tags', () => {
  assert.deepEqual(listOptions('tag=red&tag=blue&order=desc'), { tags: ['red', 'blue'], sort: 'created', desc: true });
});
