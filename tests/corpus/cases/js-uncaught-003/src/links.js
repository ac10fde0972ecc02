'use strict';

// Link extraction for the sitemap crawler.

const HREF_RE = /<a\s[^>]*href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

function resolveHref(href, base) {
  return new URL(href, base);
}

function extractLinks(html, baseUrl, { sameOrigin = true } = {}) {
  const base = new URL(baseUrl);
  const seen = new Set();
  const links = [];
  for (const m of html.matchAll(HREF_RE)) {
    const href = (m[1] ?? m[2]).trim();
    if (!href || href.startsWith('#') || /^(mailto|javascript|tel):/i.test(href)) continue;
    const url = resolveHref(href, base);
    if (url === null) continue;
    if (!['http:', 'https:'].includes(url.protocol)) continue;
    if (sameOrigin && url.origin !== base.origin) continue;
    url.hash = '';
    const key = url.toString();
    if (!seen.has(key)) {
      seen.add(key);
      links.push(key);
    }
  }
  return links;
}

module.exports = { extractLinks, resolveHref };
