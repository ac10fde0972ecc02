'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseQuery, listOptions } = require('../src/query');

test('three repeats', () => {
  assert.deepEqual(parseQuery('x=1&x=2&x=3').x, ['1', '2', '3']);
});

test('single tag stays scalar', () => {
  assert.equal(parseQuery('tag=a').tag, 'a');
  assert.deepEqual(listOptions('tag=a&sort=name').tags, ['a']);
});

test('mixed', () => {
  assert.deepEqual({ ...parseQuery('a=1&b=2&a=&c=%2F') }, { a: ['1', ''], b: '2', c: '/' });
  assert.deepEqual(listOptions(''), { tags: [], sort: 'created', desc: false });
});
