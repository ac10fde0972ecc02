'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { ShardMap, fnv1a } = require('../src/shards');

test('shardFor matches hash modulo shard count', () => {
  const shards = ['a', 'b', 'c', 'd', 'e'];
  for (const replicas of [0, 1, 3]) {
    const m = new ShardMap(shards, { replicas });
    for (let i = 0; i < 50; i++) {
      assert.equal(m.shardFor(`k${i}`), shards[fnv1a(`k${i}`) % 5]);
    }
  }
});

test('distribution covers all keys', () => {
  const m = new ShardMap(['x', 'y', 'z'], { replicas: 1 });
  const keys = Array.from({ length: 300 }, (_, i) => `key-${i}`);
  const d = m.distribution(keys);
  assert.equal(d.x + d.y + d.z, 300);
  assert.ok(d.x > 0 && d.y > 0 && d.z > 0);
});

test('primary not among replicas', () => {
  const m = new ShardMap(['x', 'y', 'z'], { replicas: 2 });
  assert.ok(!m.replicasFor('q').includes(m.shardFor('q')));
});
