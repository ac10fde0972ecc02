'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { convert, fahrenheitToCelsius, normalizeReading } = require('../src/units');

test('freezing and -40', () => {
  assert.equal(fahrenheitToCelsius(32), 0);
  assert.equal(fahrenheitToCelsius(-40), -40);
  assert.equal(convert(98.6, 'F', 'C').toFixed(1), '37.0');
});

test('roundtrip', () => {
  for (const c of [-10, 0, 21.5, 37]) {
    assert.ok(Math.abs(convert(convert(c, 'C', 'F'), 'F', 'C') - c) < 1e-9);
  }
});

test('weights and kelvin', () => {
  assert.deepEqual(normalizeReading({ kind: 'weight', unit: 'lb', value: 10 }), { kind: 'weight', unit: 'kg', value: 4.536 });
  assert.equal(convert(0, 'C', 'K'), 273.15);
});
