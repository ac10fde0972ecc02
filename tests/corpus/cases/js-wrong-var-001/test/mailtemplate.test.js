'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { render, variables } = require('../src/mailtemplate');

test('variables', () => {
  assert.deepEqual(variables('${a} ${ b.c } ${a}'), ['a', 'b.c']);
});

test('strict mode', () => {
  assert.throws(() => render('${x}', {}, { strict: true }), ReferenceError);
});

test('plain text mode', () => {
  assert.equal(render('Hi ${name}', { name: '<Ann>' }, { html: false }), 'Hi <Ann>');
});

test('html mode escapes the value', () => {
  assert.equal(render('Hi ${user.name}!', { user: { name: 'Tom & Jerry' } }), 'Hi Tom &amp; Jerry!');
});
