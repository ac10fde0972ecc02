//! Reading one TOML file strictly: size limit before reading it all, UTF-8 with the offset of
//! the first bad byte, syntax and schema errors with line, column and key path, and semantic
//! issues mapped back to the span of the key they are about.
use std::{
    io::Read,
    ops::Range,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use super::error::{ConfigError, ErrorKind, Location};

/// One step in a key path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A key path such as `source.build[0]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A semantic problem found after deserializing: which key, and what is wrong with it.
#[derive(Debug)]
pub struct Issue {
    pub path: KeyPath,
    pub message: String,
}

/// Collects semantic issues while validating a deserialized value.
#[derive(Debug, Default)]
pub struct Issues(pub Vec<Issue>);

impl Issues {
    pub fn push(&mut self, path: KeyPath, message: impl Into<String>) {
        self.0.push(Issue {
            path,
            message: message.into(),
        });
    }
}

/// Read `path` but never more than `limit` bytes: the limit is checked while reading, not
/// only on the metadata, so a FIFO, a device or a file that grows cannot make us read
/// without bound.
pub fn read_limited(path: &Path, shown: &Path, limit: u64) -> Result<Vec<u8>, ConfigError> {
    let io = |e| ConfigError::new(shown, ErrorKind::Io(e));
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; it
    // has no effect on regular files, and anything else is refused just below.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ConfigError::new(
            shown,
            ErrorKind::Invalid("not a regular file".into()),
        ));
    }
    if meta.len() > limit {
        return Err(ConfigError::new(shown, ErrorKind::TooLarge { limit }));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut buf).map_err(io)?;
    if buf.len() as u64 > limit {
        return Err(ConfigError::new(shown, ErrorKind::TooLarge { limit }));
    }
    Ok(buf)
}

/// The bytes as UTF-8, or an error naming the byte offset, line and column of the first
/// invalid sequence.
pub fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String, ConfigError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let loc = Location::of_prefix(&e.as_bytes()[..offset]);
        ConfigError::new(shown, ErrorKind::InvalidUtf8 { offset }).at(Some(loc))
    })
}

/// A parsed file: the typed value plus the spanned document, kept to locate semantic issues.
pub struct Parsed<'t, T> {
    pub value: T,
    doc: DeTable<'t>,
    text: &'t str,
    shown: PathBuf,
}

/// Parse `text` into `T`; every error carries line, column and key path.
pub fn parse<'t, T: DeserializeOwned>(
    text: &'t str,
    shown: &Path,
) -> Result<Parsed<'t, T>, ConfigError> {
    let doc = match DeTable::parse(text) {
        Ok(d) => d.into_inner(),
        Err(e) => {
            let loc = e.span().map(|s| Location::of_offset(text, s.start));
            // The parser recovers past the error: what it could read still names the key
            // (for a duplicate key, or a bad value).
            let (partial, _) = DeTable::parse_recoverable(text);
            let mut path = e
                .span()
                .map(|s| path_at(partial.get_ref(), s.start))
                .unwrap_or_default();
            // A duplicate key is dropped from the recovered table; its span is the key itself.
            if path.0.is_empty()
                && e.message().contains("duplicate key")
                && let Some(raw) = e.span().and_then(|s| text.get(s))
            {
                path = path.key(raw.trim());
            }
            return Err(
                ConfigError::new(shown, ErrorKind::Syntax(e.message().trim().to_string()))
                    .at(loc)
                    .key(path.to_string()),
            );
        }
    };
    match toml::from_str::<T>(text) {
        Ok(value) => Ok(Parsed {
            value,
            doc,
            text,
            shown: shown.to_path_buf(),
        }),
        Err(e) => {
            let span = e.span();
            let loc = span.as_ref().map(|s| Location::of_offset(text, s.start));
            // A missing key has no span of its own: serde points at the table that lacks it.
            if let Some(field) = missing_field(e.message()) {
                let table = span
                    .map(|s| table_with_span(&doc, &s).unwrap_or_default())
                    .unwrap_or_default();
                return Err(ConfigError::new(
                    shown,
                    ErrorKind::Schema("required key is missing".into()),
                )
                .at(loc)
                .key(table.key(field).to_string()));
            }
            let path = span.map(|s| path_at(&doc, s.start)).unwrap_or_default();
            Err(
                ConfigError::new(shown, ErrorKind::Schema(humanize(e.message())))
                    .at(loc)
                    .key(path.to_string()),
            )
        }
    }
}

