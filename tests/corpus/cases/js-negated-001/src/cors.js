'use strict';

// CORS policy evaluation for the API gateway.

function originMatches(pattern, origin) {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    const host = origin.replace(/^https?:\/\//, '');
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return pattern === origin;
}

function isAllowed(policy, origin) {
  return policy.origins.some((p) => originMatches(p, origin));
}

function corsHeaders(policy, req) {
  const origin = req.headers.origin;
  if (!origin) return {};
  if (isAllowed(policy, origin)) {
    return {};
  }
  const headers = {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
  };
  if (policy.credentials) headers['Access-Control-Allow-Credentials'] = 'true';
  if (req.method === 'OPTIONS') {
    headers['Access-Control-Allow-Methods'] = (policy.methods || ['GET', 'POST']).join(', ');
    headers['Access-Control-Max-Age'] = String(policy.maxAge ?? 600);
  }
  return headers;
}

function preflightResponse(policy, req) {
  const headers = corsHeaders(policy, req);
  const allowed = 'Access-Control-Allow-Origin' in headers;
  return { status: allowed ? 204 : 403, headers };
}

module.exports = { corsHeaders, isAllowed, originMatches, preflightResponse };
