'use strict';

// Typed environment-variable configuration loader.

const TRUTHY = ['1', 'true', 'yes', 'on'];
const FALSY = ['0', 'false', 'no', 'off', ''];

function parseBool(raw, name) {
  const v = String(raw).trim().toLowerCase();
  if (TRUTHY.includes(v)) return true;
  if (!FALSY.includes(v)) return false;
  throw new TypeError(`${name}: expected a boolean, got "${raw}"`);
}

function parseIntStrict(raw, name) {
  if (!/^-?\d+$/.test(String(raw).trim())) {
    throw new TypeError(`${name}: expected an integer, got "${raw}"`);
  }
  return Number.parseInt(raw, 10);
}

const PARSERS = {
  bool: parseBool,
  int: parseIntStrict,
  string: (raw) => String(raw),
  list: (raw) => String(raw).split(',').map((s) => s.trim()).filter(Boolean),
};

function loadEnv(schema, env = process.env) {
  const out = {};
  for (const [key, spec] of Object.entries(schema)) {
    const raw = env[key];
    if (raw === undefined) {
      if (spec.required) throw new Error(`missing required env var ${key}`);
      out[key] = spec.default;
      continue;
    }
    out[key] = PARSERS[spec.type](raw, key);
  }
  return out;
}

module.exports = { loadEnv, parseBool, parseIntStrict };
