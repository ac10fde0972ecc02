CASES = []

# ---------------------------------------------------------------- null-deref 001
CASES.append(dict(
id="js-null-deref-001", fault_class="null-deref", kind="semantic",
description="parseCookies() splits req.headers.cookie without handling requests that carry no Cookie header",
module="cookies",
source=r'''
'use strict';

// Cookie helpers for the session middleware.

function decode(value) {
  try {
    return decodeURIComponent(value);
  } catch (err) {
    return value;
  }
}

function parseCookies(req) {
  const header = req.headers.cookie;
  const jar = {};
  if (!header) {
    return jar;
  }
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (name && !(name in jar)) {
      jar[name] = decode(value);
    }
  }
  return jar;
}

function serializeCookie(name, value, opts = {}) {
  let out = `${name}=${encodeURIComponent(value)}`;
  if (opts.maxAge != null) out += `; Max-Age=${Math.floor(opts.maxAge)}`;
  if (opts.path) out += `; Path=${opts.path}`;
  if (opts.httpOnly) out += '; HttpOnly';
  if (opts.secure) out += '; Secure';
  if (opts.sameSite) out += `; SameSite=${opts.sameSite}`;
  return out;
}

function sessionId(req, cookieName = 'sid') {
  const jar = parseCookies(req);
  return jar[cookieName] || null;
}

module.exports = { parseCookies, serializeCookie, sessionId };
''',
bug=[('''  const jar = {};
  if (!header) {
    return jar;
  }
''', '''  const jar = {};
''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCookies, serializeCookie, sessionId } = require('../src/cookies');

test('parses several cookies', () => {
  const jar = parseCookies({ headers: { cookie: 'a=1; b=two; sid="xyz"' } });
  assert.deepEqual(jar, { a: '1', b: 'two', sid: 'xyz' });
});

test('decodes values', () => {
  assert.equal(parseCookies({ headers: { cookie: 'n=hello%20world' } }).n, 'hello world');
});

test('serializes with options', () => {
  assert.equal(serializeCookie('sid', 'a b', { path: '/', httpOnly: true }), 'sid=a%20b; Path=/; HttpOnly');
});

test('sessionId is null for anonymous requests', () => {
  assert.equal(sessionId({ headers: {} }), null);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCookies, sessionId } = require('../src/cookies');

test('no cookie header gives empty jar', () => {
  assert.deepEqual(parseCookies({ headers: {} }), {});
});

test('empty cookie header gives empty jar', () => {
  assert.deepEqual(parseCookies({ headers: { cookie: '' } }), {});
});

test('first occurrence wins and junk is skipped', () => {
  assert.deepEqual(parseCookies({ headers: { cookie: 'a=1; junk; a=2; b=%E0%A4%A' } }), { a: '1', b: '%E0%A4%A' });
});

test('sessionId custom name', () => {
  assert.equal(sessionId({ headers: { cookie: 'token=t1' } }, 'token'), 't1');
  assert.equal(sessionId({ headers: { cookie: 'token=t1' } }), null);
});
''',
evidence='''const { sessionId } = require("./src/cookies"); sessionId({ headers: {} });''',
))

# ---------------------------------------------------------------- null-deref 002
CASES.append(dict(
id="js-null-deref-002", fault_class="null-deref", kind="semantic",
description="FeatureFlags.isEnabled() reads .enabled of an unknown flag (undefined) instead of returning the default",
module="flags",
source=r'''
'use strict';

// Feature flag evaluation with percentage rollouts.

function hashString(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

class FeatureFlags {
  constructor(definitions = {}) {
    this.flags = new Map(Object.entries(definitions));
  }

  define(name, def) {
    this.flags.set(name, def);
  }

  isEnabled(name, user = null, fallback = false) {
    const flag = this.flags.get(name);
    if (flag === undefined) {
      return fallback;
    }
    if (!flag.enabled) {
      return false;
    }
    if (user && Array.isArray(flag.allow) && flag.allow.includes(user.id)) {
      return true;
    }
    if (typeof flag.rollout === 'number') {
      if (!user) return false;
      const bucket = hashString(`${name}:${user.id}`) % 100;
      return bucket < flag.rollout;
    }
    return true;
  }

  enabledFor(user) {
    return [...this.flags.keys()].filter((n) => this.isEnabled(n, user));
  }
}

module.exports = { FeatureFlags, hashString };
''',
bug=[('''    const flag = this.flags.get(name);
    if (flag === undefined) {
      return fallback;
    }
''', '''    const flag = this.flags.get(name);
''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { FeatureFlags } = require('../src/flags');

const flags = () => new FeatureFlags({
  search: { enabled: true },
  beta: { enabled: true, allow: ['u1'], rollout: 0 },
  old: { enabled: false },
});

test('simple on/off', () => {
  assert.equal(flags().isEnabled('search'), true);
  assert.equal(flags().isEnabled('old'), false);
});

test('allow list wins over rollout', () => {
  assert.equal(flags().isEnabled('beta', { id: 'u1' }), true);
  assert.equal(flags().isEnabled('beta', { id: 'u2' }), false);
});

test('unknown flag uses fallback', () => {
  assert.equal(flags().isEnabled('nope'), false);
  assert.equal(flags().isEnabled('nope', null, true), true);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { FeatureFlags } = require('../src/flags');

test('unknown flags', () => {
  const f = new FeatureFlags();
  assert.equal(f.isEnabled('x'), false);
  assert.equal(f.isEnabled('x', { id: 'a' }, true), true);
});

test('full rollout and zero rollout', () => {
  const f = new FeatureFlags({ all: { enabled: true, rollout: 100 }, none: { enabled: true, rollout: 0 } });
  for (const id of ['a', 'b', 'c', 'd']) {
    assert.equal(f.isEnabled('all', { id }), true);
    assert.equal(f.isEnabled('none', { id }), false);
  }
  assert.equal(f.isEnabled('all'), false);
});

test('enabledFor after define', () => {
  const f = new FeatureFlags({ a: { enabled: true } });
  f.define('b', { enabled: false });
  assert.deepEqual(f.enabledFor({ id: 'z' }), ['a']);
});
''',
evidence='''const { FeatureFlags } = require("./src/flags"); new FeatureFlags({}).isEnabled("nope");''',
))

# ---------------------------------------------------------------- null-deref 003
CASES.append(dict(
id="js-null-deref-003", fault_class="null-deref", kind="semantic",
description="apiVersion() indexes the result of String.match, which is null for unversioned paths",
module="versioning",
source=r'''
'use strict';

// API version negotiation: /v2/... path prefix, Accept-Version header, or default.

const SUPPORTED = [1, 2, 3];
const DEFAULT_VERSION = 2;

function apiVersion(path) {
  const m = path.match(/^\/v(\d+)(\/|$)/);
  if (m === null) {
    return null;
  }
  return Number(m[1]);
}

function stripVersion(path) {
  const rest = path.replace(/^\/v\d+(?=\/|$)/, '');
  return rest === '' ? '/' : rest;
}

function headerVersion(headers) {
  const raw = headers['accept-version'];
  if (raw === undefined) return null;
  const n = Number.parseInt(raw, 10);
  return Number.isNaN(n) ? null : n;
}

function negotiate(req) {
  const fromPath = apiVersion(req.path);
  const version = fromPath ?? headerVersion(req.headers || {}) ?? DEFAULT_VERSION;
  if (!SUPPORTED.includes(version)) {
    return { ok: false, status: 400, error: `unsupported API version ${version}` };
  }
  return { ok: true, version, path: stripVersion(req.path) };
}

module.exports = { apiVersion, stripVersion, headerVersion, negotiate, SUPPORTED };
''',
bug=[('''  const m = path.match(/^\\/v(\\d+)(\\/|$)/);
  if (m === null) {
    return null;
  }
''', '''  const m = path.match(/^\\/v(\\d+)(\\/|$)/);
''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { apiVersion, stripVersion, negotiate } = require('../src/versioning');

test('version from path', () => {
  assert.equal(apiVersion('/v3/users'), 3);
  assert.equal(stripVersion('/v3/users'), '/users');
});

test('unsupported version', () => {
  assert.equal(negotiate({ path: '/v9/x', headers: {} }).status, 400);
});

test('header version when path is unversioned', () => {
  assert.deepEqual(negotiate({ path: '/users', headers: { 'accept-version': '1' } }),
    { ok: true, version: 1, path: '/users' });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { apiVersion, negotiate } = require('../src/versioning');

test('unversioned paths', () => {
  assert.equal(apiVersion('/users'), null);
  assert.equal(apiVersion('/version/1'), null);
  assert.equal(apiVersion('/'), null);
});

test('bare version path', () => {
  assert.equal(apiVersion('/v1'), 1);
  assert.deepEqual(negotiate({ path: '/v1', headers: {} }), { ok: true, version: 1, path: '/' });
});

test('default version', () => {
  assert.deepEqual(negotiate({ path: '/health' }), { ok: true, version: 2, path: '/health' });
  assert.equal(negotiate({ path: '/x', headers: { 'accept-version': 'abc' } }).version, 2);
});
''',
evidence='''const { negotiate } = require("./src/versioning"); negotiate({ path: "/users", headers: {} });''',
))

# ---------------------------------------------------------------- zero-division 001
CASES.append(dict(
id="js-zero-div-001", fault_class="zero-division", kind="semantic",
description="LatencyTracker.summary() divides by the sample count for an endpoint with no samples, returning NaN instead of 0",
module="latency",
source=r'''
'use strict';

// Per-endpoint latency bookkeeping exported on /metrics.

class LatencyTracker {
  constructor() {
    this.samples = new Map();
  }

  record(endpoint, ms) {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`invalid latency ${ms}`);
    }
    if (!this.samples.has(endpoint)) this.samples.set(endpoint, []);
    this.samples.get(endpoint).push(ms);
  }

  reset(endpoint) {
    this.samples.set(endpoint, []);
  }

  summary(endpoint) {
    const list = this.samples.get(endpoint) || [];
    const count = list.length;
    const total = list.reduce((a, b) => a + b, 0);
    const avg = count === 0 ? 0 : total / count;
    const max = count === 0 ? 0 : Math.max(...list);
    return { count, avg: Math.round(avg * 100) / 100, max };
  }

  all() {
    const out = {};
    for (const endpoint of [...this.samples.keys()].sort()) {
      out[endpoint] = this.summary(endpoint);
    }
    return out;
  }

  render() {
    return Object.entries(this.all())
      .map(([e, s]) => `latency_avg_ms{endpoint="${e}"} ${s.avg}`)
      .join('\n');
  }
}

module.exports = { LatencyTracker };
''',
bug=[("const avg = count === 0 ? 0 : total / count;", "const avg = total / count;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LatencyTracker } = require('../src/latency');

test('summary', () => {
  const t = new LatencyTracker();
  t.record('/a', 10);
  t.record('/a', 25);
  assert.deepEqual(t.summary('/a'), { count: 2, avg: 17.5, max: 25 });
});

test('rejects invalid latency', () => {
  assert.throws(() => new LatencyTracker().record('/a', -1), RangeError);
});

test('render after reset', () => {
  const t = new LatencyTracker();
  t.record('/b', 4);
  t.reset('/b');
  assert.equal(t.render(), 'latency_avg_ms{endpoint="/b"} 0');
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LatencyTracker } = require('../src/latency');

test('unknown endpoint summary', () => {
  assert.deepEqual(new LatencyTracker().summary('/none'), { count: 0, avg: 0, max: 0 });
});

test('rounding', () => {
  const t = new LatencyTracker();
  [1, 1, 2].forEach((v) => t.record('/r', v));
  assert.equal(t.summary('/r').avg, 1.33);
});

test('all is sorted and handles empty', () => {
  const t = new LatencyTracker();
  t.record('/z', 3);
  t.reset('/a');
  assert.deepEqual(Object.keys(t.all()), ['/a', '/z']);
  assert.equal(t.all()['/a'].avg, 0);
});
''',
))

# ---------------------------------------------------------------- zero-division 002
CASES.append(dict(
id="js-zero-div-002", fault_class="zero-division", kind="semantic",
description="UploadProgress.percent() divides by totalBytes, giving NaN for zero-length uploads that should report 100",
module="upload",
source=r'''
'use strict';

// Tracks chunked upload progress for the resumable-upload endpoint.

class UploadProgress {
  constructor(id, totalBytes) {
    if (!Number.isInteger(totalBytes) || totalBytes < 0) {
      throw new RangeError('totalBytes must be a non-negative integer');
    }
    this.id = id;
    this.totalBytes = totalBytes;
    this.received = new Map();
  }

  addChunk(offset, length) {
    if (offset < 0 || offset + length > this.totalBytes) {
      throw new RangeError(`chunk ${offset}+${length} outside upload`);
    }
    this.received.set(offset, length);
  }

  receivedBytes() {
    let sum = 0;
    for (const len of this.received.values()) sum += len;
    return sum;
  }

  percent() {
    if (this.totalBytes === 0) {
      return 100;
    }
    return Math.floor((this.receivedBytes() / this.totalBytes) * 100);
  }

  isComplete() {
    return this.percent() === 100;
  }

  status() {
    return {
      id: this.id,
      percent: this.percent(),
      complete: this.isComplete(),
    };
  }
}

module.exports = { UploadProgress };
''',
bug=[('''    if (this.totalBytes === 0) {
      return 100;
    }
    return Math.floor''', '''    return Math.floor''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { UploadProgress } = require('../src/upload');

test('percent of chunks', () => {
  const u = new UploadProgress('u1', 1000);
  u.addChunk(0, 250);
  u.addChunk(250, 250);
  assert.equal(u.percent(), 50);
});

test('chunk outside range', () => {
  assert.throws(() => new UploadProgress('u', 10).addChunk(5, 10), RangeError);
});

test('empty file upload is complete', () => {
  assert.deepEqual(new UploadProgress('e', 0).status(), { id: 'e', percent: 100, complete: true });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { UploadProgress } = require('../src/upload');

test('zero byte upload', () => {
  const u = new UploadProgress('z', 0);
  assert.equal(u.percent(), 100);
  assert.equal(u.isComplete(), true);
});

test('floor and completion', () => {
  const u = new UploadProgress('a', 3);
  u.addChunk(0, 1);
  assert.equal(u.percent(), 33);
  u.addChunk(1, 2);
  assert.equal(u.isComplete(), true);
});

test('rechunk replaces', () => {
  const u = new UploadProgress('b', 10);
  u.addChunk(0, 5);
  u.addChunk(0, 5);
  assert.equal(u.percent(), 50);
  assert.throws(() => new UploadProgress('c', -1), RangeError);
});
''',
))

# ---------------------------------------------------------------- zero-division 003
CASES.append(dict(
id="js-zero-div-003", fault_class="zero-division", kind="syntactic",
description="shardFor() takes the hash modulo the replica count instead of the shard count; with zero replicas every key maps to NaN",
module="shards",
source=r'''
'use strict';

// Consistent key -> shard assignment for the session store.

function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

class ShardMap {
  constructor(shards, { replicas = 0 } = {}) {
    if (!Array.isArray(shards) || shards.length === 0) {
      throw new Error('at least one shard is required');
    }
    this.shards = shards.slice();
    this.replicas = replicas;
  }

  shardFor(key) {
    const idx = fnv1a(String(key)) % this.shards.length;
    return this.shards[idx];
  }

  replicasFor(key) {
    const first = fnv1a(String(key)) % this.shards.length;
    const out = [];
    for (let i = 1; i <= this.replicas && i < this.shards.length; i++) {
      out.push(this.shards[(first + i) % this.shards.length]);
    }
    return out;
  }

  distribution(keys) {
    const counts = Object.fromEntries(this.shards.map((s) => [s, 0]));
    for (const k of keys) counts[this.shardFor(k)] += 1;
    return counts;
  }
}

module.exports = { ShardMap, fnv1a };
''',
bug=[("const idx = fnv1a(String(key)) % this.shards.length;", "const idx = fnv1a(String(key)) % this.replicas;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { ShardMap } = require('../src/shards');

test('requires shards', () => {
  assert.throws(() => new ShardMap([]));
});

test('replicas are distinct from primary', () => {
  const m = new ShardMap(['a', 'b', 'c'], { replicas: 2 });
  const r = m.replicasFor('user:1');
  assert.equal(r.length, 2);
  assert.equal(new Set(r).size, 2);
});

test('every key maps to a shard', () => {
  const m = new ShardMap(['s1', 's2']);
  for (const k of ['a', 'b', 'c', 'd']) {
    assert.ok(['s1', 's2'].includes(m.shardFor(k)));
  }
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { ShardMap, fnv1a } = require('../src/shards');

test('shardFor matches hash modulo shard count', () => {
  const shards = ['a', 'b', 'c', 'd', 'e'];
  for (const replicas of [0, 1, 3]) {
    const m = new ShardMap(shards, { replicas });
    for (let i = 0; i < 50; i++) {
      assert.equal(m.shardFor(`k${i}`), shards[fnv1a(`k${i}`) % 5]);
    }
  }
});

test('distribution covers all keys', () => {
  const m = new ShardMap(['x', 'y', 'z'], { replicas: 1 });
  const keys = Array.from({ length: 300 }, (_, i) => `key-${i}`);
  const d = m.distribution(keys);
  assert.equal(d.x + d.y + d.z, 300);
  assert.ok(d.x > 0 && d.y > 0 && d.z > 0);
});

test('primary not among replicas', () => {
  const m = new ShardMap(['x', 'y', 'z'], { replicas: 2 });
  assert.ok(!m.replicasFor('q').includes(m.shardFor('q')));
});
''',
))

# ---------------------------------------------------------------- off-by-one 001
CASES.append(dict(
id="js-off-by-one-001", fault_class="off-by-one", kind="syntactic",
description="chunk() stops at items.length - 1, so a trailing single-element batch is silently dropped",
module="batcher",
source=r'''
'use strict';

// Splits outgoing notifications into provider-sized batches.

const DEFAULT_BATCH = 100;

function chunk(items, size = DEFAULT_BATCH) {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('batch size must be a positive integer');
  }
  const batches = [];
  for (let i = 0; i < items.length; i += size) {
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
''',
bug=[("for (let i = 0; i < items.length; i += size) {", "for (let i = 0; i < items.length - 1; i += size) {")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { chunk, dedupe, sendAll } = require('../src/batcher');

test('chunk even split', () => {
  assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]);
});

test('invalid size', () => {
  assert.throws(() => chunk([1], 0), RangeError);
});

test('dedupe normalises', () => {
  assert.deepEqual(dedupe(['A@x.io', 'a@x.io ', '', 'b@x.io']), ['a@x.io', 'b@x.io']);
});

test('sendAll counts every recipient', async () => {
  const res = await sendAll(['a', 'b', 'c'], async () => {}, 2);
  assert.deepEqual(res, { sent: 3, failed: 0, batches: 2 });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { chunk, sendAll } = require('../src/batcher');

test('trailing element kept', () => {
  assert.deepEqual(chunk([1, 2, 3], 2), [[1, 2], [3]]);
  assert.deepEqual(chunk([1], 5), [[1]]);
  assert.deepEqual(chunk([], 5), []);
});

test('size one', () => {
  assert.deepEqual(chunk(['a', 'b', 'c'], 1), [['a'], ['b'], ['c']]);
});

test('failures counted per batch', async () => {
  let n = 0;
  const res = await sendAll(['a', 'b', 'c', 'd', 'e'], async () => { if (n++ === 1) throw new Error('x'); }, 2);
  assert.deepEqual(res, { sent: 3, failed: 2, batches: 3 });
});
''',
))

# ---------------------------------------------------------------- off-by-one 002
CASES.append(dict(
id="js-off-by-one-002", fault_class="off-by-one", kind="syntactic",
description="parseCsvLine() slices a quoted field one character too far, keeping the closing quote",
module="csvline",
source=r'''
'use strict';

// Small RFC-4180-ish CSV line parser for the import endpoint.

function parseCsvLine(line, sep = ',') {
  const fields = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = line.indexOf('"', j);
        if (close < 0) throw new SyntaxError(`unterminated quote at ${i}`);
        value += line.slice(j, close);
        if (line[close + 1] === '"') {
          value += '"';
          j = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i < line.length && line[i] !== sep) {
        throw new SyntaxError(`unexpected character after quote at ${i}`);
      }
      i += 1;
    } else {
      let end = line.indexOf(sep, i);
      if (end < 0) end = line.length;
      fields.push(line.slice(i, end).trim());
      i = end + 1;
    }
  }
  return fields;
}

function parseCsv(text, sep = ',') {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = parseCsvLine(lines[0], sep);
  return lines.slice(1).map((l) => {
    const cells = parseCsvLine(l, sep);
    return Object.fromEntries(header.map((h, k) => [h, cells[k] ?? '']));
  });
}

module.exports = { parseCsvLine, parseCsv };
''',
bug=[("value += line.slice(j, close);", "value += line.slice(j, close + 1);")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCsvLine, parseCsv } = require('../src/csvline');

test('plain fields', () => {
  assert.deepEqual(parseCsvLine('a, b ,c'), ['a', 'b', 'c']);
});

test('unterminated quote', () => {
  assert.throws(() => parseCsvLine('"abc'), SyntaxError);
});

test('quoted field with comma', () => {
  assert.deepEqual(parseCsvLine('1,"Smith, J",x'), ['1', 'Smith, J', 'x']);
});

test('parseCsv with header', () => {
  assert.deepEqual(parseCsv('id,name\n1,ann\n'), [{ id: '1', name: 'ann' }]);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCsvLine, parseCsv } = require('../src/csvline');

test('escaped quotes', () => {
  assert.deepEqual(parseCsvLine('"say ""hi""",2'), ['say "hi"', '2']);
});

test('quoted last field and empty quoted', () => {
  assert.deepEqual(parseCsvLine('a,""'), ['a', '']);
  assert.deepEqual(parseCsvLine('"x"'), ['x']);
});

test('semicolon separator', () => {
  assert.deepEqual(parseCsvLine('"a;b";c', ';'), ['a;b', 'c']);
});

test('quoted values in file', () => {
  assert.deepEqual(parseCsv('id,"full name"\n1,"Doe, Jane"\n2\n'),
    [{ id: '1', 'full name': 'Doe, Jane' }, { id: '2', 'full name': '' }]);
});
''',
))

# ---------------------------------------------------------------- off-by-one 003
CASES.append(dict(
id="js-off-by-one-003", fault_class="off-by-one", kind="syntactic",
description="dateRange() iterates with <= over the day count and emits one day past the end date",
module="daterange",
source=r'''
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
  for (let i = 0; i < days; i++) {
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
''',
bug=[("for (let i = 0; i < days; i++) {", "for (let i = 0; i <= days; i++) {")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { dateRange, bucketByDay, parseDay } = require('../src/daterange');

test('invalid date', () => {
  assert.throws(() => parseDay('2024-13'), RangeError);
});

test('reversed range', () => {
  assert.throws(() => dateRange('2024-01-05', '2024-01-01'), RangeError);
});

test('three day range', () => {
  assert.deepEqual(dateRange('2024-02-28', '2024-03-01'), ['2024-02-28', '2024-02-29', '2024-03-01']);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { dateRange, bucketByDay } = require('../src/daterange');

test('single day', () => {
  assert.deepEqual(dateRange('2023-12-31', '2023-12-31'), ['2023-12-31']);
});

test('month length', () => {
  const r = dateRange('2023-01-01', '2023-01-31');
  assert.equal(r.length, 31);
  assert.equal(r[30], '2023-01-31');
});

test('buckets exclude events after end', () => {
  const ts = (s) => Date.parse(s);
  const b = bucketByDay([{ ts: ts('2024-05-01T10:00:00Z') }, { ts: ts('2024-05-03T01:00:00Z') }], '2024-05-01', '2024-05-02');
  assert.deepEqual(b, { '2024-05-01': 1, '2024-05-02': 0 });
});
''',
))

# ---------------------------------------------------------------- wrong-operator 001
CASES.append(dict(
id="js-wrong-op-001", fault_class="wrong-operator", kind="syntactic",
description="compareSemver() uses > instead of < when comparing minor versions, inverting minor-version ordering",
module="semver",
source=r'''
'use strict';

// Semantic version parsing/comparison for the plugin registry.

const RE = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

function parse(v) {
  const m = RE.exec(String(v).trim());
  if (!m) throw new TypeError(`invalid version: ${v}`);
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    pre: m[4] ? m[4].split('.') : [],
  };
}

function comparePre(a, b) {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    const na = /^\d+$/.test(a[i]);
    const nb = /^\d+$/.test(b[i]);
    if (na && nb && Number(a[i]) !== Number(b[i])) return Number(a[i]) < Number(b[i]) ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

function compareSemver(x, y) {
  const a = parse(x);
  const b = parse(y);
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

function latest(versions) {
  return versions.slice().sort(compareSemver).pop();
}

module.exports = { parse, compareSemver, latest };
''',
bug=[("if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;", "if (a.minor !== b.minor) return a.minor > b.minor ? -1 : 1;")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parse, compareSemver, latest } = require('../src/semver');

test('parse', () => {
  assert.deepEqual(parse('v1.2.3-rc.1'), { major: 1, minor: 2, patch: 3, pre: ['rc', '1'] });
  assert.throws(() => parse('1.2'), TypeError);
});

test('major and patch ordering', () => {
  assert.equal(compareSemver('2.0.0', '10.0.0'), -1);
  assert.equal(compareSemver('1.0.5', '1.0.4'), 1);
});

test('prerelease sorts before release', () => {
  assert.equal(compareSemver('1.0.0-alpha', '1.0.0'), -1);
});

test('latest picks highest minor', () => {
  assert.equal(latest(['1.2.0', '1.10.0', '1.9.3']), '1.10.0');
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { compareSemver, latest } = require('../src/semver');

test('minor comparisons', () => {
  assert.equal(compareSemver('1.1.0', '1.2.0'), -1);
  assert.equal(compareSemver('1.3.0', '1.2.9'), 1);
  assert.equal(compareSemver('0.10.0', '0.9.0'), 1);
});

test('equality', () => {
  assert.equal(compareSemver('v1.2.3', '1.2.3'), 0);
});

test('sort order', () => {
  const v = ['1.0.0', '0.1.0', '1.0.0-rc.2', '1.0.0-rc.10', '0.2.0', '1.1.0'];
  assert.deepEqual(v.slice().sort(compareSemver), ['0.1.0', '0.2.0', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0', '1.1.0']);
  assert.equal(latest(v), '1.1.0');
});
''',
))
