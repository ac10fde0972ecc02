use iniconf::*;
use std::sync::mpsc;
use std::time::Duration;

fn parse_with_timeout(text: &'static str) -> Result<Config, IniError> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Config::parse(text));
    });
    rx.recv_timeout(Duration::from_secs(5)).expect("Config::parse hung")
}

#[test]
fn full_document() {
    let c = parse_with_timeout(
        "top = 1\n\n  [ alpha ]  \nk1=v1\n k2 =  spaced value  \nk3 = a=b\n[beta]\n# c\n;c\nx=\n[alpha]\nk1 = override\n",
    )
    .unwrap();
    assert_eq!(c.sections(), vec!["", "alpha", "beta"]);
    assert_eq!(c.get("", "top"), Some("1"));
    assert_eq!(c.get("alpha", "k1"), Some("override"));
    assert_eq!(c.get("alpha", "k2"), Some("spaced value"));
    assert_eq!(c.get("alpha", "k3"), Some("a=b"));
    assert_eq!(c.get("beta", "x"), Some(""));
    assert_eq!(c.get("gamma", "x"), None);
    assert_eq!(c.get("", "k1"), None);
    let empty = parse_with_timeout("").unwrap();
    assert!(empty.sections().is_empty());
    assert_eq!(empty.get("", "a"), None);
    assert_eq!(empty.get_duration("any", "thing"), Ok(None));
}

#[test]
fn errors_with_line_numbers() {
    assert_eq!(parse_with_timeout("a=1\n\n[s]\n= nokey\n").unwrap_err(), IniError::Syntax(4));
    assert_eq!(parse_with_timeout("[  ]\n").unwrap_err(), IniError::BadSection(1));
    assert_eq!(parse_with_timeout("x]\n").unwrap_err(), IniError::Syntax(1));
    assert_eq!(parse_with_timeout("]\n").unwrap_err(), IniError::Syntax(1));
    assert_eq!(parse_with_timeout("[\n").unwrap_err(), IniError::Syntax(1));
    assert_eq!(parse_with_timeout("[a] b\n").unwrap_err(), IniError::Syntax(1));
}

#[test]
fn continuations() {
    let c = parse_with_timeout("[s]\na = 1 \\\n 2 \\\n 3\nb = x\\").unwrap();
    assert_eq!(c.get("s", "a"), Some("1 2 3"));
    assert_eq!(c.get("s", "b"), Some("x"));
    let c = parse_with_timeout("k = v \\\n").unwrap();
    assert_eq!(c.get("", "k"), Some("v"));
    let c = parse_with_timeout("k = \\\\").unwrap();
    assert_eq!(c.get("", "k"), Some("\\"));
}

#[test]
fn durations() {
    let ok = [
        ("0", Duration::ZERO),
        ("15", Duration::from_secs(15)),
        ("15s", Duration::from_secs(15)),
        ("1500ms", Duration::from_millis(1500)),
        (" 3 m ", Duration::from_secs(180)),
        ("7d", Duration::from_secs(604_800)),
        ("18446744073709551615s", Duration::from_secs(u64::MAX)),
        ("213503982334601d", Duration::from_secs(213_503_982_334_601 * 86_400)),
    ];
    for (s, d) in ok {
        assert_eq!(parse_duration(s), Ok(d), "{s:?}");
    }
    for s in ["", "s", "-5s", "1.5h", "5 minutes", "10x", "213503982334602d", "5124095576030432h", "18446744073709551616"] {
        assert_eq!(parse_duration(s), Err(IniError::BadDuration(s.to_string())), "{s:?}");
    }
    let c = parse_with_timeout("[t]\nbad = forever\n").unwrap();
    assert_eq!(c.get_duration("t", "bad"), Err(IniError::BadDuration("forever".into())));
}
