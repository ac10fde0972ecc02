'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const MOD = path.join(__dirname, '..', 'src', 'search.js');

// Runs `body` (which must evaluate an expression into `result`) in a child
// process so that a hang fails the test instead of blocking the runner.
function isolated(body, timeout = 3000) {
  const code = `const m = require(${JSON.stringify(MOD)}); let result; ${body}; process.stdout.write(JSON.stringify(result === undefined ? null : result));`;
  const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout });
  if (res.error && res.error.code === 'ETIMEDOUT') throw new Error(`did not finish within ${timeout}ms`);
  if (res.status !== 0) throw new Error(res.stderr || `exit ${res.status}`);
  return JSON.parse(res.stdout);
}


test('non-overlapping and case', () => {
  assert.equal(isolated('result = m.countOccurrences("aaaa", "aa")'), 2);
  assert.equal(isolated('result = m.countOccurrences("Aa aA", "a", { caseSensitive: true })'), 2);
  assert.equal(isolated('result = m.countOccurrences("x", "")'), 0);
});

test('rank', () => {
  const r = isolated('result = m.rank([{ id: 1, title: "billing", body: "invoice" }, { id: 2, title: "x", body: "billing billing" }, { id: 3, title: "y", body: "z" }], "billing")');
  assert.deepEqual(r, [{ id: 1, score: 3 }, { id: 2, score: 2 }]);
});
