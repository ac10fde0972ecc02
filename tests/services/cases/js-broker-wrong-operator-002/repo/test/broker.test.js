'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Broker, RETENTION } = require('../src/broker');

test('publish counts subscribers', () => {
  const broker = new Broker();
  assert.equal(broker.handle('SUB orders billing'), 'SUBSCRIBED billing orders');
  assert.equal(broker.handle('PUB orders order 7 paid'), 'PUBLISHED 1 subscribers=1');
});

test('peek returns the most recent messages', () => {
  const broker = new Broker();
  for (const body of ['a', 'b', 'c']) broker.handle(`PUB alerts ${body}`);
  assert.equal(broker.handle('PEEK alerts 2'), 'MESSAGES 2:b 3:c');
  assert.equal(broker.handle('PEEK alerts 3'), 'MESSAGES 1:a 2:b 3:c');
});

test('retention drops the oldest', () => {
  const broker = new Broker();
  for (let i = 0; i <= RETENTION; i++) broker.handle(`PUB audit m${i}`);
  assert.equal(broker.handle('PEEK audit 1'), `MESSAGES ${RETENTION + 1}:m${RETENTION}`);
});

test('unsubscribe', () => {
  const broker = new Broker();
  broker.handle('SUB orders billing');
  assert.equal(broker.handle('UNSUB orders billing'), 'UNSUBSCRIBED billing orders');
  assert.equal(broker.handle('PUB orders x'), 'PUBLISHED 1 subscribers=0');
});

test('unknown topic', () => {
  assert.equal(new Broker().handle('PUB metrics x'), 'ERR unknown topic');
});
