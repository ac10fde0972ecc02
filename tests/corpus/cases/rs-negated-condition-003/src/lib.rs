//! Fixed-capacity LRU cache (string keys) backed by an index-linked list.

use std::collections::HashMap;

const NIL: usize = usize::MAX;

struct Node<V> {
    key: String,
    value: V,
    prev: usize,
    next: usize,
}

pub struct LruCache<V> {
    cap: usize,
    map: HashMap<String, usize>,
    nodes: Vec<Node<V>>,
    head: usize, // most recently used
    tail: usize, // least recently used
    hits: u64,
    misses: u64,
}

impl<V> LruCache<V> {
    pub fn new(cap: usize) -> Self {
        assert!(cap > 0, "capacity must be positive");
        LruCache { cap, map: HashMap::new(), nodes: Vec::new(), head: NIL, tail: NIL, hits: 0, misses: 0 }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn unlink(&mut self, i: usize) {
        let (p, n) = (self.nodes[i].prev, self.nodes[i].next);
        if p == NIL {
            self.nodes[p].next = n;
        } else {
            self.head = n;
        }
        if n != NIL {
            self.nodes[n].prev = p;
        } else {
            self.tail = p;
        }
    }

    fn push_front(&mut self, i: usize) {
        self.nodes[i].prev = NIL;
        self.nodes[i].next = self.head;
        if self.head != NIL {
            self.nodes[self.head].prev = i;
        }
        self.head = i;
        if self.tail == NIL {
            self.tail = i;
        }
    }

    pub fn get(&mut self, key: &str) -> Option<&V> {
        match self.map.get(key).copied() {
            Some(i) => {
                self.hits += 1;
                self.unlink(i);
                self.push_front(i);
                Some(&self.nodes[i].value)
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }

    /// Looks up without touching recency or statistics.
    pub fn peek(&self, key: &str) -> Option<&V> {
        self.map.get(key).map(|&i| &self.nodes[i].value)
    }

    /// Inserts or updates `key`; returns the evicted entry, if any.
    pub fn put(&mut self, key: &str, value: V) -> Option<(String, V)> {
        if let Some(&i) = self.map.get(key) {
            self.nodes[i].value = value;
            self.unlink(i);
            self.push_front(i);
            return None;
        }
        if self.map.len() >= self.cap {
            let t = self.tail;
            self.unlink(t);
            let old_key = std::mem::replace(&mut self.nodes[t].key, key.to_string());
            let old_value = std::mem::replace(&mut self.nodes[t].value, value);
            self.map.remove(&old_key);
            self.map.insert(key.to_string(), t);
            self.push_front(t);
            return Some((old_key, old_value));
        }
        let i = self.nodes.len();
        self.nodes.push(Node { key: key.to_string(), value, prev: NIL, next: NIL });
        self.map.insert(key.to_string(), i);
        self.push_front(i);
        None
    }

    /// Position of `key` in recency order (0 = most recently used).
    pub fn rank(&self, key: &str) -> Option<usize> {
        let target = *self.map.get(key)?;
        let mut i = self.head;
        let mut r = 0;
        while i != NIL {
            if i == target {
                return Some(r);
            }
            r += 1;
            i = self.nodes[i].next;
        }
        None
    }

    pub fn keys_mru(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.len());
        let mut i = self.head;
        for _ in 0..self.len() {
            out.push(self.nodes[i].key.as_str());
            i = self.nodes[i].next;
        }
        out
    }

    pub fn clear(&mut self) {
        self.map.clear();
        self.nodes.clear();
        (self.head, self.tail) = (NIL, NIL);
    }

    /// Percentage of `get` calls that hit (0 before any lookup).
    pub fn hit_rate_percent(&self) -> u64 {
        (self.hits * 100).checked_div(self.hits + self.misses).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_and_get() {
        let mut c = LruCache::new(2);
        assert!(c.put("a", 1).is_none());
        assert!(c.put("b", 2).is_none());
        assert_eq!(c.get("a"), Some(&1));
        assert_eq!(c.get("zzz"), None);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn evicts_least_recently_used() {
        let mut c = LruCache::new(2);
        c.put("a", 1);
        c.put("b", 2);
        c.get("a");
        assert_eq!(c.put("c", 3), Some(("b".to_string(), 2)));
        assert_eq!(c.peek("b"), None);
        assert_eq!(c.len(), 2);
        assert_eq!(c.keys_mru(), vec!["c", "a"]);
    }

    #[test]
    fn update_moves_to_front() {
        let mut c = LruCache::new(3);
        c.put("a", 1);
        c.put("b", 2);
        c.put("c", 3);
        c.put("a", 10);
        assert_eq!(c.keys_mru(), vec!["a", "c", "b"]);
        assert_eq!(c.peek("a"), Some(&10));
    }

    #[test]
    fn rank_reports_recency() {
        let mut c = LruCache::new(4);
        for k in ["w", "x", "y", "z"] {
            c.put(k, 0);
        }
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send((c.rank("z"), c.rank("x"), c.rank("w"), c.rank("q")));
        });
        let got = rx.recv_timeout(std::time::Duration::from_secs(5)).expect("rank() timed out");
        assert_eq!(got, (Some(0), Some(2), Some(3), None));
    }

    #[test]
    fn clear_then_reuse() {
        let mut c = LruCache::new(2);
        c.put("a", 1);
        c.put("b", 2);
        c.put("c", 3);
        c.clear();
        assert!(c.is_empty());
        c.put("x", 1);
        c.put("y", 2);
        c.put("z", 3);
        assert_eq!(c.peek("x"), None);
        assert_eq!(c.peek("y"), Some(&2));
    }

    #[test]
    fn hit_rate() {
        let mut c: LruCache<u8> = LruCache::new(1);
        assert_eq!(c.hit_rate_percent(), 0);
        c.put("a", 1);
        c.get("a");
        c.get("b");
        assert_eq!(c.hit_rate_percent(), 50);
    }
}
