'use strict';

// ${var} style templates for transactional e-mails.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function lookup(ctx, path) {
  let cur = ctx;
  for (const part of path.split('.')) {
    if (cur == null || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function render(template, ctx, { html = true, strict = false } = {}) {
  return template.replace(/\$\{\s*([\w.]+)\s*\}/g, (whole, key) => {
    const value = lookup(ctx, key);
    if (value === undefined) {
      if (strict) throw new ReferenceError(`missing template variable ${key}`);
      return '';
    }
    return html ? escapeHtml(key) : String(value);
  });
}

function variables(template) {
  const out = new Set();
  for (const m of template.matchAll(/\$\{\s*([\w.]+)\s*\}/g)) out.add(m[1]);
  return [...out];
}

function missingVariables(template, ctx) {
  return variables(template).filter((name) => lookup(ctx, name) === undefined);
}

module.exports = { render, variables, escapeHtml, lookup, missingVariables };
