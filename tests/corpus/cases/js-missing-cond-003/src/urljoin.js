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

function splitUrl(url) {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = {};
  if (q >= 0) {
    for (const pair of url.slice(q + 1).split('&')) {
      if (!pair) continue;
      const [k, v = ''] = pair.split('=');
      query[decodeURIComponent(k)] = decodeURIComponent(v);
    }
  }
  return { path, query };
}

module.exports = { joinUrl, withQuery, resourceUrl, splitUrl };
