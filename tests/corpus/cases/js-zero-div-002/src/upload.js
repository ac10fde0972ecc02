'use strict';

// Tracks chunked upload progress for the resumable-upload endpoint.

class UploadProgress {
  constructor(id, totalBytes) {
    if (!Number.isInteger(totalBytes) || totalBytes < 0) {
      throw new RangeError('totalBytes must be a non-negative integer');
    }
    this.id = id;
    this.totalBytes = totalBytes;
    this.received = new Map();
  }

  addChunk(offset, length) {
    if (offset < 0 || offset + length > this.totalBytes) {
      throw new RangeError(`chunk ${offset}+${length} outside upload`);
    }
    this.received.set(offset, length);
  }

  receivedBytes() {
    let sum = 0;
    for (const len of this.received.values()) sum += len;
    return sum;
  }

  percent() {
    return Math.floor((this.receivedBytes() / this.totalBytes) * 100);
  }

  isComplete() {
    return this.percent() === 100;
  }

  status() {
    return {
      id: this.id,
      percent: this.percent(),
      complete: this.isComplete(),
    };
  }
}

module.exports = { UploadProgress };
