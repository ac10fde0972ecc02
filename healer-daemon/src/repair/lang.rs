//! Per-language declarative knowledge.
//!
//! The synthesis core and the localizer are language independent: everything
//! they need to know about a language (its grammar, which node kinds play
//! which role, how a guard or a fallback is spelled) lives in one
//! [`LangSpec`] table per language. Adding a language means adding a table,
//! not touching the templates.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language the engine can repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Rust,
    C,
    Javascript,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::Python,
        Language::Rust,
        Language::C,
        Language::Javascript,
    ];

    pub fn spec(self) -> &'static LangSpec {
        match self {
            Language::Python => &PYTHON,
            Language::Rust => &RUST,
            Language::C => &C,
            Language::Javascript => &JAVASCRIPT,
        }
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The language a source path belongs to, by extension.
    pub fn of_path(path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?;
        Language::ALL
            .into_iter()
            .find(|l| l.spec().extensions.contains(&ext))
    }

    pub fn ts_language(self) -> tree_sitter::Language {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::Rust => tree_sitter_rust::LANGUAGE.into(),
            Language::C => tree_sitter_c::LANGUAGE.into(),
            Language::Javascript => tree_sitter_javascript::LANGUAGE.into(),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "python" | "py" => Ok(Language::Python),
            "rust" | "rs" => Ok(Language::Rust),
            "c" => Ok(Language::C),
            "javascript" | "js" | "node" => Ok(Language::Javascript),
            other => Err(format!(
                "unknown language `{other}` (expected python, rust, c or javascript)"
            )),
        }
    }
}

/// How a language spells the pieces templates write.
#[derive(Debug)]
pub struct LangSpec {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
    /// Marker files that identify a project of this language.
    pub project_markers: &'static [&'static str],
    pub function_kinds: &'static [&'static str],
    pub if_kinds: &'static [&'static str],
    pub loop_kinds: &'static [&'static str],
    pub return_kind: &'static str,
    pub call_kinds: &'static [&'static str],
    /// Binary operations (arithmetic, comparison, boolean).
    pub binary_kinds: &'static [&'static str],
    pub subscript_kinds: &'static [&'static str],
    /// Member access `a.b` (or `a->b`); the object is the first named child.
    pub member_kinds: &'static [&'static str],
    pub identifier_kinds: &'static [&'static str],
    pub number_kinds: &'static [&'static str],
    /// Node kinds that are statements in a block (where guards can be inserted before).
    pub statement_kinds: &'static [&'static str],
    /// Unary negation (`not x`, `!x`).
    pub not_kinds: &'static [&'static str],
    /// Local variable introductions: (kind, field holding the name).
    pub declaration_kinds: &'static [&'static str],
    pub null_literal: &'static str,
    pub logical_and: &'static str,
    pub logical_or: &'static str,
    pub not_prefix: &'static str,
    /// Guard: `{cond}` and `{body}` are substituted; `{indent}` is the statement's indentation.
    pub guard: &'static str,
    /// `{x}` is null/None/undefined.
    pub is_null: &'static str,
    /// `{x}` is not null/None/undefined.
    pub is_not_null: &'static str,
    /// `{x}` is zero.
    pub is_zero: &'static str,
    /// Index `{i}` is outside `{seq}`.
    pub out_of_bounds: Option<&'static str>,
    /// Conditional expression: `{cond}`, `{then}`, `{else}`.
    pub ternary: &'static str,
    pub return_stmt: &'static str,
    pub return_void: &'static str,
    pub skip_stmt: &'static str,
    /// Exception handling around a statement; `{stmt}`, `{fallback}`, `{indent}`, `{exc}`.
    pub try_catch: Option<&'static str>,
    /// Raise a handled error with `{msg}`.
    pub raise_error: Option<&'static str>,
    /// Values a function may fall back to, most generic first.
    pub neutral_values: &'static [&'static str],
    pub comment_prefix: &'static str,
    pub one_indent: &'static str,
    /// Path fragments that mark test code.
    pub test_path_markers: &'static [&'static str],
    /// Commonly confused APIs: (used name, intended name). Method or function
    /// names only; the template swaps the callee's last identifier.
    pub api_swaps: &'static [(&'static str, &'static str)],
}

