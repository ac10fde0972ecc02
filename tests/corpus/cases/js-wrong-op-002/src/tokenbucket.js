'use strict';

// Token-bucket limiter for the public webhook endpoint.

class TokenBucket {
  constructor({ capacity, refillPerSec, now = () => Date.now() }) {
    if (!(capacity > 0) || !(refillPerSec >= 0)) {
      throw new RangeError('capacity must be > 0 and refillPerSec >= 0');
    }
    this.capacity = capacity;
    this.refillPerSec = refillPerSec;
    this.now = now;
    this.tokens = capacity;
    this.last = now();
  }

  refill() {
    const t = this.now();
    const elapsed = Math.max(0, t - this.last) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerSec);
    this.last = t;
  }

  take(cost = 1) {
    this.refill();
    if (this.tokens > cost) {
      this.tokens -= cost;
      return true;
    }
    return false;
  }

  waitTimeMs(cost = 1) {
    this.refill();
    if (this.tokens >= cost) return 0;
    if (this.refillPerSec === 0) return Infinity;
    return Math.ceil(((cost - this.tokens) / this.refillPerSec) * 1000);
  }
}

function limiterMiddleware(bucket) {
  return (req, res, next) => {
    if (bucket.take()) return next();
    res.statusCode = 429;
    res.setHeader('Retry-After', String(Math.ceil(bucket.waitTimeMs() / 1000)));
    return res.end('Too Many Requests');
  };
}

module.exports = { TokenBucket, limiterMiddleware };
