//! Parser for structured service log lines:
//! `2024-03-01T12:00:05Z INFO [auth] user=alice latency_ms=35 msg="login ok"`

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

#[derive(Debug, PartialEq, Eq)]
pub enum LogError {
    BadTimestamp(String),
    BadLevel(String),
    BadComponent,
    BadField(usize),
    UnterminatedQuote,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Record {
    pub ts: u64,
    pub level: Level,
    pub component: String,
    pub fields: Vec<(String, String)>,
}

impl Record {
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

pub fn parse_level(s: &str) -> Option<Level> {
    match s {
        "TRACE" => Some(Level::Trace),
        "DEBUG" => Some(Level::Debug),
        "INFO" => Some(Level::Info),
        "WARN" | "WARNING" => Some(Level::Warn),
        "ERROR" => Some(Level::Error),
        _ => None,
    }
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 && year % 400 == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` into seconds since the Unix epoch.
pub fn parse_timestamp(s: &str) -> Result<u64, LogError> {
    let bad = || LogError::BadTimestamp(s.to_string());
    let b = s.as_bytes();
    if b.len() != 20 || !s.is_ascii() || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return Err(bad());
    }
    if b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, LogError> {
        let part = &s[r];
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if year < 1970 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(bad());
    }
    if hour > 23 || min > 59 || sec > 59 {
        return Err(bad());
    }
    let days = days_from_civil(year as i64, month, day) as u64;
    Ok(days * 86_400 + (hour * 3600 + min * 60 + sec) as u64)
}

/// Splits `key=value key2="quoted \"value\""` into pairs.
pub fn tokenize_fields(s: &str) -> Result<Vec<(String, String)>, LogError> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let kstart = i;
        while i < b.len() && b[i] != b'=' && b[i] != b' ' {
            i += 1;
        }
        if i == b.len() || b[i] != b'=' || i == kstart {
            return Err(LogError::BadField(kstart));
        }
        let key = s[kstart..i].to_string();
        i += 1;
        let mut value = Vec::new();
        if i < b.len() && b[i] == b'"' {
            i += 1;
            loop {
                match b.get(i) {
                    None => return Err(LogError::UnterminatedQuote),
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(b'\\') if i + 1 < b.len() => {
                        value.push(b[i + 1]);
                        i += 2;
                    }
                    Some(&c) => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < b.len() && b[i] != b' ' {
                value.push(b[i]);
                i += 1;
            }
        }
        let value = String::from_utf8(value).map_err(|_| LogError::BadField(kstart))?;
        out.push((key, value));
    }
    Ok(out)
}

pub fn parse_line(line: &str) -> Result<Record, LogError> {
    let mut parts = line.trim_end().splitn(4, ' ');
    let ts = parse_timestamp(parts.next().unwrap_or(""))?;
    let lvl = parts.next().unwrap_or("");
    let level = parse_level(lvl).ok_or_else(|| LogError::BadLevel(lvl.to_string()))?;
    let component = parts
        .next()
        .and_then(|c| c.strip_prefix('['))
        .and_then(|c| c.strip_suffix(']'))
        .filter(|c| !c.is_empty())
        .ok_or(LogError::BadComponent)?;
    let fields = tokenize_fields(parts.next().unwrap_or(""))?;
    Ok(Record { ts, level, component: component.to_string(), fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_line() {
        let r = parse_line(r#"2024-03-01T12:00:05Z INFO [auth] user=alice latency_ms=35 msg="login ok""#).unwrap();
        assert_eq!(r.ts, 1_709_294_405);
        assert_eq!(r.level, Level::Info);
        assert_eq!(r.component, "auth");
        assert_eq!(r.field("user"), Some("alice"));
        assert_eq!(r.field("msg"), Some("login ok"));
        assert_eq!(r.fields.len(), 3);
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_timestamp("2000-02-29T00:00:00Z"), Ok(951_782_400));
        assert_eq!(parse_timestamp("2024-02-29T23:59:59Z"), Ok(1_709_251_199));
        assert!(parse_timestamp("2023-02-29T00:00:00Z").is_err());
        assert!(parse_timestamp("2024-04-31T00:00:00Z").is_err());
        assert!(parse_timestamp("2024-13-01T00:00:00Z").is_err());
        assert!(parse_timestamp("2024-03-01 12:00:05").is_err());
        assert!(parse_timestamp("yesterday").is_err());
    }

    #[test]
    fn quoted_values_and_escapes() {
        let f = tokenize_fields(r#"a="x \"y\" z" b=2"#).unwrap();
        assert_eq!(f, vec![("a".into(), r#"x "y" z"#.into()), ("b".into(), "2".into())]);
        assert_eq!(tokenize_fields(r#"a="open"#), Err(LogError::UnterminatedQuote));
        assert_eq!(tokenize_fields(r#"path="C:\dir\"#), Err(LogError::UnterminatedQuote));
        assert_eq!(tokenize_fields("novalue"), Err(LogError::BadField(0)));
    }

    #[test]
    fn bad_lines_are_errors() {
        assert_eq!(
            parse_line("2024-03-01T12:00:05Z LOUD [auth] x=1"),
            Err(LogError::BadLevel("LOUD".into()))
        );
        assert_eq!(parse_line("2024-03-01T12:00:05Z INFO auth x=1"), Err(LogError::BadComponent));
        assert!(matches!(parse_line(""), Err(LogError::BadTimestamp(_))));
    }
}
