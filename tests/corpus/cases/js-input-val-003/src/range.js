'use strict';

// HTTP Range header handling for the media file server (single ranges only).

function parseRange(header, size) {
  if (!header || !header.startsWith('bytes=')) return undefined;
  const spec = header.slice(6).trim();
  if (spec.includes(',')) return undefined;
  const m = /^(\d*)-(\d*)$/.exec(spec);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start;
  let end;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return { start, end, length: end - start + 1 };
}

function rangeResponse(header, size) {
  const r = parseRange(header, size);
  if (r === undefined) {
    return { status: 200, headers: { 'Content-Length': String(size) } };
  }
  if (r === null) {
    return { status: 416, headers: { 'Content-Range': `bytes */${size}` } };
  }
  return {
    status: 206,
    headers: {
      'Content-Range': `bytes ${r.start}-${r.end}/${size}`,
      'Content-Length': String(r.length),
    },
  };
}

module.exports = { parseRange, rangeResponse };
