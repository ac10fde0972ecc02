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
