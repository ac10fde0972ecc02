'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { UploadProgress } = require('../src/upload');

test('zero byte upload', () => {
  const u = new UploadProgress('z', 0);
  assert.equal(u.percent(), 100);
  assert.equal(u.isComplete(), true);
});

test('floor and completion', () => {
  const u = new UploadProgress('a', 3);
  u.addChunk(0, 1);
  assert.equal(u.percent(), 33);
  u.addChunk(1, 2);
  assert.equal(u.isComplete(), true);
});

test('rechunk replaces', () => {
  const u = new UploadProgress('b', 10);
  u.addChunk(0, 5);
  u.addChunk(0, 5);
  assert.equal(u.percent(), 50);
  assert.throws(() => new UploadProgress('c', -1), RangeError);
});
