use ratelimit::*;

#[test]
fn config_parsing_never_panics() {
    for bad in ["", "/", "10", "10/", "/10", "-1/5", "5/-1", "a/b", "99999999999/1", "1/2/3"] {
        match Config::parse(bad) {
            Err(ConfigError::Parse(s)) => assert_eq!(s, bad),
            other => panic!("{bad:?} -> {other:?}"),
        }
    }
    assert_eq!(Config::parse("0/0"), Err(ConfigError::ZeroCapacity));
    assert_eq!(Config::new(1, 0), Err(ConfigError::ZeroRate));
    assert_eq!(Config::new(0, 1), Err(ConfigError::ZeroCapacity));
    assert_eq!(Config::parse("4294967295/1").unwrap().capacity(), u32::MAX);
}

#[test]
fn steady_state_rate() {
    let mut l = Limiter::new(Config::parse("5/20").unwrap(), 8);
    let mut allowed = 0;
    for t in (0..10_000).step_by(10) {
        if l.try_acquire("c", 1, t) {
            allowed += 1;
        }
    }
    // burst of 5 plus 20/s for ~10 s
    assert!((200..=206).contains(&allowed), "allowed {allowed}");
}

#[test]
fn bucket_is_capped() {
    let mut l = Limiter::new(Config::parse("3/1000").unwrap(), 8);
    assert!(l.try_acquire("x", 1, 0));
    // a long idle period must not bank more than the capacity
    for _ in 0..3 {
        assert!(l.try_acquire("x", 1, 1_000_000));
    }
    assert!(!l.try_acquire("x", 1, 1_000_000));
    assert!(!l.try_acquire("x", 4, 2_000_000));
}

#[test]
fn stale_timestamps_do_not_mint_tokens() {
    let mut l = Limiter::new(Config::parse("2/1").unwrap(), 8);
    assert!(l.try_acquire("a", 2, 10_000));
    assert!(!l.try_acquire("a", 1, 9_000));
    assert!(!l.try_acquire("a", 1, 9_500));
    assert!(!l.try_acquire("a", 1, 10_000));
    assert!(!l.try_acquire("a", 1, 10_999));
    assert!(l.try_acquire("a", 1, 11_000));
}

#[test]
fn retry_after_rounds_up_and_uses_cost() {
    let mut l = Limiter::new(Config::parse("10/3").unwrap(), 8);
    assert!(l.try_acquire("a", 10, 0));
    assert_eq!(l.retry_after_ms("a", 1, 0), 334);
    assert_eq!(l.retry_after_ms("a", 3, 0), 1000);
    assert_eq!(l.retry_after_ms("a", 3, 999), 1);
    assert_eq!(l.retry_after_ms("a", 3, 1000), 0);
    assert_eq!(l.retry_after_ms("a", 10, 1000), 2334);
    // at most the capacity is ever counted as available
    assert_eq!(l.retry_after_ms("a", 10, 100_000), 0);
}

#[test]
fn eviction_keeps_active_clients() {
    let mut l = Limiter::new(Config::new(4, 1).unwrap(), 3);
    assert!(l.try_acquire("busy", 4, 0));
    assert!(l.try_acquire("idle1", 1, 0));
    assert!(l.try_acquire("idle2", 1, 0));
    // at t=2000 idle1/idle2 have refilled, busy has not
    assert!(l.try_acquire("new", 1, 2_000));
    assert_eq!(l.tracked_clients(), 2);
    assert!(!l.try_acquire("busy", 3, 2_000), "busy keeps its drained bucket");
    // table full of active clients: newcomers are refused, not tracked
    let mut l = Limiter::new(Config::new(1, 1).unwrap(), 2);
    assert!(l.try_acquire("a", 1, 0));
    assert!(l.try_acquire("b", 1, 0));
    assert!(!l.try_acquire("c", 1, 10));
    assert_eq!(l.tracked_clients(), 2);
}

#[test]
fn rejection_stats() {
    let l = Limiter::new(Config::new(1, 1).unwrap(), 1);
    assert_eq!(l.rejection_percent(), 0);
    let mut l = Limiter::new(Config::new(1, 1).unwrap(), 1);
    for _ in 0..4 {
        l.try_acquire("a", 1, 0);
    }
    assert_eq!(l.rejection_percent(), 75);
}