impl<T> Parsed<'_, T> {
    /// Turn semantic issues into located errors.
    pub fn errors(&self, issues: Issues) -> Vec<ConfigError> {
        let mut errors: Vec<ConfigError> = issues
            .0
            .into_iter()
            .map(|i| {
                let loc =
                    span_of(&self.doc, &i.path.0).map(|s| Location::of_offset(self.text, s.start));
                ConfigError::new(&self.shown, ErrorKind::Invalid(i.message))
                    .at(loc)
                    .key(i.path.to_string())
            })
            .collect();
        // In file order, as an operator fixes them.
        errors.sort_by_key(|e| e.location.map(|l| (l.line, l.column)));
        errors
    }

    /// Location of a key (for errors found outside the value's own validation, like
    /// duplicate units).
    pub fn location_of(&self, path: &KeyPath) -> Option<Location> {
        span_of(&self.doc, &path.0).map(|s| Location::of_offset(self.text, s.start))
    }
}

fn missing_field(msg: &str) -> Option<&str> {
    msg.trim()
        .strip_prefix("missing field `")?
        .strip_suffix('`')
}

/// Path of the table whose span is `span` (the root when none matches: serde reports a
/// missing top-level key with the whole document's span).
fn table_with_span(doc: &DeTable<'_>, span: &Range<usize>) -> Option<KeyPath> {
    fn walk(t: &DeTable<'_>, span: &Range<usize>, path: &mut KeyPath) -> bool {
        for (k, v) in t.iter() {
            path.0.push(Seg::Key(k.get_ref().to_string()));
            match v.get_ref() {
                DeValue::Table(inner) => {
                    if v.span() == *span || walk(inner, span, path) {
                        return true;
                    }
                }
                DeValue::Array(a) => {
                    for (i, item) in a.iter().enumerate() {
                        if let DeValue::Table(inner) = item.get_ref() {
                            path.0.push(Seg::Index(i));
                            if item.span() == *span || walk(inner, span, path) {
                                return true;
                            }
                            path.0.pop();
                        }
                    }
                }
                _ => {}
            }
            path.0.pop();
        }
        false
    }
    let mut path = KeyPath::default();
    walk(doc, span, &mut path).then_some(path)
}

/// The deepest key path whose key or value span contains `offset`. serde errors carry only a
/// span; the path is what the operator needs to find the setting.
fn path_at(doc: &DeTable<'_>, offset: usize) -> KeyPath {
    fn walk_value(v: &DeValue<'_>, offset: usize, path: &mut KeyPath) {
        match v {
            DeValue::Table(t) => walk_table(t, offset, path),
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    if contains(&item.span(), offset) {
                        path.0.push(Seg::Index(i));
                        walk_value(item.get_ref(), offset, path);
                        return;
                    }
                }
                // An array of tables (`[[x]]`) has no single span around its items; search them.
                for (i, item) in a.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        let before = path.0.len();
                        path.0.push(Seg::Index(i));
                        walk_table(t, offset, path);
                        if path.0.len() > before + 1 {
                            return;
                        }
                        path.0.truncate(before);
                    }
                }
            }
            _ => {}
        }
    }
    fn walk_table(t: &DeTable<'_>, offset: usize, path: &mut KeyPath) {
        for (k, v) in t.iter() {
            if contains(&k.span(), offset) || contains(&v.span(), offset) {
                path.0.push(Seg::Key(k.get_ref().to_string()));
                walk_value(v.get_ref(), offset, path);
                return;
            }
        }
        // Headers (`[watch]`) make a table's span the header only; look inside anyway.
        for (k, v) in t.iter() {
            if let DeValue::Table(_) | DeValue::Array(_) = v.get_ref() {
                let before = path.0.len();
                path.0.push(Seg::Key(k.get_ref().to_string()));
                walk_value(v.get_ref(), offset, path);
                if path.0.len() > before + 1 {
                    return;
                }
                path.0.truncate(before);
            }
        }
    }
    let mut path = KeyPath::default();
    walk_table(doc, offset, &mut path);
    path
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

/// Span of the value at `path` (or of its nearest existing ancestor key, for a missing key).
fn span_of(doc: &DeTable<'_>, path: &[Seg]) -> Option<Range<usize>> {
    let mut table = doc;
    let mut best = None;
    let mut i = 0;
    while i < path.len() {
        let Seg::Key(k) = &path[i] else { return best };
        let (key, value) = table.iter().find(|(key, _)| key.get_ref() == k)?;
        best = Some(value.span())
            .filter(|s| !s.is_empty())
            .or(Some(key.span()));
        let mut v = value;
        i += 1;
        while let Some(Seg::Index(n)) = path.get(i) {
            match v.get_ref() {
                DeValue::Array(a) if *n < a.len() => {
                    v = &a[*n];
                    best = Some(v.span());
                    i += 1;
                }
                _ => return best,
            }
        }
        match v.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return best,
        }
    }
    best
}

