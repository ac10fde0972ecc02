'use strict';

// Exponential backoff with optional full jitter for the queue consumer.

function backoffDelay(attempt, { baseMs = 100, maxMs = 10000, factor = 2, jitter = false, random = Math.random } = {}) {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError('attempt must be an integer >= 1');
  }
  const raw = baseMs * factor ** (attempt - 1);
  const capped = Math.min(raw, baseMs);
  return jitter ? Math.floor(random() * capped) : capped;
}

async function retry(fn, { attempts = 5, sleep, ...opts } = {}) {
  let lastErr;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastErr = err;
      if (err && err.retryable === false) break;
      if (attempt < attempts) await sleep(backoffDelay(attempt, opts));
    }
  }
  throw lastErr;
}

function schedule(attempts, opts) {
  const out = [];
  for (let i = 1; i <= attempts; i++) out.push(backoffDelay(i, opts));
  return out;
}

function parseRetryAfter(header, nowMs = Date.now()) {
  // Retry-After is either delta-seconds or an HTTP date.
  if (header == null || header === '') return null;
  if (/^\d+$/.test(String(header).trim())) return Number(header) * 1000;
  const t = Date.parse(header);
  if (Number.isNaN(t)) return null;
  return Math.max(0, t - nowMs);
}

module.exports = { backoffDelay, retry, schedule, parseRetryAfter };
