'use strict';

// Cursor-style pagination for the activity feed.

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function parseLimit(raw) {
  if (raw === undefined) return DEFAULT_LIMIT;
  return Math.min(Number.parseInt(raw, 10), MAX_LIMIT);
}

function encodeCursor(index) {
  return Buffer.from(`i:${index}`).toString('base64url');
}

function decodeCursor(cursor) {
  if (!cursor) return 0;
  const text = Buffer.from(String(cursor), 'base64url').toString('utf8');
  const m = /^i:(\d+)$/.exec(text);
  return m ? Number(m[1]) : 0;
}

function pageWindow(items, query = {}) {
  const limit = parseLimit(query.limit);
  const start = decodeCursor(query.cursor);
  const page = items.slice(start, start + limit);
  const next = start + page.length;
  return {
    items: page,
    nextCursor: next < items.length ? encodeCursor(next) : null,
  };
}

function linkHeader(baseUrl, page, limit) {
  // RFC 8288 Link header for the next page, if any.
  if (!page.nextCursor) return '';
  const url = `${baseUrl}?cursor=${encodeURIComponent(page.nextCursor)}&limit=${limit}`;
  return `<${url}>; rel="next"`;
}

module.exports = { pageWindow, parseLimit, encodeCursor, decodeCursor, DEFAULT_LIMIT, linkHeader };
