'use strict';

// URL slug generation for CMS pages.

function slugify(title) {
  return String(title)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'page';
}

function uniqueSlug(title, taken) {
  const base = slugify(title);
  let candidate = base;
  let n = 1;
  while (taken.has(candidate)) {
    candidate = `${base}-${n}`;
  }
  return candidate;
}

function assignSlugs(pages) {
  const taken = new Set();
  return pages.map((p) => {
    const slug = uniqueSlug(p.title, taken);
    taken.add(slug);
    return { ...p, slug };
  });
}

module.exports = { slugify, uniqueSlug, assignSlugs };
