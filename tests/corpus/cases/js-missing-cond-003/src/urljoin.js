'use strict';

// URL building helpers for the outbound API client.

function joinUrl(base, ...segments) {
  let url = base.replace(/\/+$/, '');
  for (const raw of segments) {
    if (raw === undefined || raw === null || raw === '') continue;
    let seg = String(raw);
    seg = seg.replace(/\/+$/, '');
    if (seg) url += '/' + seg;
  }
  return url;
}

function withQuery(url, params) {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null);
  if (entries.length === 0) return url;
  const qs = entries
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return url + (url.includes('?') ? '&' : '?') + qs;
}

function resourceUrl(baseUrl, resource, id, params) {
  const path = id === undefined ? joinUrl(baseUrl, resource) : joinUrl(baseUrl, resource, encodeURIComponent(id));
  return withQuery(path, params);
}

module.exports = { joinUrl, withQuery, resourceUrl };
