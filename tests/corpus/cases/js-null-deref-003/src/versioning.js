'use strict';

// API version negotiation: /v2/... path prefix, Accept-Version header, or default.

const SUPPORTED = [1, 2, 3];
const DEFAULT_VERSION = 2;

function apiVersion(path) {
  const m = path.match(/^\/v(\d+)(\/|$)/);
  return Number(m[1]);
}

function stripVersion(path) {
  const rest = path.replace(/^\/v\d+(?=\/|$)/, '');
  return rest === '' ? '/' : rest;
}

function headerVersion(headers) {
  const raw = headers['accept-version'];
  if (raw === undefined) return null;
  const n = Number.parseInt(raw, 10);
  return Number.isNaN(n) ? null : n;
}

function negotiate(req) {
  const fromPath = apiVersion(req.path);
  const version = fromPath ?? headerVersion(req.headers || {}) ?? DEFAULT_VERSION;
  if (!SUPPORTED.includes(version)) {
    return { ok: false, status: 400, error: `unsupported API version ${version}` };
  }
  return { ok: true, version, path: stripVersion(req.path) };
}

function deprecationHeaders(version) {
  // Versions below the default are deprecated and get a sunset date.
  if (version >= DEFAULT_VERSION) return {};
  return {
    Deprecation: 'true',
    Sunset: 'Sat, 01 Jun 2030 00:00:00 GMT',
    Link: `</v${DEFAULT_VERSION}>; rel="successor-version"`,
  };
}

module.exports = { apiVersion, stripVersion, headerVersion, negotiate, SUPPORTED, deprecationHeaders };
