'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { joinUrl, resourceUrl } = require('../src/urljoin');

test('many slashes', () => {
  assert.equal(joinUrl('http://h//', '//a//', '', '///b'), 'http://h/a/b');
});

test('resource with id', () => {
  assert.equal(resourceUrl('https://api/', '/items', 'a/b', { page: 2 }), 'https://api/items/a%2Fb?page=2');
});

test('slash-only segment is skipped', () => {
  assert.equal(joinUrl('http://h', '/', 'x'), 'http://h/x');
});
