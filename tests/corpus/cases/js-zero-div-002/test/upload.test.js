'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { UploadProgress } = require('../src/upload');

test('percent of chunks', () => {
  const u = new UploadProgress('u1', 1000);
  u.addChunk(0, 250);
  u.addChunk(250, 250);
  assert.equal(u.percent(), 50);
});

test('chunk outside range', () => {
  assert.throws(() => new UploadProgress('u', 10).addChunk(5, 10), RangeError);
});

test('empty file upload is complete', () => {
  assert.deepEqual(new UploadProgress('e', 0).status(), { id: 'e', percent: 100, complete: true });
});
