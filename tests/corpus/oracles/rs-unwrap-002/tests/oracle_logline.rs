use logline::*;

#[test]
fn timestamp_against_day_count() {
    // walk every day of 1999..=2025 and compare with a running day counter
    let mut expected_days = 10_592u64; // 1999-01-01
    for year in 1999u32..=2025 {
        for month in 1u32..=12 {
            let dim = match month {
                2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            for day in 1..=dim {
                let s = format!("{year:04}-{month:02}-{day:02}T01:02:03Z");
                assert_eq!(parse_timestamp(&s), Ok(expected_days * 86_400 + 3723), "{s}");
                expected_days += 1;
            }
            for day in [dim + 1, 32, 0] {
                let s = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
                assert!(parse_timestamp(&s).is_err(), "{s} should be rejected");
            }
        }
    }
    assert!(parse_timestamp("1900-02-29T00:00:00Z").is_err());
    assert!(parse_timestamp("2100-02-29T00:00:00Z").is_err());
}

#[test]
fn timestamp_rejects_garbage_without_panicking() {
    for s in [
        "", "2", "2024", "2024-03-01", "2024-03-01T12:00:05", "2024-03-01T12:00:05Z ", "2024-03-01T24:00:00Z",
        "2024-03-01T23:60:00Z", "2024-03-01T23:00:60Z", "2024-00-10T00:00:00Z", "1969-12-31T23:59:59Z",
        "2024-03-01X12:00:05Z", "+024-03-01T12:00:05Z", "2024-3-01T12:00:05Zx", "2024-03-01T12:00:0éZ",
        "é024-03-01T12:00:05Z", "2024-03-01T12:00:05ZZZZ",
    ] {
        assert!(matches!(parse_timestamp(s), Err(LogError::BadTimestamp(ref t)) if t == s), "{s:?}");
    }
}

#[test]
fn tokenizer_edge_cases() {
    assert_eq!(tokenize_fields(""), Ok(vec![]));
    assert_eq!(tokenize_fields("   "), Ok(vec![]));
    assert_eq!(tokenize_fields("k="), Ok(vec![("k".into(), "".into())]));
    assert_eq!(tokenize_fields(r#"k="""#), Ok(vec![("k".into(), "".into())]));
    assert_eq!(tokenize_fields("a=1   b=2"), Ok(vec![("a".into(), "1".into()), ("b".into(), "2".into())]));
    assert_eq!(tokenize_fields(r#"a="\\" b=x"#), Ok(vec![("a".into(), "\\".into()), ("b".into(), "x".into())]));
    assert_eq!(tokenize_fields(r#"u="zürich \"hq\"""#), Ok(vec![("u".into(), "zürich \"hq\"".into())]));
    assert_eq!(tokenize_fields("a=1 =2"), Err(LogError::BadField(4)));
    assert_eq!(tokenize_fields("a=1 b"), Err(LogError::BadField(4)));
    assert_eq!(tokenize_fields(r#"a="x\"#), Err(LogError::UnterminatedQuote));
    assert_eq!(tokenize_fields("a=\"\\"), Err(LogError::UnterminatedQuote));
    assert_eq!(tokenize_fields("eq=a=b"), Ok(vec![("eq".into(), "a=b".into())]));
}

#[test]
fn lines() {
    let r = parse_line("2024-03-01T12:00:05Z WARNING [db.pool] waited_ms=120 reason=\"pool exhausted\"\n").unwrap();
    assert_eq!(r.level, Level::Warn);
    assert_eq!(r.component, "db.pool");
    assert_eq!(r.field("reason"), Some("pool exhausted"));
    assert_eq!(r.field("waited_ms"), Some("120"));
    let r = parse_line("2024-03-01T12:00:05Z ERROR [api]").unwrap();
    assert!(r.fields.is_empty());
    for lvl in ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] {
        let r = parse_line(&format!("2024-03-01T12:00:05Z {lvl} [x] a=b c=d e=f")).unwrap();
        assert_eq!(r.fields.len(), 3);
        assert_eq!(r.field("e"), Some("f"));
    }
    for lvl in ["info", "", "FATAL", "Error"] {
        assert_eq!(
            parse_line(&format!("2024-03-01T12:00:05Z {lvl} [x] a=b")),
            Err(LogError::BadLevel(lvl.to_string())),
            "{lvl:?}"
        );
    }
    assert_eq!(parse_line("2024-03-01T12:00:05Z INFO"), Err(LogError::BadComponent));
    assert_eq!(parse_line("2024-03-01T12:00:05Z INFO [] a=1"), Err(LogError::BadComponent));
    assert!(Level::Error > Level::Warn && Level::Warn > Level::Info);
}