pub static PYTHON: LangSpec = LangSpec {
    name: "python",
    extensions: &["py"],
    project_markers: &["setup.py", "pyproject.toml", "requirements.txt"],
    function_kinds: &["function_definition"],
    if_kinds: &["if_statement", "elif_clause"],
    loop_kinds: &["while_statement", "for_statement"],
    return_kind: "return_statement",
    call_kinds: &["call"],
    binary_kinds: &["binary_operator", "comparison_operator", "boolean_operator"],
    subscript_kinds: &["subscript"],
    member_kinds: &["attribute"],
    identifier_kinds: &["identifier"],
    number_kinds: &["integer", "float"],
    statement_kinds: &[
        "expression_statement",
        "return_statement",
        "if_statement",
        "for_statement",
        "while_statement",
        "raise_statement",
        "assert_statement",
        "try_statement",
        "with_statement",
    ],
    not_kinds: &["not_operator"],
    declaration_kinds: &[],
    null_literal: "None",
    logical_and: "and",
    logical_or: "or",
    not_prefix: "not ",
    guard: "if {cond}:\n{indent}    {body}\n{indent}",
    is_null: "{x} is None",
    is_not_null: "{x} is not None",
    is_zero: "{x} == 0",
    out_of_bounds: Some("not (-len({seq}) <= {i} < len({seq}))"),
    ternary: "({then} if {cond} else {else})",
    return_stmt: "return {v}",
    return_void: "return",
    skip_stmt: "continue",
    try_catch: Some("try:\n{indent}    {stmt}\n{indent}except {exc}:\n{indent}    {fallback}"),
    raise_error: Some("raise ValueError({msg})"),
    neutral_values: &["None", "0", "[]", "{}", "\"\"", "False", "0.0"],
    comment_prefix: "#",
    one_indent: "    ",
    test_path_markers: &["test_", "_test.py", "/tests/", "tests/", "/test/"],
    api_swaps: &[
        ("lstrip", "removeprefix"),
        ("rstrip", "removesuffix"),
        ("match", "search"),
        ("search", "match"),
        ("fullmatch", "match"),
        ("sort", "sorted"),
        ("append", "extend"),
        ("extend", "append"),
        ("find", "index"),
        ("get", "setdefault"),
        ("pop", "get"),
        ("startswith", "endswith"),
        ("endswith", "startswith"),
        ("min", "max"),
        ("max", "min"),
        ("floor", "ceil"),
        ("ceil", "floor"),
    ],
};

pub static JAVASCRIPT: LangSpec = LangSpec {
    name: "javascript",
    extensions: &["js", "mjs", "cjs"],
    project_markers: &["package.json"],
    function_kinds: &[
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
    ],
    if_kinds: &["if_statement"],
    loop_kinds: &[
        "while_statement",
        "for_statement",
        "for_in_statement",
        "do_statement",
    ],
    return_kind: "return_statement",
    call_kinds: &["call_expression"],
    binary_kinds: &["binary_expression"],
    subscript_kinds: &["subscript_expression"],
    member_kinds: &["member_expression"],
    identifier_kinds: &["identifier", "shorthand_property_identifier"],
    number_kinds: &["number"],
    statement_kinds: &[
        "expression_statement",
        "return_statement",
        "if_statement",
        "for_statement",
        "for_in_statement",
        "while_statement",
        "throw_statement",
        "lexical_declaration",
        "variable_declaration",
        "try_statement",
    ],
    not_kinds: &["unary_expression"],
    declaration_kinds: &["variable_declarator"],
    null_literal: "null",
    logical_and: "&&",
    logical_or: "||",
    not_prefix: "!",
    guard: "if ({cond}) {\n{indent}  {body}\n{indent}}\n{indent}",
    is_null: "{x} == null",
    is_not_null: "{x} != null",
    is_zero: "{x} === 0",
    out_of_bounds: Some("{i} < 0 || {i} >= {seq}.length"),
    ternary: "({cond} ? {then} : {else})",
    return_stmt: "return {v};",
    return_void: "return;",
    skip_stmt: "continue;",
    try_catch: Some(
        "try {\n{indent}  {stmt}\n{indent}} catch (err) {\n{indent}  {fallback}\n{indent}}",
    ),
    raise_error: Some("throw new Error({msg});"),
    neutral_values: &["null", "undefined", "0", "[]", "{}", "''", "false"],
    comment_prefix: "//",
    one_indent: "  ",
    test_path_markers: &[
        ".test.",
        ".spec.",
        "/test/",
        "test/",
        "/tests/",
        "tests/",
        "__tests__",
    ],
    api_swaps: &[
        ("replace", "replaceAll"),
        ("substr", "substring"),
        ("push", "concat"),
        ("some", "every"),
        ("every", "some"),
        ("find", "filter"),
        ("indexOf", "lastIndexOf"),
        ("startsWith", "endsWith"),
        ("endsWith", "startsWith"),
        ("min", "max"),
        ("max", "min"),
        ("floor", "ceil"),
        ("ceil", "floor"),
        ("parseInt", "parseFloat"),
    ],
};

