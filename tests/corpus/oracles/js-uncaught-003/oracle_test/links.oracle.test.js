'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { extractLinks, resolveHref } = require('../src/links');

test('invalid hrefs', () => {
  assert.equal(resolveHref('http://[::1', 'https://a.test/'), null);
  assert.equal(resolveHref('https://exa mple.com', 'https://a.test/'), null);
});

test('dedupe and cross-origin option', () => {
  const html = '<a href="/a">1</a><a href="/a#x">2</a><a href="http://[x">3</a><a href="https://b.test/z">4</a>';
  assert.deepEqual(extractLinks(html, 'https://a.test/'), ['https://a.test/a']);
  assert.deepEqual(extractLinks(html, 'https://a.test/', { sameOrigin: false }), ['https://a.test/a', 'https://b.test/z']);
});