/// Restate serde's messages as "expected …, found …", the form the docs promise.
fn humanize(msg: &str) -> String {
    let msg = msg.trim();
    let ticks = |s: &str| s.replace('`', "");
    if let Some(rest) = msg.strip_prefix("unknown variant `")
        && let Some((found, expected)) = rest.split_once("`, expected ")
    {
        return format!("expected {}, found \"{found}\"", ticks(expected));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some((_, expected)) = rest.split_once("`, expected ")
    {
        let expected = expected.strip_prefix("one of ").unwrap_or(expected);
        return format!("unknown key; expected one of {}", ticks(expected));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && rest.contains("there are no fields")
    {
        return "unknown key; this table takes no keys".into();
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return format!("missing required key `{}`", rest.trim_end_matches('`'));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("expected {expected}, found {found}");
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("expected {expected}, found {found}");
    }
    msg.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_are_found_from_spans() {
        let text = "a = 1\n[watch]\ncrashes = true\n[watch.p99]\nread = 5\n";
        let doc = DeTable::parse(text).unwrap().into_inner();
        let off = text.find("read").unwrap();
        assert_eq!(path_at(&doc, off).to_string(), "watch.p99.read");
        let off = text.find("true").unwrap();
        assert_eq!(path_at(&doc, off).to_string(), "watch.crashes");
        let p = KeyPath::default().key("watch").key("p99").key("read");
        let span = span_of(&doc, &p.0).unwrap();
        assert_eq!(&text[span], "5");
    }

    #[test]
    fn array_items_have_paths() {
        let text = "build = [\"make\", \"\"]\n";
        let doc = DeTable::parse(text).unwrap().into_inner();
        let p = KeyPath::default().key("build").index(1);
        assert_eq!(p.to_string(), "build[1]");
        let span = span_of(&doc, &p.0).unwrap();
        assert_eq!(&text[span], "\"\"");
        assert_eq!(path_at(&doc, text.find("\"\"").unwrap()), p);
    }

    #[test]
    fn syntax_errors_name_the_key_where_they_can() {
        let e = parse::<toml::Table>("a = 1\n[w]\nx = 12..5\n", Path::new("f.toml"))
            .err()
            .unwrap();
        assert!(matches!(e.kind, ErrorKind::Syntax(_)));
        assert_eq!(e.key.as_deref(), Some("w.x"));
        assert_eq!(e.location, Some(Location { line: 3, column: 8 }));
        let e = parse::<toml::Table>("a = 1\na = 2\n", Path::new("f.toml"))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "f.toml:2:1: key `a`: TOML syntax error: duplicate key"
        );
    }

    /// Every truncation of a real policy (with non-ASCII text in it) parses or fails with a
    /// located error; none panics. Truncation is what a half-written file looks like.
    #[test]
    fn every_truncation_of_a_policy_fails_cleanly() {
        let full = include_str!("../../../config/services.d/web.toml")
            .replace("# A Python web service", "# Ünïcödé — a Python web service");
        let mut failures = 0;
        for end in (0..=full.len()).filter(|&i| full.is_char_boundary(i)) {
            let text = &full[..end];
            match parse::<super::super::Policy>(text, Path::new("t.toml")) {
                Ok(p) => {
                    let mut issues = Issues::default();
                    p.value.validate(&mut issues);
                    for e in p.errors(issues) {
                        assert!(e.location.is_some(), "{e} for prefix {end}");
                    }
                }
                Err(e) => {
                    failures += 1;
                    let l = e.location.unwrap_or_else(|| panic!("{e}: no location"));
                    assert!(l.line <= text.lines().count().max(1) + 1, "{e}");
                }
            }
        }
        assert!(failures > 100, "only {failures} truncations failed");
    }

    #[test]
    fn serde_messages_are_restated() {
        assert_eq!(
            humanize("unknown variant `fast`, expected one of `observe`, `propose`, `auto`"),
            "expected one of observe, propose, auto, found \"fast\""
        );
        assert_eq!(
            humanize("invalid type: string \"x\", expected u32"),
            "expected u32, found string \"x\""
        );
        assert_eq!(
            humanize("missing field `unit`"),
            "missing required key `unit`"
        );
    }

    #[test]
    fn invalid_utf8_names_offset_line_and_column() {
        let bytes = b"unit = \"a.service\"\nx = \"\xff\"\n".to_vec();
        let e = decode(bytes, Path::new("p.toml")).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::InvalidUtf8 { offset: 24 }));
        assert_eq!(e.location, Some(Location { line: 2, column: 6 }));
    }
}
