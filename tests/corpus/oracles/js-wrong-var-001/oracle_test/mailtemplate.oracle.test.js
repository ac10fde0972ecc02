'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { render } = require('../src/mailtemplate');

test('html values', () => {
  assert.equal(render('${a}-${b}', { a: 1, b: '"q"' }), '1-&quot;q&quot;');
  assert.equal(render('${n}', { n: 0 }), '0');
});

test('missing lenient', () => {
  assert.equal(render('[${gone}]', {}), '[]');
  assert.equal(render('${toString}', {}), '');
});
