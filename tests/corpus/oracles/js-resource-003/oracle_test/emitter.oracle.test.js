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
