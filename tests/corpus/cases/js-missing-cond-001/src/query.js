'use strict';

// Query-string parsing for the listing endpoints.

function decode(s) {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

function parseQuery(qs) {
  const out = Object.create(null);
  const s = qs.startsWith('?') ? qs.slice(1) : qs;
  if (!s) return out;
  for (const pair of s.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    out[key] = value;
  }
  return out;
}

function toArray(v) {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function listOptions(qs) {
  const q = parseQuery(qs);
  return {
    tags: toArray(q.tag),
    sort: q.sort || 'created',
    desc: q.order === 'desc',
  };
}

function stringifyQuery(obj) {
  const parts = [];
  for (const [k, v] of Object.entries(obj)) {
    for (const item of toArray(v)) {
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(item)}`);
    }
  }
  return parts.join('&');
}

module.exports = { parseQuery, listOptions, toArray, stringifyQuery };
