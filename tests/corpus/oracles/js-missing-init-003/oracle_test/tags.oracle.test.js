'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { tagCounts, cloud, related } = require('../src/tags');

test('empty input', () => {
  assert.deepEqual(tagCounts([]), {});
  assert.deepEqual(tagCounts([{}, { tags: ['!!!'] }]), {});
  assert.deepEqual(cloud([]), []);
});

test('min count and related', () => {
  const posts = [{ tags: ['a', 'b'] }, { tags: ['a', 'c'] }, { tags: ['a', 'b'] }, { tags: ['d'] }];
  assert.deepEqual(cloud(posts, { minCount: 2 }).map((e) => e.tag), ['a', 'b']);
  assert.deepEqual(related(posts, 'A'), ['b', 'c']);
});
