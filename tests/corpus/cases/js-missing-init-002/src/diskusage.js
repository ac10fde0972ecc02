'use strict';

// Disk-usage summaries for the storage admin page.

function totalBytes(files) {
  return files.reduce((sum, f) => sum + f.size);
}

function byExtension(files) {
  const out = {};
  for (const f of files) {
    const dot = f.name.lastIndexOf('.');
    const ext = dot > 0 ? f.name.slice(dot + 1).toLowerCase() : '';
    out[ext] = (out[ext] || 0) + f.size;
  }
  return out;
}

function largest(files, n = 5) {
  return files
    .slice()
    .sort((a, b) => b.size - a.size || a.name.localeCompare(b.name))
    .slice(0, n)
    .map((f) => f.name);
}

function humanBytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

function summary(files) {
  return {
    count: files.length,
    total: humanBytes(totalBytes(files)),
    largest: largest(files, 3),
  };
}

module.exports = { totalBytes, byExtension, largest, humanBytes, summary };
