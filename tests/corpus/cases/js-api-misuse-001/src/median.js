'use strict';

// Robust latency statistics for the synthetic-monitoring probe.

function median(values) {
  if (values.length === 0) return null;
  const sorted = values.slice().sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mad(values) {
  const m = median(values);
  if (m === null) return null;
  return median(values.map((v) => Math.abs(v - m)));
}

function outliers(values, k = 3) {
  const m = median(values);
  const d = mad(values);
  if (m === null || d === 0) return [];
  return values.filter((v) => Math.abs(v - m) / d > k);
}

function probeReport(samples) {
  const ok = samples.filter((s) => s.ok).map((s) => s.ms);
  return {
    total: samples.length,
    failed: samples.length - ok.length,
    medianMs: median(ok),
    outliers: outliers(ok).length,
  };
}

function percentChange(before, after) {
  const a = median(before);
  const b = median(after);
  if (a === null || b === null || a === 0) return null;
  return Math.round(((b - a) / a) * 1000) / 10;
}

function regression(before, after, thresholdPct = 20) {
  const change = percentChange(before, after);
  return change !== null && change > thresholdPct;
}

module.exports = { median, mad, outliers, probeReport, percentChange, regression };
