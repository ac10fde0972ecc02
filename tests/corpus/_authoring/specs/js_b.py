CASES = []

# ---------------------------------------------------------------- wrong-operator 002
CASES.append(dict(
id="js-wrong-op-002", fault_class="wrong-operator", kind="syntactic",
description="TokenBucket.take() checks tokens > cost instead of >=, refusing a request that exactly drains the bucket",
module="tokenbucket",
source=r'''
'use strict';

// Token-bucket limiter for the public webhook endpoint.

class TokenBucket {
  constructor({ capacity, refillPerSec, now = () => Date.now() }) {
    if (!(capacity > 0) || !(refillPerSec >= 0)) {
      throw new RangeError('capacity must be > 0 and refillPerSec >= 0');
    }
    this.capacity = capacity;
    this.refillPerSec = refillPerSec;
    this.now = now;
    this.tokens = capacity;
    this.last = now();
  }

  refill() {
    const t = this.now();
    const elapsed = Math.max(0, t - this.last) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerSec);
    this.last = t;
  }

  take(cost = 1) {
    this.refill();
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return true;
    }
    return false;
  }

  waitTimeMs(cost = 1) {
    this.refill();
    if (this.tokens >= cost) return 0;
    if (this.refillPerSec === 0) return Infinity;
    return Math.ceil(((cost - this.tokens) / this.refillPerSec) * 1000);
  }
}

function limiterMiddleware(bucket) {
  return (req, res, next) => {
    if (bucket.take()) return next();
    res.statusCode = 429;
    res.setHeader('Retry-After', String(Math.ceil(bucket.waitTimeMs() / 1000)));
    return res.end('Too Many Requests');
  };
}

module.exports = { TokenBucket, limiterMiddleware };
''',
bug=[('''    this.refill();
    if (this.tokens >= cost) {
      this.tokens -= cost;''', '''    this.refill();
    if (this.tokens > cost) {
      this.tokens -= cost;''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TokenBucket } = require('../src/tokenbucket');

function clock() {
  const c = { t: 0 };
  c.now = () => c.t;
  return c;
}

test('rejects bad config', () => {
  assert.throws(() => new TokenBucket({ capacity: 0, refillPerSec: 1 }), RangeError);
});

test('wait time when empty', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 1, refillPerSec: 2, now: c.now });
  b.tokens = 0;
  assert.equal(b.waitTimeMs(), 500);
});

test('burst up to capacity', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 3, refillPerSec: 1, now: c.now });
  assert.deepEqual([b.take(), b.take(), b.take(), b.take()], [true, true, true, false]);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TokenBucket, limiterMiddleware } = require('../src/tokenbucket');

function clock() {
  const c = { t: 0 };
  c.now = () => c.t;
  return c;
}

test('exact cost', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 5, refillPerSec: 0, now: c.now });
  assert.equal(b.take(5), true);
  assert.equal(b.take(1), false);
  assert.equal(b.waitTimeMs(), Infinity);
});

test('refill after time', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 2, refillPerSec: 1, now: c.now });
  b.take(2);
  c.t = 1000;
  assert.equal(b.take(), true);
  assert.equal(b.take(), false);
});

test('middleware 429', () => {
  const c = clock();
  const b = new TokenBucket({ capacity: 1, refillPerSec: 1, now: c.now });
  const mw = limiterMiddleware(b);
  let nexts = 0;
  const res = { headers: {}, setHeader(k, v) { this.headers[k] = v; }, end(body) { this.body = body; } };
  mw({}, res, () => nexts++);
  mw({}, res, () => nexts++);
  assert.equal(nexts, 1);
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['Retry-After'], '1');
});
''',
))

# ---------------------------------------------------------------- wrong-operator 003
CASES.append(dict(
id="js-wrong-op-003", fault_class="wrong-operator", kind="syntactic",
description="fahrenheitToCelsius() adds 32 instead of subtracting it before scaling",
module="units",
source=r'''
'use strict';

// Unit conversion for the IoT telemetry ingestion pipeline.

const LENGTH = { mm: 0.001, cm: 0.01, m: 1, km: 1000, in: 0.0254, ft: 0.3048, mi: 1609.344 };
const MASS = { g: 0.001, kg: 1, lb: 0.45359237, oz: 0.028349523125 };

function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function fahrenheitToCelsius(f) {
  return ((f - 32) * 5) / 9;
}

function celsiusToFahrenheit(c) {
  return (c * 9) / 5 + 32;
}

function convert(value, from, to) {
  if (from === to) return value;
  if (from === 'F' && to === 'C') return fahrenheitToCelsius(value);
  if (from === 'C' && to === 'F') return celsiusToFahrenheit(value);
  if (from === 'C' && to === 'K') return value + 273.15;
  if (from === 'K' && to === 'C') return value - 273.15;
  for (const table of [LENGTH, MASS]) {
    if (from in table && to in table) {
      return (value * table[from]) / table[to];
    }
  }
  throw new RangeError(`cannot convert ${from} to ${to}`);
}

function normalizeReading(reading) {
  const target = { temperature: 'C', distance: 'm', weight: 'kg' }[reading.kind];
  if (!target) throw new RangeError(`unknown reading kind ${reading.kind}`);
  return {
    kind: reading.kind,
    unit: target,
    value: round(convert(reading.value, reading.unit, target), 3),
  };
}

module.exports = { convert, normalizeReading, fahrenheitToCelsius, celsiusToFahrenheit, round };
''',
bug=[("return ((f - 32) * 5) / 9;", "return ((f + 32) * 5) / 9;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { convert, normalizeReading, round } = require('../src/units');

test('length', () => {
  assert.equal(round(convert(1, 'mi', 'km'), 3), 1.609);
});

test('unknown pair', () => {
  assert.throws(() => convert(1, 'kg', 'm'), RangeError);
});

test('celsius to fahrenheit', () => {
  assert.equal(convert(100, 'C', 'F'), 212);
});

test('normalize fahrenheit reading', () => {
  assert.deepEqual(normalizeReading({ kind: 'temperature', unit: 'F', value: 212 }), { kind: 'temperature', unit: 'C', value: 100 });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { convert, fahrenheitToCelsius, normalizeReading } = require('../src/units');

test('freezing and -40', () => {
  assert.equal(fahrenheitToCelsius(32), 0);
  assert.equal(fahrenheitToCelsius(-40), -40);
  assert.equal(convert(98.6, 'F', 'C').toFixed(1), '37.0');
});

test('roundtrip', () => {
  for (const c of [-10, 0, 21.5, 37]) {
    assert.ok(Math.abs(convert(convert(c, 'C', 'F'), 'F', 'C') - c) < 1e-9);
  }
});

test('weights and kelvin', () => {
  assert.deepEqual(normalizeReading({ kind: 'weight', unit: 'lb', value: 10 }), { kind: 'weight', unit: 'kg', value: 4.536 });
  assert.equal(convert(0, 'C', 'K'), 273.15);
});
''',
))

# ---------------------------------------------------------------- negated-condition 001
CASES.append(dict(
id="js-negated-001", fault_class="negated-condition", kind="syntactic",
description="corsHeaders() returns allow-origin headers for origins NOT in the allow list and nothing for allowed ones",
module="cors",
source=r'''
'use strict';

// CORS policy evaluation for the API gateway.

function originMatches(pattern, origin) {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    const host = origin.replace(/^https?:\/\//, '');
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return pattern === origin;
}

function isAllowed(policy, origin) {
  return policy.origins.some((p) => originMatches(p, origin));
}

function corsHeaders(policy, req) {
  const origin = req.headers.origin;
  if (!origin) return {};
  if (!isAllowed(policy, origin)) {
    return {};
  }
  const headers = {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
  };
  if (policy.credentials) headers['Access-Control-Allow-Credentials'] = 'true';
  if (req.method === 'OPTIONS') {
    headers['Access-Control-Allow-Methods'] = (policy.methods || ['GET', 'POST']).join(', ');
    headers['Access-Control-Max-Age'] = String(policy.maxAge ?? 600);
  }
  return headers;
}

module.exports = { corsHeaders, isAllowed, originMatches };
''',
bug=[("  if (!isAllowed(policy, origin)) {", "  if (isAllowed(policy, origin)) {")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { corsHeaders, originMatches } = require('../src/cors');

const policy = { origins: ['https://app.example.com', '*.trusted.io'], credentials: true };

test('wildcard subdomain matching', () => {
  assert.equal(originMatches('*.trusted.io', 'https://a.trusted.io'), true);
  assert.equal(originMatches('*.trusted.io', 'https://trusted.io'), false);
});

test('no origin header', () => {
  assert.deepEqual(corsHeaders(policy, { headers: {}, method: 'GET' }), {});
});

test('allowed origin gets headers', () => {
  const h = corsHeaders(policy, { headers: { origin: 'https://app.example.com' }, method: 'GET' });
  assert.equal(h['Access-Control-Allow-Origin'], 'https://app.example.com');
  assert.equal(h['Access-Control-Allow-Credentials'], 'true');
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { corsHeaders } = require('../src/cors');

const policy = { origins: ['https://app.example.com', '*.trusted.io'], methods: ['GET'], maxAge: 60 };

test('disallowed origin gets nothing', () => {
  assert.deepEqual(corsHeaders(policy, { headers: { origin: 'https://evil.com' }, method: 'GET' }), {});
});

test('preflight for wildcard origin', () => {
  assert.deepEqual(corsHeaders(policy, { headers: { origin: 'https://x.trusted.io' }, method: 'OPTIONS' }), {
    'Access-Control-Allow-Origin': 'https://x.trusted.io',
    Vary: 'Origin',
    'Access-Control-Allow-Methods': 'GET',
    'Access-Control-Max-Age': '60',
  });
});

test('star policy', () => {
  const h = corsHeaders({ origins: ['*'] }, { headers: { origin: 'http://a' }, method: 'GET' });
  assert.equal(h['Access-Control-Allow-Origin'], 'http://a');
  assert.equal(h['Access-Control-Allow-Credentials'], undefined);
});
''',
))

# ---------------------------------------------------------------- negated-condition 002
CASES.append(dict(
id="js-negated-002", fault_class="negated-condition", kind="syntactic",
description="parseBool() treats every value except 'false' as true because the falsy-list membership test is negated",
module="envconfig",
source=r'''
'use strict';

// Typed environment-variable configuration loader.

const TRUTHY = ['1', 'true', 'yes', 'on'];
const FALSY = ['0', 'false', 'no', 'off', ''];

function parseBool(raw, name) {
  const v = String(raw).trim().toLowerCase();
  if (TRUTHY.includes(v)) return true;
  if (FALSY.includes(v)) return false;
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
''',
bug=[("  if (FALSY.includes(v)) return false;", "  if (!FALSY.includes(v)) return false;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadEnv, parseIntStrict } = require('../src/envconfig');

const schema = {
  PORT: { type: 'int', default: 3000 },
  DEBUG: { type: 'bool', default: false },
  HOSTS: { type: 'list', default: [] },
  NAME: { type: 'string', required: true },
};

test('defaults', () => {
  assert.deepEqual(loadEnv(schema, { NAME: 'svc' }), { PORT: 3000, DEBUG: false, HOSTS: [], NAME: 'svc' });
});

test('required', () => {
  assert.throws(() => loadEnv(schema, {}), /NAME/);
});

test('int parsing', () => {
  assert.throws(() => parseIntStrict('12a', 'X'), TypeError);
});

test('values are parsed', () => {
  assert.deepEqual(loadEnv(schema, { NAME: 'a', PORT: '80', DEBUG: 'off', HOSTS: 'a, b,' }),
    { PORT: 80, DEBUG: false, HOSTS: ['a', 'b'], NAME: 'a' });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseBool } = require('../src/envconfig');

test('truthy', () => {
  for (const v of ['1', 'TRUE', ' yes ', 'On']) assert.equal(parseBool(v, 'X'), true, v);
});

test('falsy', () => {
  for (const v of ['0', 'false', 'NO', 'off', '']) assert.equal(parseBool(v, 'X'), false, v);
});

test('garbage rejected', () => {
  assert.throws(() => parseBool('maybe', 'FLAG'), /FLAG/);
  assert.throws(() => parseBool('2', 'FLAG'), TypeError);
});
''',
))

# ---------------------------------------------------------------- negated-condition 003
CASES.append(dict(
id="js-negated-003", fault_class="negated-condition", kind="syntactic",
description="LruCache.get() treats a present key as a miss because the has() check is negated",
module="lru",
source=r'''
'use strict';

// LRU cache for rendered fragments (Map keeps insertion order).

class LruCache {
  constructor(capacity = 100) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('capacity must be a positive integer');
    }
    this.capacity = capacity;
    this.map = new Map();
    this.hits = 0;
    this.misses = 0;
  }

  get(key) {
    if (!this.map.has(key)) {
      this.misses += 1;
      return undefined;
    }
    const value = this.map.get(key);
    this.map.delete(key);
    this.map.set(key, value);
    this.hits += 1;
    return value;
  }

  set(key, value) {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      this.map.delete(oldest);
    }
    return this;
  }

  delete(key) {
    return this.map.delete(key);
  }

  get size() {
    return this.map.size;
  }

  stats() {
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, ratio: total ? this.hits / total : 0 };
  }
}

module.exports = { LruCache };
''',
bug=[("    if (!this.map.has(key)) {\n      this.misses", "    if (this.map.has(key)) {\n      this.misses")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LruCache } = require('../src/lru');

test('capacity validation', () => {
  assert.throws(() => new LruCache(0), RangeError);
});

test('evicts when full', () => {
  const c = new LruCache(2);
  c.set('a', 1).set('b', 2).set('c', 3);
  assert.equal(c.size, 2);
  assert.deepEqual([...c.map.keys()], ['b', 'c']);
});

test('get returns stored value', () => {
  const c = new LruCache(2);
  c.set('a', 1);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('zz'), undefined);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LruCache } = require('../src/lru');

test('recency on get', () => {
  const c = new LruCache(2);
  c.set('a', 1).set('b', 2);
  c.get('a');
  c.set('c', 3);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('c'), 3);
});

test('stats', () => {
  const c = new LruCache(3);
  c.set('x', 0);
  c.get('x');
  c.get('y');
  assert.deepEqual(c.stats(), { hits: 1, misses: 1, ratio: 0.5 });
});

test('falsy values are hits', () => {
  const c = new LruCache(3);
  c.set('z', 0);
  assert.equal(c.get('z'), 0);
  assert.equal(c.hits, 1);
});
''',
))

# ---------------------------------------------------------------- missing-condition 001
CASES.append(dict(
id="js-missing-cond-001", fault_class="missing-condition", kind="semantic",
description="parseQuery() overwrites earlier values of a repeated key instead of collecting them into an array",
module="query",
source=r'''
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
    if (key in out) {
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else {
      out[key] = value;
    }
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

module.exports = { parseQuery, listOptions, toArray };
''',
bug=[('''    if (key in out) {
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else {
      out[key] = value;
    }
''', '''    out[key] = value;
''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseQuery, listOptions } = require('../src/query');

test('simple pairs', () => {
  assert.deepEqual({ ...parseQuery('?a=1&b=hello+world') }, { a: '1', b: 'hello world' });
});

test('flag without value', () => {
  assert.deepEqual({ ...parseQuery('debug') }, { debug: '' });
});

test('repeated tags', () => {
  assert.deepEqual(listOptions('tag=red&tag=blue&order=desc'), { tags: ['red', 'blue'], sort: 'created', desc: true });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseQuery, listOptions } = require('../src/query');

test('three repeats', () => {
  assert.deepEqual(parseQuery('x=1&x=2&x=3').x, ['1', '2', '3']);
});

test('single tag stays scalar', () => {
  assert.equal(parseQuery('tag=a').tag, 'a');
  assert.deepEqual(listOptions('tag=a&sort=name').tags, ['a']);
});

test('mixed', () => {
  assert.deepEqual({ ...parseQuery('a=1&b=2&a=&c=%2F') }, { a: ['1', ''], b: '2', c: '/' });
  assert.deepEqual(listOptions(''), { tags: [], sort: 'created', desc: false });
});
''',
))

# ---------------------------------------------------------------- missing-condition 002
CASES.append(dict(
id="js-missing-cond-002", fault_class="missing-condition", kind="semantic",
description="isPlainObject() lacks the !Array.isArray guard, so deepMerge() merges override arrays index-by-index into objects instead of replacing the base array",
module="merge",
source=r'''
'use strict';

// Layered service configuration: defaults <- file <- CLI overrides.

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
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
''',
bug=[("return v !== null && typeof v === 'object' && !Array.isArray(v);", "return v !== null && typeof v === 'object';")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { deepMerge, mergeAll, parseCliOverrides } = require('../src/merge');

test('nested merge', () => {
  assert.deepEqual(deepMerge({ db: { host: 'a', port: 1 } }, { db: { port: 2 } }), { db: { host: 'a', port: 2 } });
});

test('cli overrides', () => {
  assert.deepEqual(parseCliOverrides(['--db.port=5432', '-x', '--name=svc']), { db: { port: 5432 }, name: 'svc' });
});

test('arrays are replaced', () => {
  const cfg = mergeAll({ hosts: ['a', 'b', 'c'] }, { hosts: ['z'] });
  assert.deepEqual(cfg, { hosts: ['z'] });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { deepMerge, mergeAll, parseCliOverrides } = require('../src/merge');

test('array over object and object over array', () => {
  assert.deepEqual(deepMerge({ a: { x: 1 } }, { a: [1] }), { a: [1] });
  assert.deepEqual(deepMerge({ a: [1, 2] }, { a: { x: 1 } }), { a: { x: 1 } });
});

test('nested arrays in cli layer', () => {
  const cfg = mergeAll({ log: { sinks: ['stdout', 'file'], level: 'info' } }, null, parseCliOverrides(['--log.sinks=syslog,stdout']));
  assert.deepEqual(cfg, { log: { sinks: ['syslog', 'stdout'], level: 'info' } });
});

test('top-level arrays', () => {
  assert.deepEqual(deepMerge([1, 2, 3], [9]), [9]);
  assert.deepEqual(deepMerge({ a: 1 }, undefined), { a: 1 });
});
''',
))

# ---------------------------------------------------------------- missing-condition 003
CASES.append(dict(
id="js-missing-cond-003", fault_class="missing-condition", kind="semantic",
description="joinUrl() does not strip leading slashes from later segments, producing '//' in joined URLs",
module="urljoin",
source=r'''
'use strict';

// URL building helpers for the outbound API client.

function joinUrl(base, ...segments) {
  let url = base.replace(/\/+$/, '');
  for (const raw of segments) {
    if (raw === undefined || raw === null || raw === '') continue;
    let seg = String(raw);
    seg = seg.replace(/^\/+/, '');
    seg = seg.replace(/\/+$/, '');
    if (seg) url += '/' + seg;
  }
  return url;
}

function withQuery(url, params) {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null);
  if (entries.length === 0) return url;
  const qs = entries
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return url + (url.includes('?') ? '&' : '?') + qs;
}

function resourceUrl(baseUrl, resource, id, params) {
  const path = id === undefined ? joinUrl(baseUrl, resource) : joinUrl(baseUrl, resource, encodeURIComponent(id));
  return withQuery(path, params);
}

module.exports = { joinUrl, withQuery, resourceUrl };
''',
bug=[("    seg = seg.replace(/^\\/+/, '');\n", "")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { joinUrl, withQuery, resourceUrl } = require('../src/urljoin');

test('basic join', () => {
  assert.equal(joinUrl('https://api.x.io/', 'v1', 'users'), 'https://api.x.io/v1/users');
});

test('query params', () => {
  assert.equal(withQuery('/a', { q: 'a b', skip: undefined, n: 2 }), '/a?q=a%20b&n=2');
});

test('segments with leading slash', () => {
  assert.equal(joinUrl('https://api.x.io', '/v1/', '/users'), 'https://api.x.io/v1/users');
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { joinUrl, resourceUrl } = require('../src/urljoin');

test('many slashes', () => {
  assert.equal(joinUrl('http://h//', '//a//', '', '///b'), 'http://h/a/b');
});

test('resource with id', () => {
  assert.equal(resourceUrl('https://api/', '/items', 'a/b', { page: 2 }), 'https://api/items/a%2Fb?page=2');
});

test('slash-only segment is skipped', () => {
  assert.equal(joinUrl('http://h', '/', 'x'), 'http://h/x');
});
''',
))

# ---------------------------------------------------------------- uncaught-exception 001
CASES.append(dict(
id="js-uncaught-001", fault_class="uncaught-exception", kind="semantic",
description="parseJsonBody() lets the SyntaxError from JSON.parse escape for malformed bodies instead of returning a 400 result",
module="body",
source=r'''
'use strict';

// Request body parsing for the JSON API.

const MAX_BODY = 64 * 1024;

function contentTypeOf(headers) {
  const raw = headers['content-type'] || '';
  return raw.split(';')[0].trim().toLowerCase();
}

function parseJsonBody(req) {
  const type = contentTypeOf(req.headers);
  if (type !== 'application/json') {
    return { ok: false, status: 415, error: `unsupported content type "${type}"` };
  }
  const raw = req.body == null ? '' : String(req.body);
  if (Buffer.byteLength(raw) > MAX_BODY) {
    return { ok: false, status: 413, error: 'body too large' };
  }
  if (raw.trim() === '') {
    return { ok: true, value: null };
  }
  let value;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { ok: false, status: 400, error: `invalid JSON: ${err.message}` };
  }
  return { ok: true, value };
}

function handleCreate(req, store) {
  const body = parseJsonBody(req);
  if (!body.ok) return { status: body.status, body: { error: body.error } };
  if (!body.value || typeof body.value.name !== 'string') {
    return { status: 422, body: { error: 'name is required' } };
  }
  const id = store.length + 1;
  store.push({ id, name: body.value.name });
  return { status: 201, body: { id } };
}

module.exports = { parseJsonBody, handleCreate, MAX_BODY };
''',
bug=[('''  let value;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { ok: false, status: 400, error: `invalid JSON: ${err.message}` };
  }
  return { ok: true, value };''', '''  const value = JSON.parse(raw);
  return { ok: true, value };''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseJsonBody, handleCreate } = require('../src/body');

const json = (body) => ({ headers: { 'content-type': 'application/json; charset=utf-8' }, body });

test('parses json', () => {
  assert.deepEqual(parseJsonBody(json('{"a":1}')), { ok: true, value: { a: 1 } });
});

test('wrong content type', () => {
  assert.equal(parseJsonBody({ headers: { 'content-type': 'text/plain' }, body: 'x' }).status, 415);
});

test('create', () => {
  const store = [];
  assert.deepEqual(handleCreate(json('{"name":"n"}'), store), { status: 201, body: { id: 1 } });
});

test('malformed json is a 400', () => {
  assert.equal(handleCreate(json('{"name":'), []).status, 400);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseJsonBody, handleCreate, MAX_BODY } = require('../src/body');

const json = (body) => ({ headers: { 'content-type': 'application/json' }, body });

test('malformed variants', () => {
  for (const b of ['{', 'undefined', "{'a':1}", '[1,]']) {
    const r = parseJsonBody(json(b));
    assert.equal(r.ok, false, b);
    assert.equal(r.status, 400, b);
    assert.match(r.error, /^invalid JSON/);
  }
});

test('empty body', () => {
  assert.deepEqual(parseJsonBody(json('  ')), { ok: true, value: null });
  assert.equal(handleCreate(json(''), []).status, 422);
});

test('too large', () => {
  assert.equal(parseJsonBody(json('"' + 'x'.repeat(MAX_BODY) + '"')).status, 413);
});
''',
evidence='''const { handleCreate } = require("./src/body"); handleCreate({ headers: { "content-type": "application/json" }, body: "{\\"name\\":" }, []);''',
))
