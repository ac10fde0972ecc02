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

function sitemapXml(urls) {
  const body = urls
    .map((u) => `  <url><loc>${u.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</loc></url>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>`;
}

function crawlQueue(start, fetchHtml, limit = 50) {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0 && seen.size < limit) {
    const url = queue.shift();
    for (const link of extractLinks(fetchHtml(url) || '', url)) {
      if (!seen.has(link) && seen.size < limit) {
        seen.add(link);
        queue.push(link);
      }
    }
  }
  return [...seen];
}

module.exports = { extractLinks, resolveHref, sitemapXml, crawlQueue };
