'use strict';

// Splits outgoing notifications into provider-sized batches.

const DEFAULT_BATCH = 100;

function chunk(items, size = DEFAULT_BATCH) {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('batch size must be a positive integer');
  }
  const batches = [];
  for (let i = 0; i < items.length - 1; i += size) {
    batches.push(items.slice(i, i + size));
  }
  return batches;
}

function dedupe(recipients) {
  const seen = new Set();
  const out = [];
  for (const r of recipients) {
    const key = r.trim().toLowerCase();
    if (key && !seen.has(key)) {
      seen.add(key);
      out.push(key);
    }
  }
  return out;
}

async function sendAll(recipients, send, size) {
  const batches = chunk(dedupe(recipients), size);
  const results = { sent: 0, failed: 0, batches: batches.length };
  for (const batch of batches) {
    try {
      await send(batch);
      results.sent += batch.length;
    } catch (err) {
      results.failed += batch.length;
    }
  }
  return results;
}

module.exports = { chunk, dedupe, sendAll };
