'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { OrderBook, cents } = require('../src/orders');

test('create, add and total', () => {
  const book = new OrderBook();
  assert.equal(book.handle('CREATE ann'), 'CREATED o1');
  assert.equal(book.handle('ADD o1 widget 2'), 'OK 1 items');
  assert.equal(book.handle('ADD o1 cable 1'), 'OK 2 items');
  assert.equal(book.handle('TOTAL o1'), 'TOTAL o1 29.48');
});

test('closed orders reject items', () => {
  const book = new OrderBook();
  book.handle('CREATE bob');
  book.handle('CLOSE o1');
  assert.equal(book.handle('ADD o1 widget 1'), 'ERR order o1 is closed');
});

test('rejects bad quantities and skus', () => {
  const book = new OrderBook();
  book.handle('CREATE ann');
  assert.equal(book.handle('ADD o1 widget 1.5'), 'ERR qty must be a positive integer');
  assert.equal(book.handle('ADD o1 rocket 1'), 'ERR unknown sku');
});

test('import from json', () => {
  const book = new OrderBook();
  assert.equal(book.handle('IMPORT {"customer": "cy", "items": [["gadget", 2]]}'), 'IMPORTED o1 1 items');
  assert.equal(book.handle('TOTAL o1'), 'TOTAL o1 49.00');
});

test('formats cents', () => {
  assert.equal(cents(705), '7.05');
});
