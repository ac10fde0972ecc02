'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractLinks } = require('../src/links');

const BASE = 'https://site.test/docs/';

test('relative and absolute links', () => {
  const html = '<a href="intro">i</a><a class="x" href=\'/about#team\'>a</a><a href="https://other.test/">o</a>';
  assert.deepEqual(extractLinks(html, BASE), ['https://site.test/docs/intro', 'https://site.test/about']);
});

test('skips mailto and fragments', () => {
  assert.deepEqual(extractLinks('<a href="mailto:a@b">m</a><a href="#top">t</a>', BASE), []);
});

test('invalid href is skipped', () => {
  const html = '<a href="http://[broken">x</a><a href="ok">y</a>';
  assert.deepEqual(extractLinks(html, BASE), ['https://site.test/docs/ok']);
});
