'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TokenBucket } = require('../src/tokenbucket');

function clock() {
  const c = { t: 0 };
  c.now = () => c.t;
  return c;
}

test('rejects bad config', () => {
  assert.throws(() => new TokenBucket({ capacity: 0, refillPerSec: 1 }), RangeError);
});

test('wait time when empty', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 1, refillPerSec: 2, now: c.now });
  b.tokens = 0;
  assert.equal(b.waitTimeMs(), 500);
});

test('burst up to capacity', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 3, refillPerSec: 1, now: c.now });
  assert.deepEqual([b.take(), b.take(), b.take(), b.take()], [true, true, true, false]);
});
