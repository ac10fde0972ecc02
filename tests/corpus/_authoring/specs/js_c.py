CASES = []

# ---------------------------------------------------------------- uncaught-exception 002
CASES.append(dict(
id="js-uncaught-002", fault_class="uncaught-exception", kind="semantic",
description="safeDecode() lets URIError from decodeURIComponent escape on malformed percent-escapes instead of returning the raw text",
module="pathparams",
source=r'''
'use strict';

// Route parameter extraction with percent-decoding.

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch (err) {
    if (err instanceof URIError) return s;
    throw err;
  }
}

function compile(pattern) {
  const names = [];
  const src = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      if (part === '*') {
        names.push('rest');
        return '(.*)';
      }
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${src}$`), names };
}

function extractParams(pattern, path) {
  const { regex, names } = compile(pattern);
  const m = regex.exec(path);
  if (!m) return null;
  const params = {};
  names.forEach((name, i) => {
    params[name] = safeDecode(m[i + 1]);
  });
  return params;
}

module.exports = { extractParams, safeDecode, compile };
''',
bug=[('''  try {
    return decodeURIComponent(s);
  } catch (err) {
    if (err instanceof URIError) return s;
    throw err;
  }''', '''  return decodeURIComponent(s);''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractParams } = require('../src/pathparams');

test('named params', () => {
  assert.deepEqual(extractParams('/users/:id/posts/:post', '/users/7/posts/hello%20world'), { id: '7', post: 'hello world' });
});

test('no match', () => {
  assert.equal(extractParams('/users/:id', '/teams/1'), null);
});

test('wildcard', () => {
  assert.deepEqual(extractParams('/files/*', '/files/a/b.txt'), { rest: 'a/b.txt' });
});

test('malformed escape is kept verbatim', () => {
  assert.deepEqual(extractParams('/search/:q', '/search/100%'), { q: '100%' });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractParams, safeDecode } = require('../src/pathparams');

test('bad sequences', () => {
  for (const s of ['%', '%E0%A4%A', '%zz', 'a%2']) assert.equal(safeDecode(s), s);
});

test('good sequences decoded', () => {
  assert.equal(safeDecode('%E2%82%AC'), '\u20ac');
  assert.equal(safeDecode('a%2Fb'), 'a/b');
});

test('mixed params', () => {
  assert.deepEqual(extractParams('/:a/:b', '/%E0%A4%A/x%20y'), { a: '%E0%A4%A', b: 'x y' });
});
''',
evidence='''const { extractParams } = require("./src/pathparams"); extractParams("/search/:q", "/search/100%");''',
))

# ---------------------------------------------------------------- uncaught-exception 003
CASES.append(dict(
id="js-uncaught-003", fault_class="uncaught-exception", kind="semantic",
description="extractLinks() lets TypeError from new URL() escape for an invalid href instead of skipping that link",
module="links",
source=r'''
'use strict';

// Link extraction for the sitemap crawler.

const HREF_RE = /<a\s[^>]*href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

function resolveHref(href, base) {
  try {
    return new URL(href, base);
  } catch (err) {
    return null;
  }
}

function extractLinks(html, baseUrl, { sameOrigin = true } = {}) {
  const base = new URL(baseUrl);
  const seen = new Set();
  const links = [];
  for (const m of html.matchAll(HREF_RE)) {
    const href = (m[1] ?? m[2]).trim();
    if (!href || href.startsWith('#') || /^(mailto|javascript|tel):/i.test(href)) continue;
    const url = resolveHref(href, base);
    if (url === null) continue;
    if (!['http:', 'https:'].includes(url.protocol)) continue;
    if (sameOrigin && url.origin !== base.origin) continue;
    url.hash = '';
    const key = url.toString();
    if (!seen.has(key)) {
      seen.add(key);
      links.push(key);
    }
  }
  return links;
}

module.exports = { extractLinks, resolveHref };
''',
bug=[('''  try {
    return new URL(href, base);
  } catch (err) {
    return null;
  }''', '''  return new URL(href, base);''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractLinks } = require('../src/links');

const BASE = 'https://site.test/docs/';

test('relative and absolute links', () => {
  const html = '<a href="intro">i</a><a class="x" href=\'/about#team\'>a</a><a href="https://other.test/">o</a>';
  assert.deepEqual(extractLinks(html, BASE), ['https://site.test/docs/intro', 'https://site.test/about']);
});

test('skips mailto and fragments', () => {
  assert.deepEqual(extractLinks('<a href="mailto:a@b">m</a><a href="#top">t</a>', BASE), []);
});

test('invalid href is skipped', () => {
  const html = '<a href="http://[broken">x</a><a href="ok">y</a>';
  assert.deepEqual(extractLinks(html, BASE), ['https://site.test/docs/ok']);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractLinks, resolveHref } = require('../src/links');

test('invalid hrefs', () => {
  assert.equal(resolveHref('http://[::1', 'https://a.test/'), null);
  assert.equal(resolveHref('https://exa mple.com', 'https://a.test/'), null);
});

test('dedupe and cross-origin option', () => {
  const html = '<a href="/a">1</a><a href="/a#x">2</a><a href="http://[x">3</a><a href="https://b.test/z">4</a>';
  assert.deepEqual(extractLinks(html, 'https://a.test/'), ['https://a.test/a']);
  assert.deepEqual(extractLinks(html, 'https://a.test/', { sameOrigin: false }), ['https://a.test/a', 'https://b.test/z']);
});
''',
evidence='''const { extractLinks } = require("./src/links"); extractLinks("<a href=\\"http://[broken\\">x</a>", "https://site.test/docs/");''',
))

# ---------------------------------------------------------------- input-validation 001
CASES.append(dict(
id="js-input-val-001", fault_class="input-validation", kind="semantic",
description="pageWindow() uses Number.parseInt of the 'limit' query value without checking for NaN or range, so ?limit=abc returns no items instead of the default 20",
module="cursor",
source=r'''
'use strict';

// Cursor-style pagination for the activity feed.

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function parseLimit(raw) {
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < 1) return DEFAULT_LIMIT;
  return Math.min(n, MAX_LIMIT);
}

function encodeCursor(index) {
  return Buffer.from(`i:${index}`).toString('base64url');
}

function decodeCursor(cursor) {
  if (!cursor) return 0;
  const text = Buffer.from(String(cursor), 'base64url').toString('utf8');
  const m = /^i:(\d+)$/.exec(text);
  return m ? Number(m[1]) : 0;
}

function pageWindow(items, query = {}) {
  const limit = parseLimit(query.limit);
  const start = decodeCursor(query.cursor);
  const page = items.slice(start, start + limit);
  const next = start + page.length;
  return {
    items: page,
    nextCursor: next < items.length ? encodeCursor(next) : null,
  };
}

module.exports = { pageWindow, parseLimit, encodeCursor, decodeCursor, DEFAULT_LIMIT };
''',
bug=[('''  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < 1) return DEFAULT_LIMIT;
  return Math.min(n, MAX_LIMIT);''', '''  if (raw === undefined) return DEFAULT_LIMIT;
  return Math.min(Number.parseInt(raw, 10), MAX_LIMIT);''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { pageWindow, decodeCursor, encodeCursor } = require('../src/cursor');

const items = Array.from({ length: 45 }, (_, i) => i);

test('default first page', () => {
  const p = pageWindow(items);
  assert.equal(p.items.length, 20);
  assert.equal(decodeCursor(p.nextCursor), 20);
});

test('follow cursor to end', () => {
  const p = pageWindow(items, { cursor: encodeCursor(40), limit: '10' });
  assert.deepEqual(p.items, [40, 41, 42, 43, 44]);
  assert.equal(p.nextCursor, null);
});

test('garbage limit uses default', () => {
  assert.equal(pageWindow(items, { limit: 'abc' }).items.length, 20);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseLimit, pageWindow, decodeCursor } = require('../src/cursor');

test('limit edge cases', () => {
  assert.equal(parseLimit('abc'), 20);
  assert.equal(parseLimit(''), 20);
  assert.equal(parseLimit('0'), 20);
  assert.equal(parseLimit('-5'), 20);
  assert.equal(parseLimit('500'), 100);
  assert.equal(parseLimit('7'), 7);
});

test('bad cursor starts at zero', () => {
  assert.equal(decodeCursor('!!!'), 0);
  assert.deepEqual(pageWindow([1, 2, 3], { cursor: 'zzz', limit: 'x' }).items, [1, 2, 3]);
});
''',
))

# ---------------------------------------------------------------- input-validation 002
CASES.append(dict(
id="js-input-val-002", fault_class="input-validation", kind="semantic",
description="parseDuration() does not validate the unit of each component, so '5x' yields NaN instead of throwing a RangeError",
module="duration",
source=r'''
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
    if (unit === undefined) {
      throw new RangeError(`unknown unit "${m[2]}" in ${text}`);
    }
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

module.exports = { parseDuration, formatDuration };
''',
bug=[('''    const unit = UNIT_MS[m[2]];
    if (unit === undefined) {
      throw new RangeError(`unknown unit "${m[2]}" in ${text}`);
    }
''', '''    const unit = UNIT_MS[m[2]];
''')],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseDuration, formatDuration } = require('../src/duration');

test('compound', () => {
  assert.equal(parseDuration('1h30m'), 5400000);
  assert.equal(parseDuration('250ms'), 250);
});

test('format', () => {
  assert.equal(formatDuration(90061001), '1d1h1m1s1ms');
  assert.equal(formatDuration(0), '0ms');
});

test('garbage rejected', () => {
  assert.throws(() => parseDuration('soon'), RangeError);
});

test('unknown unit rejected', () => {
  assert.throws(() => parseDuration('5x'), RangeError);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseDuration } = require('../src/duration');

test('unknown units', () => {
  for (const s of ['5x', '1h5y', '3 weeks', '10mins', '2w']) assert.throws(() => parseDuration(s), RangeError, s);
});

test('valid forms', () => {
  assert.equal(parseDuration(' 2D '), 172800000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration(42), 42);
});

test('numbers validated', () => {
  assert.throws(() => parseDuration(-1), RangeError);
  assert.throws(() => parseDuration(''), RangeError);
});
''',
))

# ---------------------------------------------------------------- input-validation 003
CASES.append(dict(
id="js-input-val-003", fault_class="input-validation", kind="semantic",
description="parseRange() does not reject byte ranges whose start is past the end (or past the file size), returning an inverted range instead of null (416)",
module="range",
source=r'''
'use strict';

// HTTP Range header handling for the media file server (single ranges only).

function parseRange(header, size) {
  if (!header || !header.startsWith('bytes=')) return undefined;
  const spec = header.slice(6).trim();
  if (spec.includes(',')) return undefined;
  const m = /^(\d*)-(\d*)$/.exec(spec);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start;
  let end;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end, length: end - start + 1 };
}

function rangeResponse(header, size) {
  const r = parseRange(header, size);
  if (r === undefined) {
    return { status: 200, headers: { 'Content-Length': String(size) } };
  }
  if (r === null) {
    return { status: 416, headers: { 'Content-Range': `bytes */${size}` } };
  }
  return {
    status: 206,
    headers: {
      'Content-Range': `bytes ${r.start}-${r.end}/${size}`,
      'Content-Length': String(r.length),
    },
  };
}

module.exports = { parseRange, rangeResponse };
''',
bug=[("  if (start > end || start >= size) return null;\n", "")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseRange, rangeResponse } = require('../src/range');

test('simple range', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99, length: 100 });
});

test('suffix range', () => {
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999, length: 100 });
});

test('no header means full response', () => {
  assert.equal(rangeResponse(undefined, 10).status, 200);
});

test('unsatisfiable range is 416', () => {
  assert.equal(rangeResponse('bytes=500-100', 1000).status, 416);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseRange, rangeResponse } = require('../src/range');

test('start beyond size', () => {
  assert.equal(parseRange('bytes=1000-', 1000), null);
  assert.equal(parseRange('bytes=2000-3000', 1000), null);
  assert.deepEqual(rangeResponse('bytes=5-', 5).headers, { 'Content-Range': 'bytes */5' });
});

test('end clamped', () => {
  assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999, length: 10 });
});

test('open-ended and 206 headers', () => {
  assert.deepEqual(rangeResponse('bytes=10-', 20), { status: 206, headers: { 'Content-Range': 'bytes 10-19/20', 'Content-Length': '10' } });
  assert.equal(parseRange('bytes=1-2,5-6', 20), undefined);
});
''',
))

# ---------------------------------------------------------------- wrong-variable 001
CASES.append(dict(
id="js-wrong-var-001", fault_class="wrong-variable", kind="syntactic",
description="render() substitutes the placeholder name (key) instead of the looked-up value into the output",
module="mailtemplate",
source=r'''
'use strict';

// ${var} style templates for transactional e-mails.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function lookup(ctx, path) {
  let cur = ctx;
  for (const part of path.split('.')) {
    if (cur == null || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function render(template, ctx, { html = true, strict = false } = {}) {
  return template.replace(/\$\{\s*([\w.]+)\s*\}/g, (whole, key) => {
    const value = lookup(ctx, key);
    if (value === undefined) {
      if (strict) throw new ReferenceError(`missing template variable ${key}`);
      return '';
    }
    return html ? escapeHtml(value) : String(value);
  });
}

function variables(template) {
  const out = new Set();
  for (const m of template.matchAll(/\$\{\s*([\w.]+)\s*\}/g)) out.add(m[1]);
  return [...out];
}

module.exports = { render, variables, escapeHtml, lookup };
''',
bug=[("return html ? escapeHtml(value) : String(value);", "return html ? escapeHtml(key) : String(value);")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { render, variables } = require('../src/mailtemplate');

test('variables', () => {
  assert.deepEqual(variables('${a} ${ b.c } ${a}'), ['a', 'b.c']);
});

test('strict mode', () => {
  assert.throws(() => render('${x}', {}, { strict: true }), ReferenceError);
});

test('plain text mode', () => {
  assert.equal(render('Hi ${name}', { name: '<Ann>' }, { html: false }), 'Hi <Ann>');
});

test('html mode escapes the value', () => {
  assert.equal(render('Hi ${user.name}!', { user: { name: 'Tom & Jerry' } }), 'Hi Tom &amp; Jerry!');
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { render } = require('../src/mailtemplate');

test('html values', () => {
  assert.equal(render('${a}-${b}', { a: 1, b: '"q"' }), '1-&quot;q&quot;');
  assert.equal(render('${n}', { n: 0 }), '0');
});

test('missing lenient', () => {
  assert.equal(render('[${gone}]', {}), '[]');
  assert.equal(render('${toString}', {}), '');
});
''',
))

# ---------------------------------------------------------------- wrong-variable 002
CASES.append(dict(
id="js-wrong-var-002", fault_class="wrong-variable", kind="syntactic",
description="backoffDelay() caps the delay with baseMs instead of maxMs, so every retry after the first waits only baseMs",
module="backoff",
source=r'''
'use strict';

// Exponential backoff with optional full jitter for the queue consumer.

function backoffDelay(attempt, { baseMs = 100, maxMs = 10000, factor = 2, jitter = false, random = Math.random } = {}) {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError('attempt must be an integer >= 1');
  }
  const raw = baseMs * factor ** (attempt - 1);
  const capped = Math.min(raw, maxMs);
  return jitter ? Math.floor(random() * capped) : capped;
}

async function retry(fn, { attempts = 5, sleep, ...opts } = {}) {
  let lastErr;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastErr = err;
      if (err && err.retryable === false) break;
      if (attempt < attempts) await sleep(backoffDelay(attempt, opts));
    }
  }
  throw lastErr;
}

function schedule(attempts, opts) {
  const out = [];
  for (let i = 1; i <= attempts; i++) out.push(backoffDelay(i, opts));
  return out;
}

module.exports = { backoffDelay, retry, schedule };
''',
bug=[("const capped = Math.min(raw, maxMs);", "const capped = Math.min(raw, baseMs);")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { backoffDelay, retry, schedule } = require('../src/backoff');

test('invalid attempt', () => {
  assert.throws(() => backoffDelay(0), RangeError);
});

test('first delay is base', () => {
  assert.equal(backoffDelay(1, { baseMs: 50 }), 50);
});

test('schedule grows and caps', () => {
  assert.deepEqual(schedule(5, { baseMs: 100, maxMs: 1000 }), [100, 200, 400, 800, 1000]);
});

test('retry stops on non-retryable', async () => {
  let calls = 0;
  const err = Object.assign(new Error('no'), { retryable: false });
  await assert.rejects(retry(async () => { calls++; throw err; }, { sleep: async () => {} }), /no/);
  assert.equal(calls, 1);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { backoffDelay, retry } = require('../src/backoff');

test('factor 3 and cap', () => {
  assert.equal(backoffDelay(3, { baseMs: 10, factor: 3, maxMs: 1000 }), 90);
  assert.equal(backoffDelay(10, { baseMs: 10, factor: 3, maxMs: 1000 }), 1000);
});

test('jitter within cap', () => {
  assert.equal(backoffDelay(4, { baseMs: 100, jitter: true, random: () => 0.5 }), 400);
});

test('retry sleeps growing delays', async () => {
  const sleeps = [];
  let n = 0;
  const out = await retry(async () => { if (++n < 4) throw new Error('x'); return 'ok'; }, { sleep: async (ms) => sleeps.push(ms), baseMs: 5 });
  assert.equal(out, 'ok');
  assert.deepEqual(sleeps, [5, 10, 20]);
});
''',
))

# ---------------------------------------------------------------- wrong-variable 003
CASES.append(dict(
id="js-wrong-var-003", fault_class="wrong-variable", kind="syntactic",
description="groupCount() groups rows by row.status regardless of the requested field",
module="groupby",
source=r'''
'use strict';

// Aggregations behind the /reports/orders endpoint.

function groupCount(rows, field) {
  const counts = new Map();
  for (const row of rows) {
    const key = row[field] ?? '(none)';
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))));
}

function sumBy(rows, field, valueField) {
  const out = {};
  for (const row of rows) {
    const key = row[field] ?? '(none)';
    out[key] = (out[key] || 0) + Number(row[valueField] || 0);
  }
  return out;
}

function topN(rows, field, n = 3) {
  return Object.entries(groupCount(rows, field))
    .slice(0, n)
    .map(([key, count]) => ({ key, count }));
}

function report(rows) {
  return {
    byStatus: groupCount(rows, 'status'),
    byCountry: groupCount(rows, 'country'),
    revenueByCountry: sumBy(rows, 'country', 'total'),
  };
}

module.exports = { groupCount, sumBy, topN, report };
''',
bug=[("const key = row[field] ?? '(none)';\n    counts", "const key = row.status ?? '(none)';\n    counts")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { groupCount, sumBy, report } = require('../src/groupby');

const rows = [
  { status: 'paid', country: 'DE', total: 10 },
  { status: 'paid', country: 'FR', total: 5 },
  { status: 'refunded', country: 'DE', total: 7 },
];

test('by status', () => {
  assert.deepEqual(groupCount(rows, 'status'), { paid: 2, refunded: 1 });
});

test('sumBy', () => {
  assert.deepEqual(sumBy(rows, 'country', 'total'), { DE: 17, FR: 5 });
});

test('report by country', () => {
  assert.deepEqual(report(rows).byCountry, { DE: 2, FR: 1 });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { groupCount, topN } = require('../src/groupby');

test('missing field and ordering', () => {
  const rows = [{ c: 'b' }, { c: 'a' }, {}, { c: 'b' }, { c: 'a' }, { c: 'z' }];
  assert.deepEqual(Object.entries(groupCount(rows, 'c')), [['a', 2], ['b', 2], ['(none)', 1], ['z', 1]]);
});

test('topN', () => {
  const rows = [{ k: 1, status: 'x' }, { k: 1, status: 'y' }, { k: 2, status: 'x' }];
  assert.deepEqual(topN(rows, 'k', 1), [{ key: '1', count: 2 }]);
});
''',
))

# ---------------------------------------------------------------- missing-initialization 001
CASES.append(dict(
id="js-missing-init-001", fault_class="missing-initialization", kind="semantic",
description="EventBus constructor never initialises this.handlers, so the first on() call throws TypeError",
module="eventbus",
source=r'''
'use strict';

// In-process event bus used to decouple order processing steps.

class EventBus {
  constructor({ onError = null } = {}) {
    this.handlers = new Map();
    this.onError = onError;
    this.emitted = 0;
  }

  on(event, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(handler);
    return () => this.off(event, handler);
  }

  off(event, handler) {
    const list = this.handlers.get(event);
    if (!list) return false;
    const i = list.indexOf(handler);
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  emit(event, payload) {
    this.emitted += 1;
    const list = (this.handlers.get(event) || []).slice();
    let delivered = 0;
    for (const h of list) {
      try {
        h(payload);
        delivered += 1;
      } catch (err) {
        if (this.onError) this.onError(err, event);
        else throw err;
      }
    }
    return delivered;
  }

  listenerCount(event) {
    return (this.handlers.get(event) || []).length;
  }
}

module.exports = { EventBus };
''',
bug=[("    this.handlers = new Map();\n", "")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { EventBus } = require('../src/eventbus');

test('handler type checked', () => {
  assert.throws(() => new EventBus().on('x', 42), TypeError);
});

test('error hook is optional', () => {
  const hook = () => {};
  assert.equal(new EventBus({ onError: hook }).onError, hook);
  assert.equal(new EventBus().onError, null);
});

test('emit delivers to subscribers', () => {
  const bus = new EventBus();
  const got = [];
  bus.on('order.paid', (p) => got.push(p.id));
  assert.equal(bus.emit('order.paid', { id: 1 }), 1);
  assert.deepEqual(got, [1]);
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { EventBus } = require('../src/eventbus');

test('emit without listeners', () => {
  const bus = new EventBus();
  assert.equal(bus.emit('none', {}), 0);
  assert.equal(bus.listenerCount('none'), 0);
  assert.equal(bus.off('none', () => {}), false);
});

test('unsubscribe and error handler', () => {
  const errors = [];
  const bus = new EventBus({ onError: (e, ev) => errors.push(ev) });
  const off = bus.on('a', () => { throw new Error('x'); });
  bus.on('a', () => {});
  assert.equal(bus.emit('a'), 1);
  assert.deepEqual(errors, ['a']);
  off();
  assert.equal(bus.listenerCount('a'), 1);
});

test('separate instances', () => {
  const a = new EventBus();
  const b = new EventBus();
  a.on('e', () => {});
  assert.equal(b.listenerCount('e'), 0);
});
''',
evidence='''const { EventBus } = require("./src/eventbus"); new EventBus().on("order.paid", () => {});''',
))

# ---------------------------------------------------------------- missing-initialization 002
CASES.append(dict(
id="js-missing-init-002", fault_class="missing-initialization", kind="syntactic",
description="totalBytes() calls reduce() without an initial value, so an empty file list throws TypeError and non-empty lists start from an object",
module="diskusage",
source=r'''
'use strict';

// Disk-usage summaries for the storage admin page.

function totalBytes(files) {
  return files.reduce((sum, f) => sum + f.size, 0);
}

function byExtension(files) {
  const out = {};
  for (const f of files) {
    const dot = f.name.lastIndexOf('.');
    const ext = dot > 0 ? f.name.slice(dot + 1).toLowerCase() : '';
    out[ext] = (out[ext] || 0) + f.size;
  }
  return out;
}

function largest(files, n = 5) {
  return files
    .slice()
    .sort((a, b) => b.size - a.size || a.name.localeCompare(b.name))
    .slice(0, n)
    .map((f) => f.name);
}

function humanBytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

function summary(files) {
  return {
    count: files.length,
    total: humanBytes(totalBytes(files)),
    largest: largest(files, 3),
  };
}

module.exports = { totalBytes, byExtension, largest, humanBytes, summary };
''',
bug=[("return files.reduce((sum, f) => sum + f.size, 0);", "return files.reduce((sum, f) => sum + f.size);")],
tests=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { byExtension, largest, humanBytes, summary } = require('../src/diskusage');

const files = [{ name: 'a.log', size: 2048 }, { name: 'b.LOG', size: 1024 }, { name: 'c', size: 1 }];

test('by extension', () => {
  assert.deepEqual(byExtension(files), { log: 3072, '': 1 });
});

test('largest', () => {
  assert.deepEqual(largest(files, 2), ['a.log', 'b.LOG']);
});

test('human bytes', () => {
  assert.equal(humanBytes(1536), '1.5 KB');
});

test('summary', () => {
  assert.deepEqual(summary(files), { count: 3, total: '3.0 KB', largest: ['a.log', 'b.LOG', 'c'] });
});
''',
oracle=r'''
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { totalBytes, summary } = require('../src/diskusage');

test('empty', () => {
  assert.equal(totalBytes([]), 0);
  assert.deepEqual(summary([]), { count: 0, total: '0 B', largest: [] });
});

test('single and many', () => {
  assert.equal(totalBytes([{ name: 'x', size: 5 }]), 5);
  assert.equal(totalBytes([{ name: 'x', size: 5 }, { name: 'y', size: 7 }]), 12);
});
''',
evidence='''const { summary } = require("./src/diskusage"); summary([]);''',
))
