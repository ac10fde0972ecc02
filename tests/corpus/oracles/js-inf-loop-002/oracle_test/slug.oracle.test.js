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
