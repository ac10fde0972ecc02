//! Configuration errors. Every error an operator sees names the file, and where the file
//! could be read and parsed, the line and column, the key path and what was expected:
//! `services.d/web.toml:7:8: key `mode`: expected one of observe, propose, auto, found "fast"`.
use std::{fmt, io, path::PathBuf};

/// 1-based line and column (columns count characters, not bytes, so they match what an
/// editor shows for non-ASCII text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// Line and column of byte `offset` in `text`. Offsets inside a multi-byte character or
    /// past the end are clamped to the nearest character boundary before them.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        Self::of_prefix(&text.as_bytes()[..offset])
    }

    /// Line and column just after `prefix`, which may end in the middle of a character (used
    /// for invalid UTF-8, where only the bytes before the bad sequence are known to be valid).
    pub fn of_prefix(prefix: &[u8]) -> Self {
        let line_start = prefix
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
        // Count characters, not bytes: continuation bytes (0b10xx_xxxx) are not new characters.
        let column = prefix[line_start..]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        Self { line, column }
    }
}

/// What went wrong, without where.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("config directory does not exist")]
    MissingDir,
    #[error("required file is missing")]
    MissingFile,
    #[error("cannot read: {0}")]
    Io(#[source] io::Error),
    #[error("file is larger than the limit of {limit} bytes (limits.max_policy_bytes); not parsed")]
    TooLarge { limit: u64 },
    #[error("invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 { offset: usize },
    /// The text is not TOML.
    #[error("TOML syntax error: {0}")]
    Syntax(String),
    /// TOML, but not the expected shape: unknown key, wrong type, unknown variant.
    #[error("{0}")]
    Schema(String),
    /// Right shape, wrong value: a relative path, an empty command, a negative threshold.
    #[error("{0}")]
    Invalid(String),
    #[error("unit {unit} is already defined in {}; this file is ignored", first.display())]
    DuplicateUnit { unit: String, first: PathBuf },
}

/// One configuration error: where, and what.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", where_(.file, .location, .key))]
pub struct ConfigError {
    /// The file as the operator knows it: relative to the config directory where possible.
    pub file: PathBuf,
    pub location: Option<Location>,
    /// Dotted key path (`watch.syscall_p99_ms.read`, `source.build[0]`).
    pub key: Option<String>,
    #[source]
    pub kind: ErrorKind,
}

impl ConfigError {
    pub fn new(file: impl Into<PathBuf>, kind: ErrorKind) -> Self {
        Self {
            file: file.into(),
            location: None,
            key: None,
            kind,
        }
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        let key = key.into();
        self.key = (!key.is_empty()).then_some(key);
        self
    }
}

fn where_<'a>(
    file: &'a PathBuf,
    location: &'a Option<Location>,
    key: &'a Option<String>,
) -> Where<'a> {
    Where {
        file,
        location,
        key: key.as_deref(),
    }
}

struct Where<'a> {
    file: &'a PathBuf,
    location: &'a Option<Location>,
    key: Option<&'a str>,
}

impl fmt::Display for Where<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.location {
            write!(f, ":{}:{}", l.line, l.column)?;
        }
        if let Some(k) = self.key {
            write!(f, ": key `{k}`")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(
            Location::of_offset(text, 0),
            Location { line: 1, column: 1 }
        );
        // `=` on line 2 is after `b`, `é` (2 bytes) and a space: column 4, byte offset 10.
        assert_eq!(
            Location::of_offset(text, 10),
            Location { line: 2, column: 4 }
        );
        // Inside `é`: clamped back to its start.
        assert_eq!(
            Location::of_offset(text, 8),
            Location { line: 2, column: 2 }
        );
    }

    #[test]
    fn display_names_file_line_column_and_key() {
        let e = ConfigError::new(
            "services.d/web.toml",
            ErrorKind::Schema("expected one of observe, propose, auto, found \"fast\"".into()),
        )
        .at(Some(Location { line: 7, column: 8 }))
        .key("mode");
        assert_eq!(
            e.to_string(),
            "services.d/web.toml:7:8: key `mode`: expected one of observe, propose, auto, found \"fast\""
        );
        let e = ConfigError::new("healer.toml", ErrorKind::MissingFile);
        assert_eq!(e.to_string(), "healer.toml: required file is missing");
    }
}
