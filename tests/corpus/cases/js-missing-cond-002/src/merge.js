'use strict';

// Layered service configuration: defaults <- file <- CLI overrides.

function isPlainObject(v) {
  return v !== null && typeof v === 'object';
}

function deepMerge(base, override) {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return override === undefined ? base : override;
  }
  const out = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    out[key] = key in base ? deepMerge(base[key], value) : value;
  }
  return out;
}

function mergeAll(...layers) {
  return layers.reduce((acc, layer) => deepMerge(acc, layer || {}), {});
}

function parseCliOverrides(args) {
  const out = {};
  for (const arg of args) {
    const m = /^--([\w.]+)=(.*)$/.exec(arg);
    if (!m) continue;
    const path = m[1].split('.');
    let node = out;
    for (const part of path.slice(0, -1)) {
      node[part] = node[part] || {};
      node = node[part];
    }
    let value = m[2];
    if (/^\d+$/.test(value)) value = Number(value);
    else if (value.includes(',')) value = value.split(',');
    node[path[path.length - 1]] = value;
  }
  return out;
}

module.exports = { deepMerge, mergeAll, parseCliOverrides };
