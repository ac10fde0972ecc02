'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const MOD = path.join(__dirname, '..', 'src', 'balancer.js');

// Runs `body` (which must evaluate an expression into `result`) in a child
// process so that a hang fails the test instead of blocking the runner.
function isolated(body, timeout = 3000) {
  const code = `const m = require(${JSON.stringify(MOD)}); let result; ${body}; process.stdout.write(JSON.stringify(result === undefined ? null : result));`;
  const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout });
  if (res.error && res.error.code === 'ETIMEDOUT') throw new Error(`did not finish within ${timeout}ms`);
  if (res.status !== 0) throw new Error(res.stderr || `exit ${res.status}`);
  return JSON.parse(res.stdout);
}


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
