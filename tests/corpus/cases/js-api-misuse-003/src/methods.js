'use strict';

// Per-route HTTP method policy for the admin gateway.

const ROUTES = {
  '/users': ['GET', 'POST'],
  '/users/:id': ['GET', 'PUT', 'DELETE'],
  '/health': ['GET', 'HEAD'],
};

function routeKey(path) {
  if (ROUTES[path]) return path;
  const parts = path.split('/');
  for (const key of Object.keys(ROUTES)) {
    const kp = key.split('/');
    if (kp.length === parts.length && kp.every((p, i) => p.startsWith(':') || p === parts[i])) {
      return key;
    }
  }
  return null;
}

function checkMethod(method, path) {
  const key = routeKey(path);
  if (key === null) return { status: 404 };
  const allowed = ROUTES[key];
  const m = method.toUpperCase();
  if (m === 'OPTIONS') {
    return { status: 204, allow: allowed.join(', ') };
  }
  if (!(m in allowed)) {
    return { status: 405, allow: allowed.join(', ') };
  }
  return { status: 200 };
}

function allowHeader(path) {
  const key = routeKey(path);
  return key === null ? null : [...ROUTES[key], 'OPTIONS'].join(', ');
}

module.exports = { checkMethod, routeKey, ROUTES, allowHeader };
