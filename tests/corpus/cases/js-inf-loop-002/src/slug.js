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

function slugHistory(pages) {
  // Map old slugs to current ones so renamed pages can be redirected.
  const redirects = {};
  for (const p of pages) {
    for (const old of p.previousSlugs || []) {
      if (old !== p.slug) redirects[old] = p.slug;
    }
  }
  return redirects;
}

function isValidSlug(s) {
  return typeof s === 'string' && s.length > 0 && s.length <= 60 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s);
}

module.exports = { slugify, uniqueSlug, assignSlugs, slugHistory, isValidSlug };
