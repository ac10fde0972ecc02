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
