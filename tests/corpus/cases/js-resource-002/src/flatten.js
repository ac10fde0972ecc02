'use strict';

// Flattens nested config objects into dotted keys for the /debug/config page.

function isObject(v) {
  return v !== null && typeof v === 'object';
}

function flatten(obj, prefix = '', out = {}) {
  const entries = Array.isArray(obj) ? obj.map((v, i) => [String(i), v]) : Object.entries(obj);
  if (entries.length === 0 && prefix) {
    out[prefix] = Array.isArray(obj) ? '[]' : '{}';
  }
  for (const [key, value] of entries) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObject(value) && !(value instanceof Date)) {
      flatten(value, path, out);
    } else {
      out[path] = value instanceof Date ? value.toISOString() : value;
    }
  }
  return out;
}

const SECRET_RE = /(password|secret|token|key)$/i;

function redact(flat) {
  const out = {};
  for (const [k, v] of Object.entries(flat)) {
    out[k] = SECRET_RE.test(k) && v !== '[Circular]' ? '***' : v;
  }
  return out;
}

function debugView(config) {
  return Object.entries(redact(flatten(config)))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join('\n');
}

module.exports = { flatten, redact, debugView };
