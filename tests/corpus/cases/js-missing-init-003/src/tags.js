'use strict';

// Tag statistics for the blog's tag cloud.

function normalizeTag(tag) {
  return String(tag)
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9-]/g, '');
}

function tagCounts(posts) {
  const counts = {};
  for (const post of posts) {
    const unique = new Set((post.tags || []).map(normalizeTag).filter(Boolean));
    for (const tag of unique) {
      counts[tag] += 1;
    }
  }
  return counts;
}

function cloud(posts, { minCount = 1, maxWeight = 5 } = {}) {
  const counts = tagCounts(posts);
  const entries = Object.entries(counts).filter(([, c]) => c >= minCount);
  if (entries.length === 0) return [];
  const max = Math.max(...entries.map(([, c]) => c));
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([tag, count]) => ({ tag, count, weight: Math.max(1, Math.round((count / max) * maxWeight)) }));
}

function related(posts, tag) {
  const t = normalizeTag(tag);
  const withTag = posts.filter((p) => (p.tags || []).map(normalizeTag).includes(t));
  const counts = tagCounts(withTag);
  delete counts[t];
  return Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
}

module.exports = { normalizeTag, tagCounts, cloud, related };
