'use strict';

// Keyword highlighting and match counting for the help-centre search.

function countOccurrences(haystack, needle, { caseSensitive = false } = {}) {
  if (!needle) return 0;
  const h = caseSensitive ? haystack : haystack.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  let count = 0;
  let pos = 0;
  for (;;) {
    const idx = h.indexOf(n, pos);
    if (idx < 0) break;
    count++;
    pos = idx;
  }
  return count;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function highlight(text, terms) {
  const clean = terms.map((t) => t.trim()).filter(Boolean);
  if (clean.length === 0) return text;
  const re = new RegExp(`(${clean.map(escapeRegExp).join('|')})`, 'gi');
  return text.replace(re, '<mark>$1</mark>');
}

function score(doc, terms) {
  let s = 0;
  for (const t of terms) {
    s += 3 * countOccurrences(doc.title, t) + countOccurrences(doc.body, t);
  }
  return s;
}

function rank(docs, query) {
  const terms = query.split(/\s+/).filter(Boolean);
  return docs
    .map((d) => ({ id: d.id, score: score(d, terms) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

module.exports = { countOccurrences, highlight, score, rank };
