'use strict';

// Route parameter extraction with percent-decoding.

function safeDecode(s) {
  return decodeURIComponent(s);
}

function compile(pattern) {
  const names = [];
  const src = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      if (part === '*') {
        names.push('rest');
        return '(.*)';
      }
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${src}$`), names };
}

function extractParams(pattern, path) {
  const { regex, names } = compile(pattern);
  const m = regex.exec(path);
  if (!m) return null;
  const params = {};
  names.forEach((name, i) => {
    params[name] = safeDecode(m[i + 1]);
  });
  return params;
}

function buildPath(pattern, params) {
  return pattern
    .split('/')
    .map((part) => (part.startsWith(':') ? encodeURIComponent(params[part.slice(1)] ?? '') : part))
    .join('/');
}

module.exports = { extractParams, safeDecode, compile, buildPath };
