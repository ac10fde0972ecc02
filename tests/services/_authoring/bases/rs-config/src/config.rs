//! Configuration service: `key = value` settings with typed reads and sections.

use std::collections::BTreeMap;

/// Settings the service starts with (what it would read from its config file).
const DEFAULTS: &str = "\
# service defaults
server.port = 8080
server.host = 127.0.0.1
log.level = info
cache.ttl_s = 300
feature.search = true
";

pub struct Config {
    values: BTreeMap<String, String>,
}

impl Config {
    pub fn new() -> Self {
        Config::from_text(DEFAULTS).expect("built-in defaults parse")
    }

    pub fn from_text(text: &str) -> Result<Self, String> {
        let mut values = BTreeMap::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| format!("line {}: expected key = value", number + 1))?;
            values.insert(key.trim().to_string(), value.trim().to_string());
        }
        Ok(Config { values })
    }

    pub fn handle(&mut self, line: &str) -> String {
        let parts: Vec<&str> = line.splitn(3, ' ').collect();
        match parts.as_slice() {
            ["GET", key] => match self.values.get(*key) {
                Some(value) => format!("VALUE {value}"),
                None => "UNKNOWN".to_string(),
            },
            ["GETINT", key] => self.get_int(key),
            ["SET", key, value] => {
                self.values.insert(key.to_string(), value.trim().to_string());
                "OK".to_string()
            }
            ["SECTION", prefix] => self.section(prefix),
            ["DUMP"] => {
                let pairs: Vec<String> = self.values.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("DUMP {}", pairs.join(";"))
            }
            _ => "ERR usage: GET key | GETINT key | SET key value | SECTION prefix | DUMP".to_string(),
        }
    }

    fn get_int(&self, key: &str) -> String {
        let Some(value) = self.values.get(key) else {
            return "UNKNOWN".to_string();
        };
        match value.parse::<i64>() {
            Ok(number) => format!("INT {number}"),
            Err(_) => format!("ERR {key} is not an integer"),
        }
    }

    /// The keys under `prefix.`, with the prefix removed.
    fn section(&self, prefix: &str) -> String {
        let dotted = format!("{prefix}.");
        let keys: Vec<&str> = self
            .values
            .keys()
            .filter(|key| key.starts_with(&dotted))
            .map(|key| &key[dotted.len()..])
            .collect();
        format!("SECTION {prefix} {}", keys.join(" ")).trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn defaults_are_loaded() {
        assert_eq!(Config::new().handle("GET server.host"), "VALUE 127.0.0.1");
    }

    #[test]
    fn typed_integer_read() {
        assert_eq!(Config::new().handle("GETINT cache.ttl_s"), "INT 300");
        assert_eq!(Config::new().handle("GETINT cache.size"), "UNKNOWN");
    }

    #[test]
    fn set_then_get() {
        let mut config = Config::new();
        assert_eq!(config.handle("SET log.format json lines"), "OK");
        assert_eq!(config.handle("GET log.format"), "VALUE json lines");
    }

    #[test]
    fn malformed_text_is_rejected() {
        assert_eq!(Config::from_text("a = 1\nnonsense\n").err().unwrap(), "line 2: expected key = value");
    }

    #[test]
    fn dump_is_sorted() {
        let config = Config::from_text("b = 2\na = 1\n").unwrap().handle("DUMP");
        assert_eq!(config, "DUMP a=1;b=2");
    }
}
