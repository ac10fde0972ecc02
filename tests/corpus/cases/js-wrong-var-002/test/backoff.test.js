'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { backoffDelay, retry, schedule } = require('../src/backoff');

test('invalid attempt', () => {
  assert.throws(() => backoffDelay(0), RangeError);
});

test('first delay is base', () => {
  assert.equal(backoffDelay(1, { baseMs: 50 }), 50);
});

test('schedule grows and caps', () => {
  assert.deepEqual(schedule(5, { baseMs: 100, maxMs: 1000 }), [100, 200, 400, 800, 1000]);
});

test('retry stops on non-retryable', async () => {
  let calls = 0;
  const err = Object.assign(new Error('no'), { retryable: false });
  await assert.rejects(retry(async () => { calls++; throw err; }, { sleep: async () => {} }), /no/);
  assert.equal(calls, 1);
});