pub static C: LangSpec = LangSpec {
    name: "c",
    extensions: &["c", "h"],
    project_markers: &["Makefile", "makefile", "CMakeLists.txt"],
    function_kinds: &["function_definition"],
    if_kinds: &["if_statement"],
    loop_kinds: &["while_statement", "for_statement", "do_statement"],
    return_kind: "return_statement",
    call_kinds: &["call_expression"],
    binary_kinds: &["binary_expression"],
    subscript_kinds: &["subscript_expression"],
    member_kinds: &["field_expression"],
    identifier_kinds: &["identifier"],
    number_kinds: &["number_literal"],
    statement_kinds: &[
        "expression_statement",
        "return_statement",
        "if_statement",
        "for_statement",
        "while_statement",
        "do_statement",
        "declaration",
    ],
    not_kinds: &["unary_expression"],
    declaration_kinds: &["init_declarator"],
    null_literal: "NULL",
    logical_and: "&&",
    logical_or: "||",
    not_prefix: "!",
    guard: "if ({cond}) {\n{indent}    {body}\n{indent}}\n{indent}",
    is_null: "{x} == NULL",
    is_not_null: "{x} != NULL",
    is_zero: "{x} == 0",
    out_of_bounds: None,
    ternary: "({cond} ? {then} : {else})",
    return_stmt: "return {v};",
    return_void: "return;",
    skip_stmt: "continue;",
    try_catch: None,
    raise_error: None,
    neutral_values: &["0", "-1", "NULL", "1"],
    comment_prefix: "//",
    one_indent: "    ",
    test_path_markers: &["test_", "_test.c", "/tests/", "tests/", "/test/", "test/"],
    api_swaps: &[
        ("strcpy", "strncpy"),
        ("strcmp", "strncmp"),
        ("strchr", "strrchr"),
        ("strrchr", "strchr"),
        ("malloc", "calloc"),
    ],
};

pub static RUST: LangSpec = LangSpec {
    name: "rust",
    extensions: &["rs"],
    project_markers: &["Cargo.toml"],
    function_kinds: &["function_item", "closure_expression"],
    if_kinds: &["if_expression"],
    loop_kinds: &["while_expression", "for_expression", "loop_expression"],
    return_kind: "return_expression",
    call_kinds: &["call_expression", "macro_invocation"],
    binary_kinds: &["binary_expression"],
    subscript_kinds: &["index_expression"],
    member_kinds: &["field_expression"],
    identifier_kinds: &["identifier"],
    number_kinds: &["integer_literal", "float_literal"],
    statement_kinds: &["expression_statement", "let_declaration"],
    not_kinds: &["unary_expression"],
    declaration_kinds: &["let_declaration"],
    null_literal: "None",
    logical_and: "&&",
    logical_or: "||",
    not_prefix: "!",
    guard: "if {cond} {\n{indent}    {body}\n{indent}}\n{indent}",
    is_null: "{x}.is_none()",
    is_not_null: "{x}.is_some()",
    is_zero: "{x} == 0",
    out_of_bounds: Some("{i} >= {seq}.len()"),
    ternary: "(if {cond} { {then} } else { {else} })",
    return_stmt: "return {v};",
    return_void: "return;",
    skip_stmt: "continue;",
    try_catch: None,
    raise_error: None,
    neutral_values: &[
        "Default::default()",
        "0",
        "None",
        "Vec::new()",
        "String::new()",
    ],
    comment_prefix: "//",
    one_indent: "    ",
    test_path_markers: &["/tests/", "tests/", "_test.rs"],
    api_swaps: &[
        ("split", "splitn"),
        ("find", "rfind"),
        ("rfind", "find"),
        ("starts_with", "ends_with"),
        ("ends_with", "starts_with"),
        ("min", "max"),
        ("max", "min"),
        ("trim_start", "trim"),
        ("trim_end", "trim"),
        ("wrapping_sub", "saturating_sub"),
    ],
};

/// Replace `{key}` placeholders in a spec pattern.
pub fn fill(pattern: &str, vars: &[(&str, &str)]) -> String {
    let mut out = pattern.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Guess the language of a project: marker files first, then the most common source extension.
pub fn detect(repo: &Path) -> Option<Language> {
    for lang in Language::ALL {
        if lang
            .spec()
            .project_markers
            .iter()
            .any(|m| repo.join(m).exists())
        {
            // A Makefile can drive any language; only trust it when C sources exist.
            if lang == Language::C && count_sources(repo, lang) == 0 {
                continue;
            }
            return Some(lang);
        }
    }
    Language::ALL
        .into_iter()
        .map(|l| (count_sources(repo, l), l))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, l)| l)
}

fn count_sources(repo: &Path, lang: Language) -> usize {
    crate::repair::project::list_files(repo)
        .iter()
        .filter(|p| Language::of_path(p) == Some(lang))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_substitutes_all_placeholders() {
        let s = fill(
            PYTHON.guard,
            &[
                ("cond", "x is None"),
                ("body", "return 0"),
                ("indent", "    "),
            ],
        );
        assert_eq!(s, "if x is None:\n        return 0\n    ");
    }

    #[test]
    fn language_from_path_and_name() {
        assert_eq!(Language::of_path(Path::new("a/b.rs")), Some(Language::Rust));
        assert_eq!(
            Language::of_path(Path::new("x.mjs")),
            Some(Language::Javascript)
        );
        assert_eq!(Language::of_path(Path::new("x.txt")), None);
        assert_eq!("JS".parse::<Language>(), Ok(Language::Javascript));
        assert!("cobol".parse::<Language>().is_err());
    }

    #[test]
    fn every_grammar_loads() {
        for l in Language::ALL {
            let mut p = tree_sitter::Parser::new();
            p.set_language(&l.ts_language())
                .expect("grammar ABI compatible");
        }
    }
}
