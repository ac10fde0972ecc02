'use strict';

// Per-endpoint latency bookkeeping exported on /metrics.

class LatencyTracker {
  constructor() {
    this.samples = new Map();
  }

  record(endpoint, ms) {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`invalid latency ${ms}`);
    }
    if (!this.samples.has(endpoint)) this.samples.set(endpoint, []);
    this.samples.get(endpoint).push(ms);
  }

  reset(endpoint) {
    this.samples.set(endpoint, []);
  }

  summary(endpoint) {
    const list = this.samples.get(endpoint) || [];
    const count = list.length;
    const total = list.reduce((a, b) => a + b, 0);
    const avg = total / count;
    const max = count === 0 ? 0 : Math.max(...list);
    return { count, avg: Math.round(avg * 100) / 100, max };
  }

  all() {
    const out = {};
    for (const endpoint of [...this.samples.keys()].sort()) {
      out[endpoint] = this.summary(endpoint);
    }
    return out;
  }

  render() {
    return Object.entries(this.all())
      .map(([e, s]) => `latency_avg_ms{endpoint="${e}"} ${s.avg}`)
      .join('\n');
  }
}

module.exports = { LatencyTracker };
