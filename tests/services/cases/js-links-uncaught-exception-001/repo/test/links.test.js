'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { LinkShortener, shortCode } = require('../src/links');

test('shorten then resolve', () => {
  const links = new LinkShortener();
  const code = links.handle('SHORTEN https://example.com/docs').split(' ')[1];
  assert.equal(code, shortCode('https://example.com/docs'));
  assert.equal(links.handle(`RESOLVE ${code}`), 'REDIRECT https://example.com/docs');
});

test('same url, same code', () => {
  const links = new LinkShortener();
  assert.equal(links.handle('SHORTEN http://a.test/'), links.handle('SHORTEN http://a.test/'));
  assert.equal(links.handle('COUNT'), 'COUNT 1');
});

test('hits are counted', () => {
  const links = new LinkShortener();
  const code = links.handle('SHORTEN https://example.com/').split(' ')[1];
  links.handle(`RESOLVE ${code}`);
  links.handle(`RESOLVE ${code}`);
  assert.equal(links.handle(`STATS ${code}`), `STATS ${code} hits=2`);
});

test('only http and https', () => {
  assert.equal(new LinkShortener().handle('SHORTEN ftp://files.test/x'), 'ERR unsupported scheme ftp:');
});

test('unknown code does not resolve', () => {
  assert.equal(new LinkShortener().handle('RESOLVE abcdefg'), 'NOT_FOUND');
});
