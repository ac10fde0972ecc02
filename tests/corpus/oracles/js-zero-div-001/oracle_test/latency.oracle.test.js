'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LatencyTracker } = require('../src/latency');

test('unknown endpoint summary', () => {
  assert.deepEqual(new LatencyTracker().summary('/none'), { count: 0, avg: 0, max: 0 });
});

test('rounding', () => {
  const t = new LatencyTracker();
  [1, 1, 2].forEach((v) => t.record('/r', v));
  assert.equal(t.summary('/r').avg, 1.33);
});

test('all is sorted and handles empty', () => {
  const t = new LatencyTracker();
  t.record('/z', 3);
  t.reset('/a');
  assert.deepEqual(Object.keys(t.all()), ['/a', '/z']);
  assert.equal(t.all()['/a'].avg, 0);
});
