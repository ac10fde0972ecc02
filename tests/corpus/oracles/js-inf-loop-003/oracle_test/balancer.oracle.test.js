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


test('empty pool', () => {
  assert.equal(isolated('result = new m.Balancer([]).next()'), null);
});

test('recovery', () => {
  const r = isolated('const b = new m.Balancer(["a"], { maxFailures: 2 }); b.reportFailure("a"); const first = b.next(); b.reportFailure("a"); const down = b.next(); b.reportSuccess("a"); result = [first, down, b.next(), b.healthyCount()]');
  assert.deepEqual(r, ['a', null, 'a', 1]);
});
