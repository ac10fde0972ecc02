'use strict';

// Parse durations like "1h30m", "250ms", "2d" used in job schedules.

const UNIT_MS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

function parseDuration(text) {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new RangeError(`invalid duration ${text}`);
    return text;
  }
  const s = String(text).trim().toLowerCase();
  if (s === '') throw new RangeError('empty duration');
  const re = /(\d+(?:\.\d+)?)([a-z]+)/g;
  let total = 0;
  let consumed = 0;
  let m;
  while ((m = re.exec(s)) !== null) {
    const unit = UNIT_MS[m[2]];
    total += Number(m[1]) * unit;
    consumed += m[0].length;
  }
  if (consumed !== s.length) throw new RangeError(`invalid duration ${text}`);
  return total;
}

function formatDuration(ms) {
  const parts = [];
  for (const [u, size] of [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]]) {
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${u}`);
      ms %= size;
    }
  }
  if (ms > 0 || parts.length === 0) parts.push(`${ms}ms`);
  return parts.join('');
}

function nextRun(lastRunMs, every) {
  return lastRunMs + parseDuration(every);
}

module.exports = { parseDuration, formatDuration, nextRun };
