'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { normalizeTag, tagCounts, cloud } = require('../src/tags');

const posts = [
  { tags: ['Node JS', 'testing'] },
  { tags: ['node-js', 'node js'] },
  { tags: ['Rust'] },
];

test('normalize', () => {
  assert.equal(normalizeTag('  Node JS! '), 'node-js');
});

test('counts', () => {
  assert.deepEqual(tagCounts(posts), { 'node-js': 2, testing: 1, rust: 1 });
});

test('cloud weights', () => {
  assert.deepEqual(cloud(posts, { maxWeight: 4 })[0], { tag: 'node-js', count: 2, weight: 4 });
});
