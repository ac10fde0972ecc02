CASES = []


def isolated_helper(module):
    return r'''
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const MOD = path.join(__dirname, '..', 'src', '%s.js');

// Runs `body` (which must evaluate an expression into `result`) in a child
// process so that a hang fails the test instead of blocking the runner.
function isolated(body, timeout = 3000) {
  const code = `const m = require(${JSON.stringify(MOD)}); let result; ${body}; process.stdout.write(JSON.stringify(result === undefined ? null : result));`;
  const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout });
  if (res.error && res.error.code === 'ETIMEDOUT') throw new Error(`did not finish within ${timeout}ms`);
  if (res.status !== 0) throw new Error(res.stderr || `exit ${res.status}`);
  return JSON.parse(res.stdout);
}
''' % module


# ---------------------------------------------------------------- missing-initialization 003
CASES.append(dict(
id="js-missing-init-003", fault_class="missing-initialization", kind="syntactic",
description="tagCounts() increments counts[tag] without initialising new keys, so every count becomes NaN",
module="tags",
source=r'''
'use strict';

// Tag statistics for the blog's tag cloud.

function normalizeTag(tag) {
  return String(tag)
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9-]/g, '');
}

function tagCounts(posts) {
  const counts = {};
  for (const post of posts) {
    const unique = new Set((post.tags || []).map(normalizeTag).filter(Boolean));
    for (const tag of unique) {
      counts[tag] = (counts[tag] || 0) + 1;
    }
  }
  return counts;
}

function cloud(posts, { minCount = 1, maxWeight = 5 } = {}) {
  const counts = tagCounts(posts);
  const entries = Object.entries(counts).filter(([, c]) => c >= minCount);
  if (entries.length === 0) return [];
  const max = Math.max(...entries.map(([, c]) => c));
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([tag, count]) => ({ tag, count, weight: Math.max(1, Math.round((count / max) * maxWeight)) }));
}

function related(posts, tag) {
  const t = normalizeTag(tag);
  const withTag = posts.filter((p) => (p.tags || []).map(normalizeTag).includes(t));
  const counts = tagCounts(withTag);
  delete counts[t];
  return Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
}

module.exports = { normalizeTag, tagCounts, cloud, related };
''',
bug=[("counts[tag] = (counts[tag] || 0) + 1;", "counts[tag] += 1;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { normalizeTag, tagCounts, cloud } = require('../src/tags');

const posts = [
  { tags: ['Node JS', 'testing'] },
  { tags: ['node-js', 'node js'] },
  { tags: ['Rust'] },
];

test('normalize', () => {
  assert.equal(normalizeTag('  Node JS! '), 'node-js');
});

test('counts', () => {
  assert.deepEqual(tagCounts(posts), { 'node-js': 2, testing: 1, rust: 1 });
});

test('cloud weights', () => {
  assert.deepEqual(cloud(posts, { maxWeight: 4 })[0], { tag: 'node-js', count: 2, weight: 4 });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { tagCounts, cloud, related } = require('../src/tags');

test('empty input', () => {
  assert.deepEqual(tagCounts([]), {});
  assert.deepEqual(tagCounts([{}, { tags: ['!!!'] }]), {});
  assert.deepEqual(cloud([]), []);
});

test('min count and related', () => {
  const posts = [{ tags: ['a', 'b'] }, { tags: ['a', 'c'] }, { tags: ['a', 'b'] }, { tags: ['d'] }];
  assert.deepEqual(cloud(posts, { minCount: 2 }).map((e) => e.tag), ['a', 'b']);
  assert.deepEqual(related(posts, 'A'), ['b', 'c']);
});
''',
))

# ---------------------------------------------------------------- api-misuse 001
CASES.append(dict(
id="js-api-misuse-001", fault_class="api-misuse", kind="syntactic",
description="median() calls Array.prototype.sort() without a numeric comparator, so latencies are ordered lexicographically",
module="median",
source=r'''
'use strict';

// Robust latency statistics for the synthetic-monitoring probe.

function median(values) {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mad(values) {
  const m = median(values);
  if (m === null) return null;
  return median(values.map((v) => Math.abs(v - m)));
}

function outliers(values, k = 3) {
  const m = median(values);
  const d = mad(values);
  if (m === null || d === 0) return [];
  return values.filter((v) => Math.abs(v - m) / d > k);
}

function probeReport(samples) {
  const ok = samples.filter((s) => s.ok).map((s) => s.ms);
  return {
    total: samples.length,
    failed: samples.length - ok.length,
    medianMs: median(ok),
    outliers: outliers(ok).length,
  };
}

module.exports = { median, mad, outliers, probeReport };
''',
bug=[("const sorted = values.slice().sort((a, b) => a - b);", "const sorted = values.slice().sort();")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { median, probeReport } = require('../src/median');

test('empty', () => {
  assert.equal(median([]), null);
});

test('single-digit values', () => {
  assert.equal(median([3, 1, 2]), 2);
});

test('report', () => {
  const r = probeReport([{ ok: true, ms: 30 }, { ok: false }, { ok: true, ms: 20 }, { ok: true, ms: 9 }]);
  assert.deepEqual(r, { total: 4, failed: 1, medianMs: 20, outliers: 0 });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { median, mad, outliers } = require('../src/median');

test('numeric ordering', () => {
  assert.equal(median([9, 10, 11]), 10);
  assert.equal(median([100, 9, 20, 3]), 14.5);
  assert.equal(median([-5, 10, -20, 2]), -1.5);
});

test('mad and outliers', () => {
  const v = [10, 11, 12, 10, 11, 250];
  assert.equal(mad(v), 1);
  assert.deepEqual(outliers(v), [250]);
});
''',
))

# ---------------------------------------------------------------- api-misuse 002
CASES.append(dict(
id="js-api-misuse-002", fault_class="api-misuse", kind="syntactic",
description="envName() uses String.prototype.replace with a string pattern, which only replaces the first '-', instead of replaceAll",
module="cliflags",
source=r'''
'use strict';

// CLI flag parsing with environment-variable fallbacks (--max-retries <-> APP_MAX_RETRIES).

function envName(flag, prefix = 'APP') {
  const bare = flag.replace(/^--?/, '');
  return `${prefix}_${bare.replaceAll('-', '_').toUpperCase()}`;
}

function parseFlags(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      out[arg.slice(2)] = argv[i + 1];
      i++;
    } else {
      out[arg.slice(2)] = 'true';
    }
  }
  return out;
}

function resolveOptions(spec, argv, env) {
  const flags = parseFlags(argv);
  const result = {};
  for (const [name, def] of Object.entries(spec)) {
    const fromEnv = env[envName(name)];
    const raw = flags[name] ?? fromEnv ?? def;
    result[name] = typeof def === 'number' ? Number(raw) : raw;
  }
  return result;
}

module.exports = { envName, parseFlags, resolveOptions };
''',
bug=[("bare.replaceAll('-', '_')", "bare.replace('-', '_')")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { envName, parseFlags, resolveOptions } = require('../src/cliflags');

test('parse flags', () => {
  assert.deepEqual(parseFlags(['--port', '80', '--verbose', '--name=x']), { port: '80', verbose: 'true', name: 'x' });
});

test('env name simple', () => {
  assert.equal(envName('--port'), 'APP_PORT');
});

test('env fallback for multi-word flag', () => {
  const opts = resolveOptions({ 'max-retry-count': 3 }, [], { APP_MAX_RETRY_COUNT: '7' });
  assert.deepEqual(opts, { 'max-retry-count': 7 });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { envName, resolveOptions } = require('../src/cliflags');

test('env names', () => {
  assert.equal(envName('a-b-c-d', 'X'), 'X_A_B_C_D');
  assert.equal(envName('--log-level'), 'APP_LOG_LEVEL');
  assert.equal(envName('-v'), 'APP_V');
});

test('precedence', () => {
  const spec = { 'read-timeout-ms': 100, 'log-level': 'info' };
  const env = { APP_READ_TIMEOUT_MS: '500', APP_LOG_LEVEL: 'debug' };
  assert.deepEqual(resolveOptions(spec, ['--log-level', 'warn'], env), { 'read-timeout-ms': 500, 'log-level': 'warn' });
});
''',
))

# ---------------------------------------------------------------- api-misuse 003
CASES.append(dict(
id="js-api-misuse-003", fault_class="api-misuse", kind="syntactic",
description="checkMethod() uses the `in` operator on an array of allowed methods, which tests indices rather than values",
module="methods",
source=r'''
'use strict';

// Per-route HTTP method policy for the admin gateway.

const ROUTES = {
  '/users': ['GET', 'POST'],
  '/users/:id': ['GET', 'PUT', 'DELETE'],
  '/health': ['GET', 'HEAD'],
};

function routeKey(path) {
  if (ROUTES[path]) return path;
  const parts = path.split('/');
  for (const key of Object.keys(ROUTES)) {
    const kp = key.split('/');
    if (kp.length === parts.length && kp.every((p, i) => p.startsWith(':') || p === parts[i])) {
      return key;
    }
  }
  return null;
}

function checkMethod(method, path) {
  const key = routeKey(path);
  if (key === null) return { status: 404 };
  const allowed = ROUTES[key];
  const m = method.toUpperCase();
  if (m === 'OPTIONS') {
    return { status: 204, allow: allowed.join(', ') };
  }
  if (!allowed.includes(m)) {
    return { status: 405, allow: allowed.join(', ') };
  }
  return { status: 200 };
}

module.exports = { checkMethod, routeKey, ROUTES };
''',
bug=[("if (!allowed.includes(m)) {", "if (!(m in allowed)) {")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { checkMethod, routeKey } = require('../src/methods');

test('route keys', () => {
  assert.equal(routeKey('/users/42'), '/users/:id');
  assert.equal(routeKey('/nope'), null);
});

test('options lists methods', () => {
  assert.deepEqual(checkMethod('options', '/health'), { status: 204, allow: 'GET, HEAD' });
});

test('allowed method', () => {
  assert.deepEqual(checkMethod('get', '/users'), { status: 200 });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { checkMethod } = require('../src/methods');

test('disallowed methods', () => {
  assert.deepEqual(checkMethod('DELETE', '/users'), { status: 405, allow: 'GET, POST' });
  assert.equal(checkMethod('POST', '/health').status, 405);
});

test('allowed on param route', () => {
  for (const m of ['GET', 'put', 'Delete']) assert.equal(checkMethod(m, '/users/7').status, 200, m);
});

test('unknown path', () => {
  assert.equal(checkMethod('GET', '/x/y/z').status, 404);
});
''',
))

# ---------------------------------------------------------------- api-misuse 004 (hard)
CASES.append(dict(
id="js-api-misuse-004", fault_class="api-misuse", kind="semantic",
description="importAll() passes an async callback to Array.prototype.forEach, which does not await it, so the function returns before any record is saved and failures are never counted",
module="importer",
source=r'''
'use strict';

// Bulk import of contact records into the CRM store.

function validate(record) {
  const errors = [];
  if (!record || typeof record !== 'object') return ['not an object'];
  if (!record.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(record.email)) errors.push('invalid email');
  if (record.name !== undefined && typeof record.name !== 'string') errors.push('name must be a string');
  return errors;
}

function normalize(record) {
  return {
    email: record.email.trim().toLowerCase(),
    name: (record.name || '').trim(),
  };
}

async function importAll(records, store) {
  const result = { imported: 0, invalid: 0, failed: 0 };
  for (const record of records) {
    if (validate(record).length > 0) {
      result.invalid += 1;
      continue;
    }
    try {
      await store.save(normalize(record));
      result.imported += 1;
    } catch (err) {
      result.failed += 1;
    }
  }
  return result;
}

class MemoryStore {
  constructor() {
    this.rows = new Map();
  }

  async save(row) {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.rows.has(row.email)) throw new Error(`duplicate ${row.email}`);
    this.rows.set(row.email, row);
  }
}

module.exports = { importAll, validate, normalize, MemoryStore };
''',
bug=[('''  for (const record of records) {
    if (validate(record).length > 0) {
      result.invalid += 1;
      continue;
    }
    try {
      await store.save(normalize(record));
      result.imported += 1;
    } catch (err) {
      result.failed += 1;
    }
  }
  return result;''', '''  records.forEach(async (record) => {
    if (validate(record).length > 0) {
      result.invalid += 1;
      return;
    }
    try {
      await store.save(normalize(record));
      result.imported += 1;
    } catch (err) {
      result.failed += 1;
    }
  });
  return result;''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { importAll, validate, MemoryStore } = require('../src/importer');

test('validate', () => {
  assert.deepEqual(validate({ email: 'x' }), ['invalid email']);
  assert.deepEqual(validate({ email: 'a@b.co', name: 5 }), ['name must be a string']);
});

test('invalid records counted', async () => {
  const res = await importAll([{ email: 'bad' }, null], new MemoryStore());
  assert.equal(res.invalid, 2);
});

test('imports valid records', async () => {
  const store = new MemoryStore();
  const res = await importAll([{ email: 'A@x.io', name: ' Ann ' }, { email: 'b@x.io' }], store);
  assert.deepEqual(res, { imported: 2, invalid: 0, failed: 0 });
  assert.equal(store.rows.get('a@x.io').name, 'Ann');
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { importAll, MemoryStore } = require('../src/importer');

test('duplicates fail and store is complete when promise resolves', async () => {
  const store = new MemoryStore();
  const res = await importAll([{ email: 'a@x.io' }, { email: 'A@X.io' }, { email: 'nope' }, { email: 'c@x.io' }], store);
  assert.deepEqual(res, { imported: 2, invalid: 1, failed: 1 });
  assert.deepEqual([...store.rows.keys()], ['a@x.io', 'c@x.io']);
});

test('order preserved', async () => {
  const seen = [];
  const store = { async save(r) { await new Promise((r2) => setTimeout(r2, r.email === 'a@x.io' ? 20 : 0)); seen.push(r.email); } };
  await importAll([{ email: 'a@x.io' }, { email: 'b@x.io' }], store);
  assert.deepEqual(seen, ['a@x.io', 'b@x.io']);
});
''',
))

# ---------------------------------------------------------------- resource-exhaustion 001
CASES.append(dict(
id="js-resource-001", fault_class="resource-exhaustion", kind="semantic",
description="TtlCache.set() never prunes expired entries, so a cache keyed by many short-lived ids grows without bound",
module="ttlcache",
source=r'''
'use strict';

// TTL cache for OAuth token introspection results.

class TtlCache {
  constructor({ ttlMs = 60000, now = () => Date.now(), pruneEvery = 100 } = {}) {
    this.ttlMs = ttlMs;
    this.now = now;
    this.pruneEvery = pruneEvery;
    this.map = new Map();
    this.writes = 0;
  }

  prune() {
    const t = this.now();
    let removed = 0;
    for (const [key, entry] of this.map) {
      if (entry.expires <= t) {
        this.map.delete(key);
        removed++;
      }
    }
    return removed;
  }

  set(key, value, ttlMs = this.ttlMs) {
    this.writes++;
    if (this.writes % this.pruneEvery === 0) this.prune();
    this.map.set(key, { value, expires: this.now() + ttlMs });
    return this;
  }

  get(key) {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  get size() {
    return this.map.size;
  }
}

module.exports = { TtlCache };
''',
bug=[("    if (this.writes % this.pruneEvery === 0) this.prune();\n", "")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TtlCache } = require('../src/ttlcache');

function clock() {
  const c = { t: 0 };
  c.now = () => c.t;
  return c;
}

test('get before and after expiry', () => {
  const c = clock();
  const cache = new TtlCache({ ttlMs: 100, now: c.now });
  cache.set('a', 1);
  assert.equal(cache.get('a'), 1);
  c.t = 100;
  assert.equal(cache.get('a'), undefined);
});

test('explicit prune', () => {
  const c = clock();
  const cache = new TtlCache({ ttlMs: 10, now: c.now });
  cache.set('a', 1).set('b', 2, 1000);
  c.t = 50;
  assert.equal(cache.prune(), 1);
});

test('size stays bounded with short-lived keys', () => {
  const c = clock();
  const cache = new TtlCache({ ttlMs: 10, now: c.now, pruneEvery: 50 });
  for (let i = 0; i < 10000; i++) {
    c.t = i;
    cache.set(`token-${i}`, i);
  }
  assert.ok(cache.size <= 60, `size ${cache.size}`);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TtlCache } = require('../src/ttlcache');

test('bounded with defaults', () => {
  const c = { t: 0 };
  const cache = new TtlCache({ ttlMs: 5, now: () => c.t });
  for (let i = 0; i < 5000; i++) {
    c.t = i;
    cache.set(i, i);
  }
  assert.ok(cache.size <= 105, `size ${cache.size}`);
  assert.equal(cache.get(4999), 4999);
});

test('long-lived entries survive pruning', () => {
  const c = { t: 0 };
  const cache = new TtlCache({ ttlMs: 1, now: () => c.t, pruneEvery: 2 });
  cache.set('keep', 'v', 1e9);
  for (let i = 1; i < 100; i++) {
    c.t = i;
    cache.set(`k${i}`, i);
  }
  assert.equal(cache.get('keep'), 'v');
});
''',
))

# ---------------------------------------------------------------- resource-exhaustion 002 (hard)
CASES.append(dict(
id="js-resource-002", fault_class="resource-exhaustion", kind="semantic",
description="flatten() recurses into nested objects without tracking visited ones, so a self-referencing config object overflows the stack (should emit '[Circular]')",
module="flatten",
source=r'''
'use strict';

// Flattens nested config objects into dotted keys for the /debug/config page.

function isObject(v) {
  return v !== null && typeof v === 'object';
}

function flatten(obj, prefix = '', out = {}, seen = new WeakSet()) {
  if (seen.has(obj)) {
    out[prefix || '.'] = '[Circular]';
    return out;
  }
  seen.add(obj);
  const entries = Array.isArray(obj) ? obj.map((v, i) => [String(i), v]) : Object.entries(obj);
  if (entries.length === 0 && prefix) {
    out[prefix] = Array.isArray(obj) ? '[]' : '{}';
  }
  for (const [key, value] of entries) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObject(value) && !(value instanceof Date)) {
      flatten(value, path, out, seen);
    } else {
      out[path] = value instanceof Date ? value.toISOString() : value;
    }
  }
  seen.delete(obj);
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
''',
bug=[("function flatten(obj, prefix = '', out = {}, seen = new WeakSet()) {\n  if (seen.has(obj)) {\n    out[prefix || '.'] = '[Circular]';\n    return out;\n  }\n  seen.add(obj);\n",
      "function flatten(obj, prefix = '', out = {}) {\n"),
     ("      flatten(value, path, out, seen);", "      flatten(value, path, out);"),
     ("  seen.delete(obj);\n  return out;", "  return out;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { flatten, debugView } = require('../src/flatten');

test('flatten nested', () => {
  assert.deepEqual(flatten({ db: { host: 'h', ports: [1, 2] }, empty: {} }), { 'db.host': 'h', 'db.ports.0': 1, 'db.ports.1': 2, empty: '{}' });
});

test('debug view redacts', () => {
  assert.equal(debugView({ db: { password: 'x', user: 'u' } }), 'db.password = "***"\ndb.user = "u"');
});

test('self reference does not crash', () => {
  const cfg = { name: 'svc' };
  cfg.self = cfg;
  assert.deepEqual(flatten(cfg), { name: 'svc', self: '[Circular]' });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { flatten, debugView } = require('../src/flatten');

test('indirect cycle', () => {
  const a = { n: 1 };
  const b = { a };
  a.b = b;
  assert.deepEqual(flatten({ root: a }), { 'root.n': 1, 'root.b.a': '[Circular]' });
});

test('shared (non-cyclic) references are expanded twice', () => {
  const shared = { x: 1 };
  assert.deepEqual(flatten({ p: shared, q: shared }), { 'p.x': 1, 'q.x': 1 });
});

test('dates and cyclic arrays', () => {
  const arr = [new Date(0)];
  arr.push(arr);
  assert.deepEqual(flatten({ arr }), { 'arr.0': '1970-01-01T00:00:00.000Z', 'arr.1': '[Circular]' });
  assert.match(debugView({ arr }), /arr\.1 = "\[Circular\]"/);
});
''',
evidence='''const { flatten } = require("./src/flatten"); const cfg = { name: "svc" }; cfg.self = cfg; flatten(cfg);''',
))

# ---------------------------------------------------------------- resource-exhaustion 003
CASES.append(dict(
id="js-resource-003", fault_class="resource-exhaustion", kind="semantic",
description="Emitter.once() never removes its wrapper after it fires, so listeners accumulate on every once() call (and fire again)",
module="emitter",
source=r'''
'use strict';

// Minimal event emitter used by the websocket session layer.

class Emitter {
  constructor() {
    this.listeners = new Map();
  }

  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(fn);
    return this;
  }

  off(event, fn) {
    const list = this.listeners.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === fn || l.original === fn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.listeners.delete(event);
    return this;
  }

  once(event, fn) {
    const wrapper = (...args) => {
      this.off(event, wrapper);
      fn(...args);
    };
    wrapper.original = fn;
    return this.on(event, wrapper);
  }

  emit(event, ...args) {
    const list = this.listeners.get(event);
    if (!list) return false;
    for (const fn of list.slice()) fn(...args);
    return true;
  }

  listenerCount(event) {
    return (this.listeners.get(event) || []).length;
  }

  waitFor(event) {
    return new Promise((resolve) => this.once(event, resolve));
  }
}

module.exports = { Emitter };
''',
bug=[('''    const wrapper = (...args) => {
      this.off(event, wrapper);
      fn(...args);''', '''    const wrapper = (...args) => {
      fn(...args);''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Emitter } = require('../src/emitter');

test('on/emit/off', () => {
  const e = new Emitter();
  const got = [];
  const fn = (x) => got.push(x);
  e.on('m', fn);
  e.emit('m', 1);
  e.off('m', fn);
  assert.equal(e.emit('m', 2), false);
  assert.deepEqual(got, [1]);
});

test('waitFor resolves', async () => {
  const e = new Emitter();
  const p = e.waitFor('ready');
  e.emit('ready', 'ok');
  assert.equal(await p, 'ok');
});

test('once listeners do not pile up', () => {
  const e = new Emitter();
  for (let i = 0; i < 1000; i++) {
    e.once('pong', () => {});
    e.emit('pong');
  }
  assert.equal(e.listenerCount('pong'), 0);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Emitter } = require('../src/emitter');

test('once fires exactly once', () => {
  const e = new Emitter();
  let n = 0;
  e.once('x', () => n++);
  e.emit('x');
  e.emit('x');
  assert.equal(n, 1);
});

test('off with original removes once listener', () => {
  const e = new Emitter();
  const fn = () => { throw new Error('should not fire'); };
  e.once('y', fn);
  e.off('y', fn);
  assert.equal(e.emit('y'), false);
});

test('mixed listeners', () => {
  const e = new Emitter();
  const calls = [];
  e.on('z', () => calls.push('on'));
  e.once('z', () => calls.push('once'));
  e.emit('z');
  e.emit('z');
  assert.deepEqual(calls, ['on', 'once', 'on']);
  assert.equal(e.listenerCount('z'), 1);
});
''',
))

# ---------------------------------------------------------------- infinite-loop 001
CASES.append(dict(
id="js-inf-loop-001", fault_class="infinite-loop", kind="syntactic",
description="countOccurrences() restarts indexOf at the match position instead of after it, so any match loops forever",
module="search",
source=r'''
'use strict';

// Keyword highlighting and match counting for the help-centre search.

function countOccurrences(haystack, needle, { caseSensitive = false } = {}) {
  if (!needle) return 0;
  const h = caseSensitive ? haystack : haystack.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  let count = 0;
  let pos = 0;
  for (;;) {
    const idx = h.indexOf(n, pos);
    if (idx < 0) break;
    count++;
    pos = idx + n.length;
  }
  return count;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function highlight(text, terms) {
  const clean = terms.map((t) => t.trim()).filter(Boolean);
  if (clean.length === 0) return text;
  const re = new RegExp(`(${clean.map(escapeRegExp).join('|')})`, 'gi');
  return text.replace(re, '<mark>$1</mark>');
}

function score(doc, terms) {
  let s = 0;
  for (const t of terms) {
    s += 3 * countOccurrences(doc.title, t) + countOccurrences(doc.body, t);
  }
  return s;
}

function rank(docs, query) {
  const terms = query.split(/\s+/).filter(Boolean);
  return docs
    .map((d) => ({ id: d.id, score: score(d, terms) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

module.exports = { countOccurrences, highlight, score, rank };
''',
bug=[("    pos = idx + n.length;", "    pos = idx;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
''' + isolated_helper('search') + r'''
const { highlight } = require('../src/search');

test('highlight', () => {
  assert.equal(highlight('Reset your password', ['PASS', ' ']), 'Reset your <mark>pass</mark>word');
});

test('no match counts zero', () => {
  assert.equal(isolated('result = m.countOccurrences("abc", "z")'), 0);
});

test('counts matches', () => {
  assert.equal(isolated('result = m.countOccurrences("Log in, log out, LOG", "log")'), 3);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
''' + isolated_helper('search') + r'''

test('non-overlapping and case', () => {
  assert.equal(isolated('result = m.countOccurrences("aaaa", "aa")'), 2);
  assert.equal(isolated('result = m.countOccurrences("Aa aA", "a", { caseSensitive: true })'), 2);
  assert.equal(isolated('result = m.countOccurrences("x", "")'), 0);
});

test('rank', () => {
  const r = isolated('result = m.rank([{ id: 1, title: "billing", body: "invoice" }, { id: 2, title: "x", body: "billing billing" }, { id: 3, title: "y", body: "z" }], "billing")');
  assert.deepEqual(r, [{ id: 1, score: 3 }, { id: 2, score: 2 }]);
});
''',
))

# ---------------------------------------------------------------- infinite-loop 002
CASES.append(dict(
id="js-inf-loop-002", fault_class="infinite-loop", kind="semantic",
description="uniqueSlug() never increments its suffix counter, so it loops forever when both the slug and slug-1 are taken",
module="slug",
source=r'''
'use strict';

// URL slug generation for CMS pages.

function slugify(title) {
  return String(title)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'page';
}

function uniqueSlug(title, taken) {
  const base = slugify(title);
  let candidate = base;
  let n = 1;
  while (taken.has(candidate)) {
    candidate = `${base}-${n}`;
    n += 1;
  }
  return candidate;
}

function assignSlugs(pages) {
  const taken = new Set();
  return pages.map((p) => {
    const slug = uniqueSlug(p.title, taken);
    taken.add(slug);
    return { ...p, slug };
  });
}

module.exports = { slugify, uniqueSlug, assignSlugs };
''',
bug=[("    candidate = `${base}-${n}`;\n    n += 1;\n", "    candidate = `${base}-${n}`;\n")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
''' + isolated_helper('slug') + r'''
const { slugify } = require('../src/slug');

test('slugify', () => {
  assert.equal(slugify('  Crème Brûlée: A How-To! '), 'creme-brulee-a-how-to');
  assert.equal(slugify('!!!'), 'page');
});

test('first duplicate gets -1', () => {
  assert.equal(isolated('result = m.uniqueSlug("About", new Set(["about"]))'), 'about-1');
});

test('many duplicates', () => {
  const r = isolated('result = m.assignSlugs([{ title: "News" }, { title: "news" }, { title: "NEWS!" }]).map((p) => p.slug)');
  assert.deepEqual(r, ['news', 'news-1', 'news-2']);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
''' + isolated_helper('slug') + r'''

test('gaps are filled in order', () => {
  assert.equal(isolated('result = m.uniqueSlug("a", new Set(["a", "a-1", "a-2", "a-4"]))'), 'a-3');
});

test('unique title untouched', () => {
  assert.equal(isolated('result = m.uniqueSlug("Fresh", new Set(["other"]))'), 'fresh');
});

test('ten copies', () => {
  const r = isolated('result = m.assignSlugs(Array.from({ length: 10 }, () => ({ title: "x" }))).map((p) => p.slug)');
  assert.equal(new Set(r).size, 10);
  assert.equal(r[9], 'x-9');
});
''',
))

# ---------------------------------------------------------------- infinite-loop 003
CASES.append(dict(
id="js-inf-loop-003", fault_class="infinite-loop", kind="syntactic",
description="Balancer.next() never increments its tried counter, so it spins forever when every backend is unhealthy instead of returning null",
module="balancer",
source=r'''
'use strict';

// Round-robin load balancer with passive health tracking.

class Balancer {
  constructor(urls, { maxFailures = 3 } = {}) {
    this.backends = urls.map((url) => ({ url, failures: 0, healthy: true }));
    this.maxFailures = maxFailures;
    this.cursor = -1;
  }

  next() {
    const n = this.backends.length;
    for (let tried = 0; tried < n; tried++) {
      this.cursor = (this.cursor + 1) % n;
      const b = this.backends[this.cursor];
      if (b.healthy) return b.url;
    }
    return null;
  }

  reportFailure(url) {
    const b = this.backends.find((x) => x.url === url);
    if (!b) return;
    b.failures += 1;
    if (b.failures >= this.maxFailures) b.healthy = false;
  }

  reportSuccess(url) {
    const b = this.backends.find((x) => x.url === url);
    if (!b) return;
    b.failures = 0;
    b.healthy = true;
  }

  healthyCount() {
    return this.backends.filter((b) => b.healthy).length;
  }
}

module.exports = { Balancer };
''',
bug=[("for (let tried = 0; tried < n; tried++) {", "for (let tried = 0; tried < n; ) {")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
''' + isolated_helper('balancer') + r'''

test('round robin', () => {
  const r = isolated('const b = new m.Balancer(["a", "b", "c"]); result = [b.next(), b.next(), b.next(), b.next()]');
  assert.deepEqual(r, ['a', 'b', 'c', 'a']);
});

test('skips unhealthy', () => {
  const r = isolated('const b = new m.Balancer(["a", "b"], { maxFailures: 1 }); b.reportFailure("a"); result = [b.next(), b.next()]');
  assert.deepEqual(r, ['b', 'b']);
});

test('all down returns null', () => {
  const r = isolated('const b = new m.Balancer(["a", "b"], { maxFailures: 1 }); b.reportFailure("a"); b.reportFailure("b"); result = b.next()');
  assert.equal(r, null);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
''' + isolated_helper('balancer') + r'''

test('empty pool', () => {
  assert.equal(isolated('result = new m.Balancer([]).next()'), null);
});

test('recovery', () => {
  const r = isolated('const b = new m.Balancer(["a"], { maxFailures: 2 }); b.reportFailure("a"); const first = b.next(); b.reportFailure("a"); const down = b.next(); b.reportSuccess("a"); result = [first, down, b.next(), b.healthyCount()]');
  assert.deepEqual(r, ['a', null, 'a', 1]);
});
''',
))
