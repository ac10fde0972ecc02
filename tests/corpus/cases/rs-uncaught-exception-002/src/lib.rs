//! Per-client token-bucket rate limiter driven by an explicit millisecond clock.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    capacity: u32,
    refill_per_sec: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ConfigError {
    ZeroCapacity,
    ZeroRate,
    Parse(String),
}

impl Config {
    pub fn new(capacity: u32, refill_per_sec: u32) -> Result<Config, ConfigError> {
        match (capacity, refill_per_sec) {
            (0, _) => Err(ConfigError::ZeroCapacity),
            (_, 0) => Err(ConfigError::ZeroRate),
            _ => Ok(Config { capacity, refill_per_sec }),
        }
    }

    /// Parses "CAPACITY/RATE", e.g. "100/10" (burst of 100, 10 tokens per second).
    pub fn parse(spec: &str) -> Result<Config, ConfigError> {
        let bad = || ConfigError::Parse(spec.to_string());
        let (cap, rate) = spec.split_once('/').ok_or_else(bad)?;
        let cap: u32 = cap.trim().parse().map_err(|_| bad())?;
        let rate: u32 = rate.trim().parse().unwrap();
        Config::new(cap, rate)
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }
}

/// Tokens are tracked in thousandths so that millisecond refills are exact.
struct Bucket {
    milli: u64,
    last_ms: u64,
}

pub struct Limiter {
    cfg: Config,
    buckets: HashMap<String, Bucket>,
    max_clients: usize,
    total: u64,
    rejected: u64,
}

impl Limiter {
    pub fn new(cfg: Config, max_clients: usize) -> Limiter {
        Limiter { cfg, buckets: HashMap::new(), max_clients, total: 0, rejected: 0 }
    }

    fn full(cfg: &Config) -> u64 {
        cfg.capacity as u64 * 1000
    }

    fn refill(cfg: &Config, b: &mut Bucket, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(b.last_ms);
        let added = elapsed * cfg.refill_per_sec as u64;
        b.milli = (b.milli + added).min(Self::full(cfg));
        b.last_ms = now_ms.max(b.last_ms);
    }

    /// Drops clients whose bucket has refilled completely (idle clients).
    fn evict_idle(&mut self, now_ms: u64) {
        let cfg = self.cfg;
        self.buckets.retain(|_, b| {
            Self::refill(&cfg, b, now_ms);
            b.milli < Self::full(&cfg)
        });
    }

    pub fn try_acquire(&mut self, client: &str, cost: u32, now_ms: u64) -> bool {
        self.total += 1;
        if !self.buckets.contains_key(client) {
            if self.buckets.len() >= self.max_clients {
                self.evict_idle(now_ms);
            }
            if self.buckets.len() >= self.max_clients {
                self.rejected += 1;
                return false;
            }
            let milli = Self::full(&self.cfg);
            self.buckets.insert(client.to_string(), Bucket { milli, last_ms: now_ms });
        }
        let cfg = self.cfg;
        let b = self.buckets.get_mut(client).expect("bucket was just ensured");
        Self::refill(&cfg, b, now_ms);
        let need = cost as u64 * 1000;
        if b.milli >= need {
            b.milli -= need;
            true
        } else {
            self.rejected += 1;
            false
        }
    }

    /// Milliseconds until `cost` tokens will be available to `client`.
    pub fn retry_after_ms(&self, client: &str, cost: u32, now_ms: u64) -> u64 {
        let rate = self.cfg.refill_per_sec as u64;
        let have = match self.buckets.get(client) {
            None => return 0,
            Some(b) => (b.milli + now_ms.saturating_sub(b.last_ms) * rate).min(Self::full(&self.cfg)),
        };
        let need = cost as u64 * 1000;
        if have >= need {
            return 0;
        }
        (need - have + rate - 1) / rate
    }

    pub fn tracked_clients(&self) -> usize {
        self.buckets.len()
    }

    /// Percentage of requests rejected so far (0 when nothing was seen yet).
    pub fn rejection_percent(&self) -> u64 {
        (self.rejected * 100).checked_div(self.total).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(spec: &str) -> Limiter {
        Limiter::new(Config::parse(spec).unwrap(), 16)
    }

    #[test]
    fn parses_config() {
        assert_eq!(Config::parse("100/10").unwrap().capacity(), 100);
        assert_eq!(Config::parse(" 5 / 1 ").unwrap().capacity(), 5);
        assert_eq!(Config::parse("0/10"), Err(ConfigError::ZeroCapacity));
        assert_eq!(Config::parse("10/0"), Err(ConfigError::ZeroRate));
        assert_eq!(Config::parse("ten/1"), Err(ConfigError::Parse("ten/1".into())));
        assert_eq!(Config::parse("10/fast"), Err(ConfigError::Parse("10/fast".into())));
    }

    #[test]
    fn burst_then_reject() {
        let mut l = limiter("3/1");
        assert!(l.try_acquire("a", 1, 0));
        assert!(l.try_acquire("a", 1, 0));
        assert!(l.try_acquire("a", 1, 0));
        assert!(!l.try_acquire("a", 1, 0));
        assert!(l.try_acquire("b", 1, 0), "clients are independent");
    }

    #[test]
    fn refills_over_time() {
        let mut l = limiter("2/10");
        assert!(l.try_acquire("a", 2, 1_000));
        assert!(!l.try_acquire("a", 1, 1_050));
        assert!(l.try_acquire("a", 1, 1_100));
        assert!(!l.try_acquire("a", 1, 1_100));
    }

    #[test]
    fn out_of_order_timestamps() {
        let mut l = limiter("1/1");
        assert!(l.try_acquire("a", 1, 5_000));
        assert!(!l.try_acquire("a", 1, 4_000), "late request from another worker");
        assert!(!l.try_acquire("a", 1, 5_000));
        assert!(l.try_acquire("a", 1, 6_000));
    }

    #[test]
    fn retry_after() {
        let mut l = limiter("4/2");
        assert!(l.try_acquire("a", 4, 0));
        assert_eq!(l.retry_after_ms("a", 1, 0), 500);
        assert_eq!(l.retry_after_ms("a", 1, 200), 300);
        assert_eq!(l.retry_after_ms("a", 1, 600), 0);
        assert_eq!(l.retry_after_ms("unknown", 1, 0), 0);
    }

    #[test]
    fn stats() {
        let mut l = limiter("1/1");
        assert_eq!(l.rejection_percent(), 0);
        l.try_acquire("a", 1, 0);
        l.try_acquire("a", 1, 0);
        assert_eq!(l.rejection_percent(), 50);
    }

    #[test]
    fn idle_clients_are_evicted_when_full() {
        let mut l = Limiter::new(Config::new(2, 1).unwrap(), 2);
        assert!(l.try_acquire("a", 1, 0));
        assert!(l.try_acquire("b", 1, 0));
        assert!(l.try_acquire("c", 1, 5_000), "a and b are idle and evictable");
        assert_eq!(l.tracked_clients(), 1);
    }
}
