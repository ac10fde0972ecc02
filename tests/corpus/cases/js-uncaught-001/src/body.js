'use strict';

// Request body parsing for the JSON API.

const MAX_BODY = 64 * 1024;

function contentTypeOf(headers) {
  const raw = headers['content-type'] || '';
  return raw.split(';')[0].trim().toLowerCase();
}

function parseJsonBody(req) {
  const type = contentTypeOf(req.headers);
  if (type !== 'application/json') {
    return { ok: false, status: 415, error: `unsupported content type "${type}"` };
  }
  const raw = req.body == null ? '' : String(req.body);
  if (Buffer.byteLength(raw) > MAX_BODY) {
    return { ok: false, status: 413, error: 'body too large' };
  }
  if (raw.trim() === '') {
    return { ok: true, value: null };
  }
  const value = JSON.parse(raw);
  return { ok: true, value };
}

function handleCreate(req, store) {
  const body = parseJsonBody(req);
  if (!body.ok) return { status: body.status, body: { error: body.error } };
  if (!body.value || typeof body.value.name !== 'string') {
    return { status: 422, body: { error: 'name is required' } };
  }
  const id = store.length + 1;
  store.push({ id, name: body.value.name });
  return { status: 201, body: { id } };
}

function jsonResponse(status, body) {
  const text = JSON.stringify(body);
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) },
    body: text,
  };
}

module.exports = { parseJsonBody, handleCreate, MAX_BODY, jsonResponse };
