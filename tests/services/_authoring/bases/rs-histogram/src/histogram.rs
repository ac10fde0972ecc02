//! Latency histograms: fixed millisecond buckets per series, quantiles and rates.

use std::collections::HashMap;

/// Upper bounds (inclusive) of the buckets; larger values land in one overflow bucket.
const BOUNDS_MS: [u64; 6] = [5, 10, 25, 50, 100, 250];

#[derive(Default)]
struct Histogram {
    counts: Vec<u64>,
    total: u64,
    sum: u64,
    max: u64,
}

impl Histogram {
    fn new() -> Self {
        Histogram { counts: vec![0; BOUNDS_MS.len() + 1], ..Default::default() }
    }

    fn record(&mut self, value: u64) {
        let index = BOUNDS_MS.iter().position(|bound| value <= *bound).unwrap_or(BOUNDS_MS.len());
        self.counts[index] += 1;
        self.total += 1;
        self.sum += value;
        self.max = self.max.max(value);
    }

    /// Upper bound of the bucket holding the q-quantile (max for the overflow bucket).
    fn quantile(&self, q: f64) -> u64 {
        let rank = ((q * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (index, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return BOUNDS_MS.get(index).copied().unwrap_or(self.max);
            }
        }
        self.max
    }
}

pub struct Registry {
    series: HashMap<String, Histogram>,
}

impl Registry {
    pub fn new() -> Self {
        Registry { series: HashMap::new() }
    }

    pub fn handle(&mut self, line: &str) -> String {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["OBS", name, ms] => match ms.parse::<u64>() {
                Ok(ms) => {
                    let histogram = self.series.entry(name.to_string()).or_insert_with(Histogram::new);
                    histogram.record(ms);
                    format!("OK {}", histogram.total)
                }
                Err(_) => "ERR value must be whole milliseconds".to_string(),
            },
            ["SUMMARY", name] => self.summary(name),
            ["QUANTILE", name, q] => match q.parse::<f64>() {
                Ok(q) if (0.0..=1.0).contains(&q) => match self.series.get(*name) {
                    Some(h) if h.total > 0 => format!("QUANTILE {}", h.quantile(q)),
                    _ => "EMPTY".to_string(),
                },
                _ => "ERR q must be within 0..1".to_string(),
            },
            ["RATE", name, window_s] => self.rate(name, window_s),
            _ => "ERR usage: OBS name ms | SUMMARY name | QUANTILE name q | RATE name secs".to_string(),
        }
    }

    fn summary(&self, name: &str) -> String {
        match self.series.get(name) {
            Some(h) if h.total > 0 => {
                let buckets: Vec<String> = h.counts.iter().map(u64::to_string).collect();
                format!("SUMMARY count={} mean={} max={} buckets={}", h.total, h.sum / h.total, h.max, buckets.join(","))
            }
            _ => "EMPTY".to_string(),
        }
    }

    /// Observations per minute over a window of the given number of seconds.
    fn rate(&self, name: &str, window_s: &str) -> String {
        let Ok(window_s) = window_s.parse::<u64>() else {
            return "ERR window must be whole seconds".to_string();
        };
        if window_s == 0 {
            return "ERR window must be positive".to_string();
        }
        let total = self.series.get(name).map_or(0, |h| h.total);
        format!("RATE {}/min", total * 60 / window_s)
    }
}

#[cfg(test)]
mod tests {
    use super::Registry;

    fn registry_with(values: &[u64]) -> Registry {
        let mut registry = Registry::new();
        for value in values {
            registry.handle(&format!("OBS api {value}"));
        }
        registry
    }

    #[test]
    fn summary_counts_buckets() {
        let mut registry = registry_with(&[3, 8, 8, 40, 240]);
        let summary = registry.handle("SUMMARY api");
        assert!(summary.starts_with("SUMMARY count=5 mean=59 max=240 buckets=1,2,0,1,0,1"), "{summary}");
    }

    #[test]
    fn quantiles_use_bucket_bounds() {
        let mut registry = registry_with(&[3, 8, 8, 40, 240]);
        assert_eq!(registry.handle("QUANTILE api 0.5"), "QUANTILE 10");
        assert_eq!(registry.handle("QUANTILE api 1"), "QUANTILE 250");
    }

    #[test]
    fn rate_per_minute() {
        let mut registry = registry_with(&[1, 2, 3]);
        assert_eq!(registry.handle("RATE api 30"), "RATE 6/min");
    }

    #[test]
    fn unknown_series_is_empty() {
        assert_eq!(Registry::new().handle("SUMMARY db"), "EMPTY");
    }

    #[test]
    fn rejects_bad_values() {
        assert_eq!(Registry::new().handle("OBS api fast"), "ERR value must be whole milliseconds");
    }
}
