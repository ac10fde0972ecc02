'use strict';

// Cookie helpers for the session middleware.

function decode(value) {
  try {
    return decodeURIComponent(value);
  } catch (err) {
    return value;
  }
}

function parseCookies(req) {
  const header = req.headers.cookie;
  const jar = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (name && !(name in jar)) {
      jar[name] = decode(value);
    }
  }
  return jar;
}

function serializeCookie(name, value, opts = {}) {
  let out = `${name}=${encodeURIComponent(value)}`;
  if (opts.maxAge != null) out += `; Max-Age=${Math.floor(opts.maxAge)}`;
  if (opts.path) out += `; Path=${opts.path}`;
  if (opts.httpOnly) out += '; HttpOnly';
  if (opts.secure) out += '; Secure';
  if (opts.sameSite) out += `; SameSite=${opts.sameSite}`;
  return out;
}

function sessionId(req, cookieName = 'sid') {
  const jar = parseCookies(req);
  return jar[cookieName] || null;
}

module.exports = { parseCookies, serializeCookie, sessionId };
