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
