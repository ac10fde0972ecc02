'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TokenBucket, limiterMiddleware } = require('../src/tokenbucket');

function clock() {
  const c = { t: 0 };
  c.now = () => c.t;
  return c;
}

test('exact cost', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 5, refillPerSec: 0, now: c.now });
  assert.equal(b.take(5), true);
  assert.equal(b.take(1), false);
  assert.equal(b.waitTimeMs(), Infinity);
});

test('refill after time', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 2, refillPerSec: 1, now: c.now });
  b.take(2);
  c.t = 1000;
  assert.equal(b.take(), true);
  assert.equal(b.take(), false);
});

test('middleware 429', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 1, refillPerSec: 1, now: c.now });
  const mw = limiterMiddleware(b);
  let nexts = 0;
  const res = { headers: {}, setHeader(k, v) { this.headers[k] = v; }, end(body) { this.body = body; } };
  mw({}, res, () => nexts++);
  mw({}, res, () => nexts++);
  assert.equal(nexts, 1);
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['Retry-After'], '1');
});
