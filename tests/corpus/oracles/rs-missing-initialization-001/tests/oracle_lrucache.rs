use lrucache::LruCache;
use std::sync::mpsc;
use std::time::Duration;

/// Reference model: Vec ordered from most to least recently used.
struct Model {
    cap: usize,
    items: Vec<(String, u32)>,
}

impl Model {
    fn get(&mut self, k: &str) -> Option<u32> {
        let pos = self.items.iter().position(|(key, _)| key == k)?;
        let it = self.items.remove(pos);
        let v = it.1;
        self.items.insert(0, it);
        Some(v)
    }
    fn put(&mut self, k: &str, v: u32) -> Option<(String, u32)> {
        if let Some(pos) = self.items.iter().position(|(key, _)| key == k) {
            self.items.remove(pos);
            self.items.insert(0, (k.to_string(), v));
            return None;
        }
        let ev = if self.items.len() >= self.cap { self.items.pop() } else { None };
        self.items.insert(0, (k.to_string(), v));
        ev
    }
}

fn run_model(cap: usize, steps: usize, seed: u64) {
    let mut c = LruCache::new(cap);
    let mut m = Model { cap, items: Vec::new() };
    let mut s = seed;
    for step in 0..steps {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let key = format!("k{}", (s >> 33) % (cap as u64 * 2 + 1));
        if (s >> 20) % 3 == 0 {
            assert_eq!(c.get(&key).copied(), m.get(&key), "step {step} get {key}");
        } else {
            assert_eq!(c.put(&key, step as u32), m.put(&key, step as u32), "step {step} put {key}");
        }
        if step % 8 == 0 {
            c.clear();
            m.items.clear();
        }
        assert_eq!(c.len(), m.items.len());
        let keys: Vec<&str> = m.items.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(c.keys_mru(), keys, "step {step}");
    }
}

#[test]
fn matches_reference_model() {
    for cap in 1..6 {
        run_model(cap, 600, cap as u64 * 7919);
    }
}

#[test]
fn capacity_one() {
    let mut c = LruCache::new(1);
    assert_eq!(c.put("a", 1), None);
    assert_eq!(c.put("a", 2), None);
    assert_eq!(c.put("b", 3), Some(("a".to_string(), 2)));
    assert_eq!(c.get("a"), None);
    assert_eq!(c.get("b"), Some(&3));
    assert_eq!(c.len(), 1);
}

#[test]
fn ranks_for_every_position() {
    let mut c = LruCache::new(8);
    for (i, k) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        c.put(k, i);
    }
    c.get("c");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let ranks: Vec<Option<usize>> = ["c", "f", "e", "d", "b", "a", "zz"].iter().map(|k| c.rank(k)).collect();
        let _ = tx.send(ranks);
    });
    let ranks = rx.recv_timeout(Duration::from_secs(5)).expect("rank() hung");
    assert_eq!(ranks, vec![Some(0), Some(1), Some(2), Some(3), Some(4), Some(5), None]);
}

#[test]
fn hit_rate_stats() {
    let mut c: LruCache<()> = LruCache::new(2);
    assert_eq!(c.hit_rate_percent(), 0);
    c.get("nothing");
    assert_eq!(c.hit_rate_percent(), 0);
    c.put("x", ());
    c.get("x");
    c.get("x");
    assert_eq!(c.hit_rate_percent(), 66);
    let _ = c.peek("x");
    assert_eq!(c.hit_rate_percent(), 66);
}

#[test]
fn eviction_returns_values_in_lru_order() {
    let mut c = LruCache::new(3);
    for i in 0..3u32 {
        c.put(&format!("k{i}"), i);
    }
    c.get("k0");
    let ev: Vec<String> = (3..6u32).filter_map(|i| c.put(&format!("k{i}"), i)).map(|(k, _)| k).collect();
    assert_eq!(ev, vec!["k1", "k2", "k0"]);
    assert_eq!(c.keys_mru(), vec!["k5", "k4", "k3"]);
    for gone in ["k0", "k1", "k2"] {
        assert_eq!(c.peek(gone), None, "{gone}");
    }
}
