//! INI-style configuration loader for the worker daemon.
//!
//! Supports `[section]` headers, `key = value` pairs, `#`/`;` comments and
//! backslash line continuations. Keys before the first header live in the
//! global section `""`.

use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, PartialEq, Eq)]
pub enum IniError {
    Syntax(usize),
    BadSection(usize),
    BadDuration(String),
}

#[derive(Debug, Default)]
pub struct Config {
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, IniError> {
        let mut cfg = Config::default();
        let mut section = String::new();
        let mut lines = text.lines().enumerate();
        while let Some((idx, raw)) = lines.next() {
            let lineno = idx + 1;
            let mut cur = raw.trim().to_string();
            while let Some(stripped) = cur.strip_suffix('\\') {
                let stripped = stripped.to_string();
                match lines.next() {
                    Some((_, next)) => cur = format!("{stripped}{}", next.trim()),
                    None => {
                        cur = stripped;
                        break;
                    }
                }
            }
            if cur.is_empty() || cur.starts_with('#') || cur.starts_with(';') {
                continue;
            }
            if cur.starts_with('[') && cur.ends_with(']') {
                let name = cur[1..cur.len() - 1].trim();
                if name.is_empty() {
                    return Err(IniError::BadSection(lineno));
                }
                section = name.to_string();
                cfg.sections.entry(section.clone()).or_default();
                continue;
            }
            let (key, value) = cur.split_once('=').ok_or(IniError::Syntax(lineno))?;
            let key = key.trim();
            if key.is_empty() {
                return Err(IniError::Syntax(lineno));
            }
            cfg.sections
                .entry(section.clone())
                .or_default()
                .insert(key.to_string(), value.trim().to_string());
        }
        Ok(cfg)
    }

    pub fn sections(&self) -> Vec<&str> {
        self.sections.keys().map(|s| s.as_str()).collect()
    }

    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.sections.get(section)?.get(key).map(|v| v.as_str())
    }

    pub fn get_duration(&self, section: &str, key: &str) -> Result<Option<Duration>, IniError> {
        self.get(section, key).map(parse_duration).transpose()
    }
}

/// Parses `250ms`, `30s`, `30`, `5m`, `2h` or `7d`.
pub fn parse_duration(s: &str) -> Result<Duration, IniError> {
    let bad = || IniError::BadDuration(s.to_string());
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| bad())?;
    let mult = match unit.trim() {
        "ms" => return Ok(Duration::from_millis(n)),
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let secs = n * mult;
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# worker configuration
name = ingest-1

[http]
listen = 0.0.0.0:8080
timeout = 30s

[queue]
; backlog settings
max_len = 10000
flush = 250ms
";

    #[test]
    fn parses_sections_and_keys() {
        let c = Config::parse(SAMPLE).unwrap();
        assert_eq!(c.sections(), vec!["", "http", "queue"]);
        assert_eq!(c.get("", "name"), Some("ingest-1"));
        assert_eq!(c.get("http", "listen"), Some("0.0.0.0:8080"));
        assert_eq!(c.get("queue", "max_len"), Some("10000"));
        assert_eq!(c.get("queue", "missing"), None);
    }

    #[test]
    fn missing_section_is_none() {
        let c = Config::parse(SAMPLE).unwrap();
        assert_eq!(c.get("tls", "cert"), None);
        assert_eq!(c.get_duration("tls", "timeout"), Ok(None));
    }

    #[test]
    fn durations() {
        let c = Config::parse(SAMPLE).unwrap();
        assert_eq!(c.get_duration("http", "timeout"), Ok(Some(Duration::from_secs(30))));
        assert_eq!(c.get_duration("queue", "flush"), Ok(Some(Duration::from_millis(250))));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("soon"), Err(IniError::BadDuration("soon".into())));
        assert_eq!(parse_duration("3w"), Err(IniError::BadDuration("3w".into())));
    }

    #[test]
    fn huge_duration_is_an_error() {
        assert_eq!(
            parse_duration("999999999999999999d"),
            Err(IniError::BadDuration("999999999999999999d".into()))
        );
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(Config::parse("[ok]\njust words\n").unwrap_err(), IniError::Syntax(2));
        assert_eq!(Config::parse("[]\n").unwrap_err(), IniError::BadSection(1));
        assert_eq!(Config::parse("a = 1\n[broken\n").unwrap_err(), IniError::Syntax(2));
    }

    #[test]
    fn continuation_lines() {
        let text = "[cmd]\nargs = --verbose \\\n  --retries=3\ntail = end \\";
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(Config::parse(text));
        });
        let c = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("parse timed out")
            .unwrap();
        assert_eq!(c.get("cmd", "args"), Some("--verbose --retries=3"));
        assert_eq!(c.get("cmd", "tail"), Some("end"));
    }
}
