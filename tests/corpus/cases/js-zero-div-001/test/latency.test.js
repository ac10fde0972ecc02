'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LatencyTracker } = require('../src/latency');

test('summary', () => {
  const t = new LatencyTracker();
  t.record('/a', 10);
  t.record('/a', 25);
  assert.deepEqual(t.summary('/a'), { count: 2, avg: 17.5, max: 25 });
});

test('rejects invalid latency', () => {
  assert.throws(() => new LatencyTracker().record('/a', -1), RangeError);
});

test('render after reset', () => {
  const t = new LatencyTracker();
  t.record('/b', 4);
  t.reset('/b');
  assert.equal(t.render(), 'latency_avg_ms{endpoint="/b"} 0');
});
