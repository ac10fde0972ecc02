'use strict';

// Round-robin load balancer with passive health tracking.

class Balancer {
  constructor(urls, { maxFailures = 3 } = {}) {
    this.backends = urls.map((url) => ({ url, failures: 0, healthy: true }));
    this.maxFailures = maxFailures;
    this.cursor = -1;
  }

  next() {
    const n = this.backends.length;
    for (let tried = 0; tried < n; ) {
      this.cursor = (this.cursor + 1) % n;
      const b = this.backends[this.cursor];
      if (b.healthy) return b.url;
    }
    return null;
  }

  reportFailure(url) {
    const b = this.backends.find((x) => x.url === url);
    if (!b) return;
    b.failures += 1;
    if (b.failures >= this.maxFailures) b.healthy = false;
  }

  reportSuccess(url) {
    const b = this.backends.find((x) => x.url === url);
    if (!b) return;
    b.failures = 0;
    b.healthy = true;
  }

  healthyCount() {
    return this.backends.filter((b) => b.healthy).length;
  }
}

module.exports = { Balancer };
