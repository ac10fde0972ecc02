'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { convert, normalizeReading, round } = require('../src/units');

test('length', () => {
  assert.equal(round(convert(1, 'mi', 'km'), 3), 1.609);
});

test('unknown pair', () => {
  assert.throws(() => convert(1, 'kg', 'm'), RangeError);
});

test('celsius to fahrenheit', () => {
  assert.equal(convert(100, 'C', 'F'), 212);
});

test('normalize fahrenheit reading', () => {
  assert.deepEqual(normalizeReading({ kind: 'temperature', unit: 'F', value: 212 }), { kind: 'temperature', unit: 'C', value: 100 });
});
