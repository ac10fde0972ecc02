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
