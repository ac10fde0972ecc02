'use strict';

// Aggregations behind the /reports/orders endpoint.

function groupCount(rows, field) {
  const counts = new Map();
  for (const row of rows) {
    const key = row.status ?? '(none)';
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))));
}

function sumBy(rows, field, valueField) {
  const out = {};
  for (const row of rows) {
    const key = row[field] ?? '(none)';
    out[key] = (out[key] || 0) + Number(row[valueField] || 0);
  }
  return out;
}

function topN(rows, field, n = 3) {
  return Object.entries(groupCount(rows, field))
    .slice(0, n)
    .map(([key, count]) => ({ key, count }));
}

function report(rows) {
  return {
    byStatus: groupCount(rows, 'status'),
    byCountry: groupCount(rows, 'country'),
    revenueByCountry: sumBy(rows, 'country', 'total'),
  };
}

function toCsv(counts, header = ['key', 'count']) {
  const lines = [header.join(',')];
  for (const [k, v] of Object.entries(counts)) {
    const cell = /[",\n]/.test(k) ? `"${k.replace(/"/g, '""')}"` : k;
    lines.push(`${cell},${v}`);
  }
  return lines.join('\n');
}

module.exports = { groupCount, sumBy, topN, report, toCsv };
