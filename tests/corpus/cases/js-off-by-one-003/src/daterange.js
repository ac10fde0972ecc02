'use strict';

// Day-bucketed date ranges for the usage report API (UTC only).

const DAY_MS = 24 * 60 * 60 * 1000;

function parseDay(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    throw new RangeError(`invalid date ${s}`);
  }
  const t = Date.parse(`${s}T00:00:00Z`);
  if (Number.isNaN(t)) throw new RangeError(`invalid date ${s}`);
  return t;
}

function formatDay(t) {
  return new Date(t).toISOString().slice(0, 10);
}

// Inclusive range [from, to] as YYYY-MM-DD strings.
function dateRange(from, to) {
  const start = parseDay(from);
  const end = parseDay(to);
  if (end < start) throw new RangeError('to is before from');
  const days = Math.round((end - start) / DAY_MS) + 1;
  const out = [];
  for (let i = 0; i <= days; i++) {
    out.push(formatDay(start + i * DAY_MS));
  }
  return out;
}

function bucketByDay(events, from, to) {
  const buckets = Object.fromEntries(dateRange(from, to).map((d) => [d, 0]));
  for (const e of events) {
    const day = formatDay(e.ts);
    if (day in buckets) buckets[day] += 1;
  }
  return buckets;
}

module.exports = { dateRange, bucketByDay, parseDay, formatDay };
