'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { ShardMap } = require('../src/shards');

test('requires shards', () => {
  assert.throws(() => new ShardMap([]));
});

test('replicas are distinct from primary', () => {
  const m = new ShardMap(['a', 'b', 'c'], { replicas: 2 });
  const r = m.replicasFor('user:1');
  assert.equal(r.length, 2);
  assert.equal(new Set(r).size, 2);
});

test('every key maps to a shard', () => {
  const m = new ShardMap(['s1', 's2']);
  for (const k of ['a', 'b', 'c', 'd']) {
    assert.ok(['s1', 's2'].includes(m.shardFor(k)));
  }
});
