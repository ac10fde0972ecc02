'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { backoffDelay, retry } = require('../src/backoff');

test('factor 3 and cap', () => {
  assert.equal(backoffDelay(3, { baseMs: 10, factor: 3, maxMs: 1000 }), 90);
  assert.equal(backoffDelay(10, { baseMs: 10, factor: 3, maxMs: 1000 }), 1000);
});

test('jitter within cap', () => {
  assert.equal(backoffDelay(4, { baseMs: 100, jitter: true, random: () => 0.5 }), 400);
});

test('retry sleeps growing delays', async () => {
  const sleeps = [];
  let n = 0;
  const out = await retry(async () => { if (++n < 4) throw new Error('x'); return 'ok'; }, { sleep: async (ms) => sleeps.push(ms), baseMs: 5 });
  assert.equal(out, 'ok');
  assert.deepEqual(sleeps, [5, 10, 20]);
});
