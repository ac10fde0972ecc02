'use strict';

// Unit conversion for the IoT telemetry ingestion pipeline.

const LENGTH = { mm: 0.001, cm: 0.01, m: 1, km: 1000, in: 0.0254, ft: 0.3048, mi: 1609.344 };
const MASS = { g: 0.001, kg: 1, lb: 0.45359237, oz: 0.028349523125 };

function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function fahrenheitToCelsius(f) {
  return ((f + 32) * 5) / 9;
}

function celsiusToFahrenheit(c) {
  return (c * 9) / 5 + 32;
}

function convert(value, from, to) {
  if (from === to) return value;
  if (from === 'F' && to === 'C') return fahrenheitToCelsius(value);
  if (from === 'C' && to === 'F') return celsiusToFahrenheit(value);
  if (from === 'C' && to === 'K') return value + 273.15;
  if (from === 'K' && to === 'C') return value - 273.15;
  for (const table of [LENGTH, MASS]) {
    if (from in table && to in table) {
      return (value * table[from]) / table[to];
    }
  }
  throw new RangeError(`cannot convert ${from} to ${to}`);
}

function normalizeReading(reading) {
  const target = { temperature: 'C', distance: 'm', weight: 'kg' }[reading.kind];
  if (!target) throw new RangeError(`unknown reading kind ${reading.kind}`);
  return {
    kind: reading.kind,
    unit: target,
    value: round(convert(reading.value, reading.unit, target), 3),
  };
}

module.exports = { convert, normalizeReading, fahrenheitToCelsius, celsiusToFahrenheit, round };
