'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const MOD = path.join(__dirname, '..', 'src', 'slug.js');

// Runs `body` (which must evaluate an expression into `result`) in a child
// process so that a hang fails the test instead of blocking the runner.
function isolated(body, timeout = 3000) {
  const code = `const m = require(${JSON.stringify(MOD)}); let result; ${body}; process.stdout.write(JSON.stringify(result === undefined ? null : result));`;
  const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout });
  if (res.error && res.error.code === 'ETIMEDOUT') throw new Error(`did not finish within ${timeout}ms`);
  if (res.status !== 0) throw new Error(res.stderr || `exit ${res.status}`);
  return JSON.parse(res.stdout);
}

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
