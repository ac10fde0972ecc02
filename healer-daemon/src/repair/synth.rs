//! Candidate synthesis: repair templates over tree-sitter syntax trees.
//!
//! One core for every language: templates look nodes up by role through the
//! language's [`LangSpec`] table and write code through its patterns. A
//! template yields [`Candidate`]s (one text edit each) with a prior; the
//! engine orders them by prior × site rank × change size.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use tree_sitter::{Node, Tree};

use super::lang::{LangSpec, Language, fill};
use super::localize::Site;
use super::project::{Project, error_count, parse_text, walk};

/// One contiguous replacement in one file (byte offsets into the original text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Candidate {
    pub file: PathBuf,
    pub edit: Edit,
    pub template: String,
    pub description: String,
    /// Template prior in (0, 1]: how likely this kind of fix is for this evidence.
    pub prior: f64,
    /// 0-based rank of the localized site it was generated for.
    pub site_rank: usize,
    /// Final ordering score (prior × site decay × size penalty).
    pub score: f64,
}

impl Candidate {
    pub fn apply(&self, original: &str) -> String {
        let mut s = String::with_capacity(original.len() + self.edit.text.len());
        s.push_str(&original[..self.edit.start]);
        s.push_str(&self.edit.text);
        s.push_str(&original[self.edit.end..]);
        s
    }
}

/// What a template sees: one localized site in one parsed file.
pub struct SiteContext<'a> {
    pub language: Language,
    pub spec: &'static LangSpec,
    pub src: &'a str,
    pub tree: &'a Tree,
    pub site: &'a Site,
    /// Error kinds and messages of the evidence (lowercased).
    pub messages: &'a str,
    /// Names called anywhere in the project (every file, tests included).
    pub project_calls: &'a HashSet<String>,
}

/// A repair template: a general code transformation, never a case-specific patch.
pub trait Template: Send + Sync {
    fn name(&self) -> &'static str;
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>);
}

/// A template's raw output before the engine scores it.
pub struct Proposal {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub description: String,
    pub prior: f64,
}

const BLOCK_KINDS: &[&str] = &[
    "block",
    "statement_block",
    "compound_statement",
    "module",
    "program",
    "source_file",
    "translation_unit",
    "switch_body",
];

impl<'a> SiteContext<'a> {
    pub fn text(&self, n: Node) -> &'a str {
        &self.src[n.start_byte()..n.end_byte()]
    }

    /// Named nodes starting inside the site's line range.
    pub fn nodes(&self) -> Vec<Node<'a>> {
        let (lo, hi) = (self.site.start_line - 1, self.site.end_line - 1);
        let mut out = Vec::new();
        walk(self.tree.root_node(), &mut |n| {
            let r = n.start_position().row as u32;
            if r >= lo && r <= hi {
                out.push(n);
            }
        });
        out
    }

    pub fn nodes_of(&self, kinds: &[&str]) -> Vec<Node<'a>> {
        self.nodes()
            .into_iter()
            .filter(|n| kinds.contains(&n.kind()))
            .collect()
    }

    pub fn mentions(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.messages.contains(w))
    }

    /// The statement (direct child of a block) that contains `n`.
    pub fn statement_of(&self, n: Node<'a>) -> Option<Node<'a>> {
        let mut cur = n;
        loop {
            let parent = cur.parent()?;
            if BLOCK_KINDS.contains(&parent.kind()) {
                return Some(cur);
            }
            if self.spec.function_kinds.contains(&parent.kind()) {
                // Expression-bodied arrow functions / closures: no statement to guard.
                return None;
            }
            cur = parent;
        }
    }

    pub fn function_of(&self, n: Node<'a>) -> Option<Node<'a>> {
        let mut cur = n.parent();
        while let Some(c) = cur {
            if self.spec.function_kinds.contains(&c.kind()) {
                return Some(c);
            }
            cur = c.parent();
        }
        None
    }

    pub fn in_loop(&self, n: Node<'a>) -> bool {
        let mut cur = n.parent();
        while let Some(c) = cur {
            if self.spec.loop_kinds.contains(&c.kind()) {
                return true;
            }
            if self.spec.function_kinds.contains(&c.kind()) {
                return false;
            }
            cur = c.parent();
        }
        false
    }

    /// Leading whitespace of the line where `n` starts.
    pub fn indent_of(&self, n: Node) -> String {
        let line_start = self.src[..n.start_byte()].rfind('\n').map_or(0, |i| i + 1);
        self.src[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    }

    /// Ways out of the enclosing function that respect its contract:
    /// the statement bodies a guard may use, most fitting first.
    pub fn exits(&self, n: Node<'a>) -> Vec<(String, String)> {
        let spec = self.spec;
        let mut out: Vec<(String, String)> = Vec::new();
        let mut push = |body: String, why: String| {
            if !out.iter().any(|(b, _)| *b == body) {
                out.push((body, why));
            }
        };
        if self.in_loop(n) {
            push(spec.skip_stmt.to_string(), "skip this element".into());
        }
        let Some(func) = self.function_of(n) else {
            return out;
        };
        // A parameter meant as the fallback (`default`, `fallback`) is the
        // function's own answer for the bad case.
        // C keeps the parameter list on the function declarator.
        let params = func.child_by_field_name("parameters").or_else(|| {
            let mut d = func.child_by_field_name("declarator")?;
            loop {
                if let Some(p) = d.child_by_field_name("parameters") {
                    return Some(p);
                }
                d = d.child_by_field_name("declarator")?;
            }
        });
        if let Some(params) = params {
            walk(params, &mut |p| {
                if self.spec.identifier_kinds.contains(&p.kind()) {
                    let name = self.text(p);
                    let lname = name.to_lowercase();
                    if lname.contains("default")
                        || lname.contains("fallback")
                        || matches!(lname.as_str(), "def" | "dflt" | "dfl")
                    {
                        push(
                            fill(spec.return_stmt, &[("v", name)]),
                            format!("return the caller's fallback `{name}`"),
                        );
                    }
                }
            });
        }
        let values = self.neutral_values(func);
        if values.is_empty() {
            push(spec.return_void.to_string(), "return early".into());
        }
        for v in values {
            push(
                fill(spec.return_stmt, &[("v", &v)]),
                format!("return the neutral value `{v}`"),
            );
        }
        if let Some(raise) = spec.raise_error {
            let raises = {
                let mut found = false;
                walk(func, &mut |c| {
                    found |= matches!(c.kind(), "raise_statement" | "throw_statement")
                });
                found
            };
            let body = fill(raise, &[("msg", "\"invalid input\"")]);
            let why = if raises {
                "raise a handled error, as the function already does elsewhere"
            } else {
                "raise a handled error"
            };
            push(body, why.into());
        }
        out
    }

    /// Neutral values matching the function's declared or observed return type.
    pub fn neutral_values(&self, func: Node<'a>) -> Vec<String> {
        let mut vals: Vec<String> = Vec::new();
        let mut add = |v: &str| {
            if !vals.iter().any(|x| x == v) {
                vals.push(v.to_string());
            }
        };
        match self.language {
            Language::Rust => {
                let rt = func
                    .child_by_field_name("return_type")
                    .map(|t| self.text(t).to_string());
                match rt.as_deref() {
                    None => return Vec::new(),
                    Some(t) if t.starts_with("Option") => add("None"),
                    Some(t) if t.starts_with("Result") => {
                        add("Err(Default::default())");
                        add("Ok(Default::default())");
                    }
                    Some("bool") => add("false"),
                    Some(t) if t.starts_with("Vec") => add("Vec::new()"),
                    Some("String") => add("String::new()"),
                    Some(t) if t.starts_with('f') => add("0.0"),
                    Some(t) if t.starts_with('i') || t.starts_with('u') => {
                        add("0");
                        if t.starts_with('i') {
                            add("-1");
                        }
                    }
                    _ => add("Default::default()"),
                }
            }
            Language::C => {
                let ty = func
                    .child_by_field_name("type")
                    .map(|t| self.text(t).to_string())
                    .unwrap_or_default();
                let pointer = func
                    .child_by_field_name("declarator")
                    .is_some_and(|d| d.kind() == "pointer_declarator");
                if pointer {
                    add("NULL");
                } else if ty == "void" {
                    return Vec::new();
                } else if ty.contains("double") || ty.contains("float") {
                    add("0.0");
                } else if ty == "bool" || ty == "_Bool" {
                    add("false");
                } else {
                    add("0");
                    add("-1");
                }
            }
            Language::Python | Language::Javascript => {
                // Observed contract: what the function's own returns produce.
                let mut saw_value = false;
                walk(func, &mut |c| {
                    if c.kind() != self.spec.return_kind || self.function_of(c) != Some(func) {
                        return;
                    }
                    let Some(mut v) = c.named_child(0) else {
                        return;
                    };
                    saw_value = true;
                    // `return (f"a" f"b")`: the value is what the parentheses hold.
                    while v.kind() == "parenthesized_expression" {
                        match v.named_child(0) {
                            Some(inner) => v = inner,
                            None => break,
                        }
                    }
                    let neutral = match v.kind() {
                        "list" | "list_comprehension" | "array" => Some("[]"),
                        "dictionary" | "dictionary_comprehension" | "object" => Some("{}"),
                        "string" | "template_string" | "concatenated_string" => {
                            Some(if self.language == Language::Python {
                                "\"\""
                            } else {
                                "''"
                            })
                        }
                        "integer" | "number" => Some("0"),
                        "float" => Some("0.0"),
                        "true" | "false" => Some(if self.language == Language::Python {
                            "False"
                        } else {
                            "false"
                        }),
                        "none" | "null" => Some(self.spec.null_literal),
                        _ => None,
                    };
                    if let Some(n) = neutral {
                        add(n);
                    }
                });
                if !saw_value {
                    return Vec::new();
                }
                for v in self.spec.neutral_values.iter().take(4) {
                    add(v);
                }
            }
        }
        vals
    }
}

/// All built-in templates, in no particular order (priors decide).
pub fn builtin_templates() -> Vec<Box<dyn Template>> {
    vec![
        Box::new(NullGuard),
        Box::new(ZeroDivisionGuard),
        Box::new(BoundsGuard),
        Box::new(OperatorMutation),
        Box::new(OffByOne),
        Box::new(NegateCondition),
        Box::new(ExceptionHandler),
        Box::new(RustUnwrap),
        Box::new(CheckedArithmetic),
        Box::new(MissingInitialization),
        Box::new(InputValidation),
        Box::new(WrongVariable),
        Box::new(SizeofScaling),
        Box::new(ApiSwap),
        Box::new(super::templates_flow::MissingCall),
        Box::new(super::templates_flow::LoopProgress),
        Box::new(super::templates_flow::HoistInitialization),
    ]
}

fn guard(ctx: &SiteContext, stmt: Node, cond: &str, body: &str) -> (usize, usize, String) {
    let indent = ctx.indent_of(stmt);
    let text = fill(
        ctx.spec.guard,
        &[("cond", cond), ("body", body), ("indent", &indent)],
    );
    (stmt.start_byte(), stmt.start_byte(), text)
}

fn is_plain_operand(ctx: &SiteContext, n: Node) -> bool {
    // Only guard side-effect-free expressions: identifiers and member chains.
    ctx.spec.identifier_kinds.contains(&n.kind())
        || (ctx.spec.member_kinds.contains(&n.kind())
            && n.named_child(0).is_some_and(|o| is_plain_operand(ctx, o)))
        || n.kind() == "self"
        || n.kind() == "this"
}

/// Guards against null/None/undefined receivers at the fault site.
pub struct NullGuard;
impl Template for NullGuard {
    fn name(&self) -> &'static str {
        "null-guard"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        if ctx.language == Language::Rust {
            return; // Option is explicit in Rust; see RustUnwrap.
        }
        let nullish = ctx.mentions(&[
            "nonetype",
            "undefined",
            "null",
            "sigsegv",
            "segv",
            "segmentation",
        ]);
        let mut seen = HashSet::new();
        for n in ctx.nodes() {
            let object = if ctx.spec.member_kinds.contains(&n.kind())
                || ctx.spec.subscript_kinds.contains(&n.kind())
            {
                n.child_by_field_name("object")
                    .or_else(|| n.child_by_field_name("value"))
                    .or_else(|| n.child_by_field_name("argument"))
                    .or_else(|| n.named_child(0))
            } else if n.kind() == "pointer_expression" && ctx.text(n).starts_with('*') {
                n.child_by_field_name("argument")
            } else {
                None
            };
            let Some(obj) = object else { continue };
            if !is_plain_operand(ctx, obj) || matches!(ctx.text(obj), "self" | "this") {
                continue;
            }
            let x = ctx.text(obj);
            let Some(stmt) = ctx.statement_of(n) else {
                continue;
            };
            if !seen.insert((x.to_string(), stmt.start_byte())) {
                continue;
            }
            let cond = fill(ctx.spec.is_null, &[("x", x)]);
            // Dereferenced inside an `if` condition: let the missing value take
            // the branch that condition already guards (`x == NULL || cond`).
            if let Some(ifn) = n.parent().and_then(|p| {
                let mut cur = Some(p);
                while let Some(c) = cur {
                    if ctx.spec.if_kinds.contains(&c.kind()) {
                        return Some(c);
                    }
                    if ctx.spec.statement_kinds.contains(&c.kind())
                        || BLOCK_KINDS.contains(&c.kind())
                    {
                        return None;
                    }
                    cur = c.parent();
                }
                None
            }) && let Some(c) = ifn.child_by_field_name("condition")
            {
                let inner = if c.kind() == "parenthesized_expression" {
                    c.named_child(0).unwrap_or(c)
                } else {
                    c
                };
                if inner.start_byte() <= n.start_byte() && n.end_byte() <= inner.end_byte() {
                    out.push(Proposal {
                        start: inner.start_byte(),
                        end: inner.end_byte(),
                        text: format!("{cond} {} {}", ctx.spec.logical_or, ctx.text(inner)),
                        description: format!(
                            "take the guarded branch when `{x}` is {}",
                            ctx.spec.null_literal
                        ),
                        prior: if nullish { 0.92 } else { 0.3 },
                    });
                }
            }
            // Expression-level fallback: the access yields a neutral value when the receiver is missing.
            if ctx.spec.member_kinds.contains(&n.kind()) && !is_call_target(n) {
                let present = fill(ctx.spec.is_not_null, &[("x", x)]);
                for (i, v) in ctx.spec.neutral_values.iter().take(4).enumerate() {
                    out.push(Proposal {
                        start: n.start_byte(),
                        end: n.end_byte(),
                        text: fill(
                            ctx.spec.ternary,
                            &[("cond", &present), ("then", ctx.text(n)), ("else", v)],
                        ),
                        description: format!("use `{v}` when `{x}` is {}", ctx.spec.null_literal),
                        prior: if nullish { 0.85 } else { 0.25 } * 0.97f64.powi(i as i32),
                    });
                }
            }
            for (i, (body, why)) in ctx.exits(n).into_iter().enumerate() {
                let (s, e, t) = guard(ctx, stmt, &cond, &body);
                out.push(Proposal {
                    start: s,
                    end: e,
                    text: t,
                    description: format!("guard `{x}` against {}: {why}", ctx.spec.null_literal),
                    prior: if nullish { 0.9 } else { 0.3 } * 0.97f64.powi(i as i32),
                });
            }
        }
    }
}

/// Is `n` the callee of a call (`x.f(...)`)? Then a value fallback makes no sense.
/// An identifier that names no value of the code around it, so it is never a wrong-variable
/// swap's target or replacement: a definition's own name, a macro's name, a type or
/// constructor position (`Ok` in `let Ok(x) = …`), a path segment, a keyword argument's name.
fn names_no_value(n: Node) -> bool {
    let Some(p) = n.parent() else {
        return false;
    };
    let field_is = |f: &str| p.child_by_field_name(f) == Some(n);
    let kind = p.kind();
    let definition =
        kind.ends_with("_definition") || kind.ends_with("_declaration") || kind.ends_with("_item");
    (field_is("name") && (definition || kind == "keyword_argument"))
        || (kind == "function_declarator" && field_is("declarator"))
        || field_is("macro")
        || field_is("type")
        || matches!(kind, "scoped_identifier" | "scoped_type_identifier")
}

fn is_call_target(n: Node) -> bool {
    n.parent()
        .is_some_and(|p| p.child_by_field_name("function") == Some(n))
}

fn operator_child<'a>(n: Node<'a>, ops: &[&str]) -> Option<Node<'a>> {
    let mut c = n.walk();

    n.children(&mut c)
        .find(|ch| !ch.is_named() && ops.contains(&ch.kind()))
}

/// Guards divisions against a zero divisor.
pub struct ZeroDivisionGuard;
impl Template for ZeroDivisionGuard {
    fn name(&self) -> &'static str {
        "zero-division-guard"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let zero = ctx.mentions(&[
            "zero",
            "division",
            "divide",
            "sigfpe",
            "floating point",
            "nan",
            "infinity",
        ]);
        let prior = if zero { 0.9 } else { 0.25 };
        for n in ctx.nodes_of(ctx.spec.binary_kinds) {
            let Some(op) = operator_child(n, &["/", "//", "%"]) else {
                continue;
            };
            let (Some(left), Some(right)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                continue;
            };
            let d = ctx.text(right);
            let d = if ctx.spec.identifier_kinds.contains(&right.kind())
                || right.kind().contains("call")
                || ctx.spec.member_kinds.contains(&right.kind())
                || right.kind() == "parenthesized_expression"
            {
                d.to_string()
            } else {
                format!("({d})")
            };
            guard_statement_against_zero(ctx, n, &d, prior, out);
            let zero_lit = if ctx.language == Language::Rust && ctx.text(left).contains('.') {
                "0.0"
            } else {
                "0"
            };
            let expr = fill(
                ctx.spec.ternary,
                &[
                    ("cond", &format!("{d} != 0")),
                    (
                        "then",
                        &format!("{} {} {}", ctx.text(left), ctx.text(op), d),
                    ),
                    ("else", zero_lit),
                ],
            );
            out.push(Proposal {
                start: n.start_byte(),
                end: n.end_byte(),
                text: expr,
                description: format!("evaluate to {zero_lit} when the divisor `{d}` is zero"),
                prior: prior * 0.9,
            });
        }
        // Rust macro arguments (`format!("{}", a / b)`, `assert!`, `vec!`) are token trees to
        // tree-sitter, with no expression nodes: a `/` or `%` token followed by a name still
        // names the divisor, and the statement around the macro can be guarded.
        if ctx.language == Language::Rust {
            for tt in ctx.nodes_of(&["token_tree"]) {
                let mut c = tt.walk();
                let tokens: Vec<Node> = tt.children(&mut c).collect();
                for w in tokens.windows(2) {
                    if matches!(w[0].kind(), "/" | "%")
                        && ctx.spec.identifier_kinds.contains(&w[1].kind())
                    {
                        guard_statement_against_zero(ctx, w[0], ctx.text(w[1]), prior, out);
                    }
                }
            }
        }
    }
}

/// Proposals that return (or skip) before the statement holding `division` when `divisor`
/// is zero, one per way out of the enclosing function or loop.
fn guard_statement_against_zero(
    ctx: &SiteContext<'_>,
    division: Node,
    divisor: &str,
    prior: f64,
    out: &mut Vec<Proposal>,
) {
    let Some(stmt) = ctx.statement_of(division) else {
        return;
    };
    let cond = fill(ctx.spec.is_zero, &[("x", divisor)]);
    for (i, (body, why)) in ctx.exits(division).into_iter().enumerate() {
        let (s, e, t) = guard(ctx, stmt, &cond, &body);
        out.push(Proposal {
            start: s,
            end: e,
            text: t,
            description: format!("guard the division by `{divisor}` against zero: {why}"),
            prior: prior * 0.97f64.powi(i as i32),
        });
    }
}

/// Guards subscripts against out-of-range indices.
pub struct BoundsGuard;
impl Template for BoundsGuard {
    fn name(&self) -> &'static str {
        "bounds-guard"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let oob = ctx.mentions(&["index", "range", "bounds", "overflow", "undefined"]);
        for n in ctx.nodes_of(ctx.spec.subscript_kinds) {
            let seq = n
                .child_by_field_name("value")
                .or_else(|| n.child_by_field_name("object"))
                .or_else(|| n.named_child(0));
            let idx = n
                .child_by_field_name("subscript")
                .or_else(|| n.child_by_field_name("index"))
                .or_else(|| n.named_child(1));
            let (Some(seq), Some(idx)) = (seq, idx) else {
                continue;
            };
            if !is_plain_operand(ctx, seq)
                || matches!(
                    idx.kind(),
                    "slice" | "range_expression" | "string" | "string_literal"
                )
            {
                continue;
            }
            let Some(stmt) = ctx.statement_of(n) else {
                continue;
            };
            // The guard re-evaluates the index: strip `i++`/`--i` to `i`, skip calls.
            let idx = if idx.kind() == "update_expression" {
                match idx.child_by_field_name("argument") {
                    Some(a) => a,
                    None => continue,
                }
            } else {
                idx
            };
            let it = ctx.text(idx);
            if it.contains('(') || it.contains("++") || it.contains("--") || it.contains('=') {
                continue;
            }
            let cond = match ctx.spec.out_of_bounds {
                Some(pattern) => fill(pattern, &[("i", ctx.text(idx)), ("seq", ctx.text(seq))]),
                // C arrays carry no length: use the declared size of the array
                // (a local, global or struct field of that name in the file).
                None => {
                    let name = field_of(seq).unwrap_or(seq);
                    let Some(size) = declared_array_size(ctx, ctx.text(name)) else {
                        continue;
                    };
                    format!("{} >= {size}", ctx.text(idx))
                }
            };
            for (i, (body, why)) in ctx.exits(n).into_iter().enumerate() {
                let (s, e, t) = guard(ctx, stmt, &cond, &body);
                out.push(Proposal {
                    start: s,
                    end: e,
                    text: t,
                    description: format!(
                        "check `{}` is a valid index of `{}`: {why}",
                        ctx.text(idx),
                        ctx.text(seq)
                    ),
                    prior: if oob { 0.7 } else { 0.2 } * 0.97f64.powi(i as i32),
                });
            }
        }
    }
}

/// The size expression of `T name[N]` declared anywhere in the file.
fn declared_array_size(ctx: &SiteContext<'_>, name: &str) -> Option<String> {
    let mut found = None;
    walk(ctx.tree.root_node(), &mut |c| {
        if found.is_none()
            && c.kind() == "array_declarator"
            && let (Some(d), Some(size)) = (
                c.child_by_field_name("declarator"),
                c.child_by_field_name("size"),
            )
            && ctx.text(d) == name
        {
            found = Some(ctx.text(size).to_string());
        }
    });
    found
}

/// Replace a binary operator with a related one.
pub struct OperatorMutation;

const OPERATOR_SWAPS: &[(&str, &[(&str, f64)])] = &[
    ("<", &[("<=", 0.75), (">", 0.45), (">=", 0.35), ("!=", 0.3)]),
    ("<=", &[("<", 0.75), (">=", 0.45), (">", 0.35)]),
    (">", &[(">=", 0.75), ("<", 0.45), ("<=", 0.35), ("!=", 0.3)]),
    (">=", &[(">", 0.75), ("<=", 0.45), ("<", 0.35)]),
    ("==", &[("!=", 0.6)]),
    ("!=", &[("==", 0.6)]),
    ("===", &[("!==", 0.6)]),
    ("!==", &[("===", 0.6)]),
    ("+", &[("-", 0.5), ("*", 0.3)]),
    ("-", &[("+", 0.5)]),
    ("*", &[("/", 0.35), ("+", 0.3)]),
    ("/", &[("*", 0.35), ("//", 0.45)]),
    ("//", &[("/", 0.45)]),
    ("%", &[("/", 0.3)]),
    ("and", &[("or", 0.5)]),
    ("or", &[("and", 0.5)]),
    ("&&", &[("||", 0.5)]),
    ("||", &[("&&", 0.5)]),
    ("is", &[("is not", 0.5)]),
    ("is not", &[("is", 0.5)]),
    ("in", &[("not in", 0.5)]),
    ("not in", &[("in", 0.5)]),
    ("??", &[("||", 0.4)]),
    ("<<", &[(">>", 0.5)]),
    (">>", &[("<<", 0.5)]),
    ("&", &[("|", 0.45), ("^", 0.3)]),
    ("|", &[("&", 0.45), ("^", 0.3)]),
    ("^", &[("&", 0.3), ("|", 0.3)]),
];

impl Template for OperatorMutation {
    fn name(&self) -> &'static str {
        "operator-mutation"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        for n in ctx.nodes_of(ctx.spec.binary_kinds) {
            // A spurious operand of `a or b` / `a && b`: keep one side only.
            if operator_child(n, &["and", "or", "&&", "||"]).is_some()
                && let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                )
            {
                for keep in [l, r] {
                    if keep == r
                        && operator_child(n, &["or", "||"]).is_some()
                        && (ctx.spec.number_kinds.contains(&r.kind())
                            || matches!(
                                r.kind(),
                                "string" | "array" | "list" | "object" | "dictionary"
                            ))
                    {
                        continue;
                    }
                    out.push(Proposal {
                        start: n.start_byte(),
                        end: n.end_byte(),
                        text: ctx.text(keep).to_string(),
                        description: format!("keep only `{}` of `{}`", ctx.text(keep), ctx.text(n)),
                        prior: 0.35,
                    });
                }
            }
            // `x || fallback` with a constant fallback is the default-value
            // idiom: `x && fallback` (or keeping only the constant) is never meant.
            let constant_fallback = operator_child(n, &["or", "||", "??"]).is_some()
                && n.child_by_field_name("right").is_some_and(|r| {
                    ctx.spec.number_kinds.contains(&r.kind())
                        || matches!(
                            r.kind(),
                            "string"
                                | "array"
                                | "list"
                                | "object"
                                | "dictionary"
                                | "null"
                                | "none"
                                | "true"
                                | "false"
                                | "tuple"
                        )
                });
            let mut c = n.walk();
            let ops: Vec<Node> = n.children(&mut c).filter(|ch| !ch.is_named()).collect();
            for op in ops {
                let t = ctx.text(op);
                if constant_fallback && matches!(t, "or" | "||" | "??") {
                    continue;
                }
                let Some((_, swaps)) = OPERATOR_SWAPS.iter().find(|(o, _)| *o == t) else {
                    continue;
                };
                for (to, prior) in *swaps {
                    if *to == "//" && ctx.language != Language::Python {
                        continue;
                    }
                    if matches!(*to, "is" | "is not" | "in" | "not in" | "and" | "or")
                        && ctx.language != Language::Python
                    {
                        continue;
                    }
                    out.push(Proposal {
                        start: op.start_byte(),
                        end: op.end_byte(),
                        text: to.to_string(),
                        description: format!("replace operator `{t}` with `{to}`"),
                        prior: *prior,
                    });
                }
            }
        }
    }
}

/// Off-by-one fixes: ±1 on indices, slice bounds, loop limits and range arguments.
pub struct OffByOne;
impl Template for OffByOne {
    fn name(&self) -> &'static str {
        "off-by-one"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let oob = ctx.mentions(&["index", "range", "bounds", "overflow", "!="]);
        let mut targets: Vec<Node> = Vec::new();
        for n in ctx.nodes() {
            let k = n.kind();
            if ctx.spec.subscript_kinds.contains(&k) {
                if let Some(i) = n
                    .child_by_field_name("subscript")
                    .or_else(|| n.child_by_field_name("index"))
                    .or_else(|| n.named_child(1))
                {
                    if matches!(i.kind(), "slice" | "range_expression") {
                        let mut c = i.walk();
                        targets.extend(i.named_children(&mut c));
                    } else {
                        targets.push(i);
                    }
                }
            } else if matches!(k, "slice" | "range_expression") {
                let mut c = n.walk();
                targets.extend(n.named_children(&mut c));
            } else if ctx.spec.call_kinds.contains(&k) {
                // Arguments of range()/slice()/substring()-like calls are bounds.
                let callee = super::project::callee_name(n, ctx.src).unwrap_or_default();
                if matches!(
                    callee.as_str(),
                    "range"
                        | "slice"
                        | "substring"
                        | "substr"
                        | "splice"
                        | "take"
                        | "skip"
                        | "truncate"
                        | "split_at"
                        | "get"
                        | "nth"
                        | "memcpy"
                        | "strncpy"
                        | "malloc"
                        | "calloc"
                ) && let Some(args) = n.child_by_field_name("arguments")
                {
                    let mut c = args.walk();
                    targets.extend(args.named_children(&mut c));
                }
            } else if matches!(k, "assignment" | "assignment_expression") && ctx.in_loop(n) {
                // A loop that makes no progress often assigns `x = e` where `e ± 1` was meant.
                if let Some(r) = n.child_by_field_name("right") {
                    targets.push(r);
                }
            } else if ctx.spec.binary_kinds.contains(&k)
                && operator_child(n, &["<", "<=", ">", ">="]).is_some()
                && n.parent().is_some_and(|p| {
                    ctx.spec.loop_kinds.contains(&p.kind())
                        || ctx.spec.if_kinds.contains(&p.kind())
                        || p.kind() == "parenthesized_expression"
                })
                && let Some(r) = n.child_by_field_name("right")
            {
                targets.push(r);
            }
        }
        let mut seen = HashSet::new();
        for t in targets {
            if !seen.insert((t.start_byte(), t.end_byte())) || t.kind().contains("comment") {
                continue;
            }
            let text = ctx.text(t);
            let prior = if oob { 0.6 } else { 0.4 };
            // `x + 1` / `x - 1` → `x` first: removing a stray adjustment is the smaller change.
            if ctx.spec.binary_kinds.contains(&t.kind())
                && let (Some(op), Some(r), Some(l)) = (
                    operator_child(t, &["+", "-"]),
                    t.child_by_field_name("right"),
                    t.child_by_field_name("left"),
                )
                && ctx.text(r) == "1"
            {
                out.push(Proposal {
                    start: t.start_byte(),
                    end: t.end_byte(),
                    text: ctx.text(l).to_string(),
                    description: format!("drop the `{} 1` adjustment in `{text}`", ctx.text(op)),
                    prior: 0.65,
                });
            }
            if ctx.spec.number_kinds.contains(&t.kind()) {
                if let Ok(v) = text.parse::<i64>() {
                    for (nv, d) in [(v + 1, "+1"), (v - 1, "-1")] {
                        if nv < 0 {
                            continue;
                        }
                        out.push(Proposal {
                            start: t.start_byte(),
                            end: t.end_byte(),
                            text: nv.to_string(),
                            description: format!("bound {text} → {nv} ({d})"),
                            prior,
                        });
                    }
                }
                continue;
            }
            let wrap = |s: &str| {
                // Only operator expressions need parentheses before `± 1`.
                let compound = ctx.spec.binary_kinds.contains(&t.kind())
                    || [
                        "conditional",
                        "ternary",
                        "unary",
                        "not_",
                        "lambda",
                        "assignment",
                        "await",
                        "boolean",
                    ]
                    .iter()
                    .any(|k| t.kind().contains(k));
                if !compound {
                    s.to_string()
                } else {
                    format!("({s})")
                }
            };
            for (op, d) in [("+", "+1"), ("-", "-1")] {
                out.push(Proposal {
                    start: t.start_byte(),
                    end: t.end_byte(),
                    text: format!("{} {op} 1", wrap(text)),
                    description: format!("adjust `{text}` by {d}"),
                    prior: prior * 0.95,
                });
            }
        }
    }
}

/// Negate a condition, or remove a negation.
pub struct NegateCondition;
impl Template for NegateCondition {
    fn name(&self) -> &'static str {
        "negate-condition"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let mut kinds: Vec<&str> = ctx.spec.if_kinds.to_vec();
        kinds.extend(ctx.spec.loop_kinds);
        kinds.push("conditional_expression");
        kinds.push("ternary_expression");
        for n in ctx.nodes_of(&kinds) {
            let Some(cond) = n.child_by_field_name("condition") else {
                continue;
            };
            let mut inner = cond;
            // JS/C conditions are parenthesized; negate inside the parentheses.
            if inner.kind() == "parenthesized_expression"
                && let Some(c) = inner.named_child(0)
            {
                inner = c;
            }
            let t = ctx.text(inner);
            if ctx.spec.not_kinds.contains(&inner.kind())
                && (t.starts_with('!') || t.starts_with("not "))
            {
                if let Some(arg) = inner
                    .child_by_field_name("argument")
                    .or(inner.named_child(0))
                {
                    out.push(Proposal {
                        start: inner.start_byte(),
                        end: inner.end_byte(),
                        text: ctx.text(arg).to_string(),
                        description: format!("remove the negation in `{t}`"),
                        prior: 0.5,
                    });
                }
                continue;
            }
            out.push(Proposal {
                start: inner.start_byte(),
                end: inner.end_byte(),
                text: format!("{}({t})", ctx.spec.not_prefix),
                description: format!("negate the condition `{t}`"),
                prior: 0.45,
            });
            // A missing condition: require the guarded value to be present as well.
            if ctx.spec.binary_kinds.contains(&inner.kind())
                && let Some(l) = inner.child_by_field_name("left")
                && is_plain_operand(ctx, l)
                && ctx.language != Language::Rust
            {
                let nn = fill(ctx.spec.is_null, &[("x", ctx.text(l))]);
                let present = format!("{}({nn})", ctx.spec.not_prefix);
                out.push(Proposal {
                    start: inner.start_byte(),
                    end: inner.end_byte(),
                    text: format!("{present} {} {t}", ctx.spec.logical_and),
                    description: format!("add the missing condition `{present}`"),
                    prior: 0.35,
                });
            }
        }
    }
}

static PY_EXC_KINDS: &[&str] = &[
    "ValueError",
    "KeyError",
    "IndexError",
    "TypeError",
    "AttributeError",
    "ZeroDivisionError",
    "JSONDecodeError",
    "UnicodeDecodeError",
    "FileNotFoundError",
    "OSError",
    "LookupError",
    "ArithmeticError",
    "RecursionError",
    "StopIteration",
];

/// Exception handling around the failing statement with a contract-respecting fallback.
pub struct ExceptionHandler;
impl Template for ExceptionHandler {
    fn name(&self) -> &'static str {
        "exception-handler"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let Some(pattern) = ctx.spec.try_catch else {
            return;
        };
        if ctx.site.start_line != ctx.site.end_line {
            return; // Only around the exact failing statement.
        }
        let exc = PY_EXC_KINDS
            .iter()
            .find(|k| ctx.messages.contains(&k.to_lowercase()))
            .map(|k| {
                if *k == "JSONDecodeError" {
                    "ValueError"
                } else {
                    k
                }
            })
            .unwrap_or("Exception");
        let prior =
            if exc != "Exception" || ctx.mentions(&["syntaxerror", "unexpected token", "json"]) {
                0.55
            } else {
                0.35
            };
        let mut seen = HashSet::new();
        for n in ctx.nodes() {
            let Some(stmt) = ctx.statement_of(n) else {
                continue;
            };
            if !seen.insert(stmt.start_byte())
                || stmt.kind() == "try_statement"
                // Catching the function's own deliberate error hides it, never fixes it.
                || matches!(stmt.kind(), "raise_statement" | "throw_statement")
                || ctx.spec.if_kinds.contains(&stmt.kind())
                || ctx.spec.loop_kinds.contains(&stmt.kind())
            {
                continue;
            }
            let indent = ctx.indent_of(stmt);
            let mut text = ctx.text(stmt).to_string();
            let mut prefix = String::new();
            // JS: a declaration inside `try {}` would be invisible after it; hoist it.
            if matches!(stmt.kind(), "lexical_declaration" | "variable_declaration") {
                let decl = stmt.named_child(0);
                let (Some(name), Some(value)) = (
                    decl.and_then(|d| d.child_by_field_name("name")),
                    decl.and_then(|d| d.child_by_field_name("value")),
                ) else {
                    continue;
                };
                prefix = format!("let {};\n{indent}", ctx.text(name));
                text = format!("{} = {};", ctx.text(name), ctx.text(value));
            }
            let body = text.replace('\n', &format!("\n{}", ctx.spec.one_indent));
            let mut fallbacks = ctx.exits(n);
            if ctx.language == Language::Python {
                fallbacks.push(("pass".into(), "ignore the error".into()));
            }
            for (i, (fb, why)) in fallbacks.into_iter().enumerate() {
                let wrapped = fill(
                    pattern,
                    &[
                        ("stmt", &body),
                        ("fallback", &fb),
                        ("indent", &indent),
                        ("exc", exc),
                    ],
                );
                out.push(Proposal {
                    start: stmt.start_byte(),
                    end: stmt.end_byte(),
                    text: format!("{prefix}{wrapped}"),
                    description: format!("handle {exc} around the failing statement: {why}"),
                    prior: prior * 0.97f64.powi(i as i32),
                });
            }
        }
    }
}

/// Rust: `unwrap()`/`expect()` replaced by error propagation or a default.
pub struct RustUnwrap;
impl Template for RustUnwrap {
    fn name(&self) -> &'static str {
        "rust-unwrap"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        if ctx.language != Language::Rust {
            return;
        }
        let panicked = ctx.mentions(&["unwrap", "expect", "none", "err"]);
        for n in ctx.nodes_of(&["call_expression"]) {
            let Some(f) = n.child_by_field_name("function") else {
                continue;
            };
            if f.kind() != "field_expression" {
                continue;
            }
            let (Some(recv), Some(field)) = (
                f.child_by_field_name("value"),
                f.child_by_field_name("field"),
            ) else {
                continue;
            };
            let method = ctx.text(field);
            if method != "unwrap" && method != "expect" {
                continue;
            }
            let r = ctx.text(recv);
            let prior = if panicked { 0.85 } else { 0.3 };
            let func = ctx.function_of(n);
            let ret = func
                .and_then(|f| f.child_by_field_name("return_type"))
                .map(|t| ctx.text(t).to_string())
                .unwrap_or_default();
            let mut variants: Vec<(String, String, f64)> = Vec::new();
            if ret.starts_with("Result") || ret.starts_with("Option") {
                variants.push((format!("{r}?"), "propagate the error with `?`".into(), 1.0));
                if ret.starts_with("Result") {
                    variants.push((
                        format!("{r}.map_err(|e| e.to_string())?"),
                        "propagate the error as a String".into(),
                        0.95,
                    ));
                    variants.push((
                        format!("{r}.ok_or_else(|| \"missing value\".to_string())?"),
                        "turn the missing value into an error".into(),
                        0.9,
                    ));
                }
            }
            // The function's own error values (`Err(E::Variant(..))` elsewhere in
            // it, then in the file) are what its callers already handle.
            if ret.starts_with("Result") {
                let fname = func
                    .and_then(|f| f.child_by_field_name("name"))
                    .map(|n| ctx.text(n))
                    .unwrap_or("");
                // The failing input: the first identifier argument of the unwrapped call.
                let input = recv
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                    .filter(|a| a.kind() == "identifier")
                    .map(|a| ctx.text(a));
                let errors = rank_by_words(
                    error_values(ctx, func, &ret, input),
                    &format!("{fname} {r}"),
                );
                for (k, e) in errors.into_iter().take(6).enumerate() {
                    let decay = 0.9f64.powi(k as i32);
                    variants.push((
                        format!("{r}.ok_or({e})?"),
                        format!("return `{e}` when the value is missing"),
                        1.02 * decay,
                    ));
                    variants.push((
                        format!("{r}.map_err(|_| {e})?"),
                        format!("return `{e}` on error"),
                        1.01 * decay,
                    ));
                }
            }
            variants.push((
                format!("{r}.unwrap_or_default()"),
                "fall back to the type's default value".into(),
                0.9,
            ));
            if let Some(stmt) = ctx.statement_of(n) {
                // `let x = e.unwrap();` → `let Some/Ok(x) = e else { return neutral };`
                if stmt.kind() == "let_declaration"
                    && let (Some(pat), Some(val)) = (
                        stmt.child_by_field_name("pattern"),
                        stmt.child_by_field_name("value"),
                    )
                    && val == n
                {
                    let ty = stmt
                        .child_by_field_name("type")
                        .map(|t| format!(": {}", ctx.text(t)))
                        .unwrap_or_default();
                    let _ = ty;
                    for (body, why) in ctx.exits(n).into_iter().take(3) {
                        for ctor in ["Some", "Ok"] {
                            variants.push((
                                format!("let {ctor}({}) = {r} else {{ {body} }};", ctx.text(pat)),
                                format!("bind with let-else on `{ctor}`: {why}"),
                                0.85,
                            ));
                        }
                    }
                }
            }
            for (text, why, p) in variants {
                let (start, end) = if text.starts_with("let ") {
                    let stmt = ctx.statement_of(n).expect("checked above");
                    (stmt.start_byte(), stmt.end_byte())
                } else {
                    (n.start_byte(), n.end_byte())
                };
                out.push(Proposal {
                    start,
                    end,
                    text,
                    description: format!("replace `.{method}()` on `{r}`: {why}"),
                    prior: prior * p,
                });
            }
        }
    }
}

/// Error expressions the enclosing function (first) or file returns: the `x` of `Err(x)`.
fn error_values<'a>(
    ctx: &SiteContext<'a>,
    func: Option<Node<'a>>,
    ret: &str,
    input: Option<&str>,
) -> Vec<String> {
    let mut local = Vec::new();
    let mut global = Vec::new();
    walk(ctx.tree.root_node(), &mut |c| {
        if c.kind() != "call_expression" {
            return;
        }
        // `Err(x)`, and the error of `.ok_or(x)`, `.ok_or_else(|| x)`, `.map_err(|_| x)`.
        let is_err = c.child_by_field_name("function").is_some_and(|f| {
            ctx.text(f) == "Err"
                || (f.kind() == "field_expression"
                    && f.child_by_field_name("field")
                        .is_some_and(|m| matches!(ctx.text(m), "ok_or" | "ok_or_else" | "map_err")))
        });
        let Some(mut arg) = c
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
        else {
            return;
        };
        if arg.kind() == "closure_expression" {
            let Some(body) = arg.child_by_field_name("body") else {
                return;
            };
            arg = body;
        }
        if !is_err || ctx.text(arg).len() > 80 || ctx.text(arg).contains('\n') {
            return;
        }
        let inside =
            func.is_some_and(|f| f.start_byte() <= c.start_byte() && c.end_byte() <= f.end_byte());
        let v = ctx.text(arg).to_string();
        let list = if inside { &mut local } else { &mut global };
        if !list.contains(&v) {
            list.push(v);
        }
    });
    for g in global {
        if !local.contains(&g) {
            local.push(g);
        }
    }
    // Unit variants of the declared error type `Result<_, E>` defined in the file.
    let err_ty = ret
        .strip_prefix("Result<")
        .and_then(|t| t.strip_suffix('>'))
        .and_then(|t| t.rsplit_once(','))
        .map(|(_, e)| e.trim().to_string());
    if let Some(ty) = err_ty {
        walk(ctx.tree.root_node(), &mut |c| {
            if c.kind() == "enum_item"
                && c.child_by_field_name("name")
                    .is_some_and(|n| ctx.text(n) == ty)
                && let Some(body) = c.child_by_field_name("body")
            {
                let mut cur = body.walk();
                for v in body.named_children(&mut cur) {
                    let Some(name) = v.child_by_field_name("name") else {
                        continue;
                    };
                    let e = match (v.child_by_field_name("body"), input) {
                        (None, _) => format!("{ty}::{}", ctx.text(name)),
                        // `V(String)`: carry the offending input, as callers report it.
                        (Some(b), Some(arg)) if ctx.text(b).replace(' ', "") == "(String)" => {
                            format!("{ty}::{}({arg}.to_string())", ctx.text(name))
                        }
                        _ => continue,
                    };
                    if v.kind() == "enum_variant" && !local.contains(&e) {
                        local.push(e);
                    }
                }
            }
        });
    }
    local
}

/// Lowercase words of identifiers (`BadContentLength`, `content_length` → bad, content, length).
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        if ch.is_uppercase() && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if ch.is_alphanumeric() {
            cur.extend(ch.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Stable sort of candidate values by how many words they share with `context`:
/// an error named after what failed (`BadContentLength` in `content_length`) first.
fn rank_by_words(mut values: Vec<String>, context: &str) -> Vec<String> {
    let ctx_words = words(context);
    let overlap = |v: &String| {
        words(v)
            .iter()
            .filter(|w| w.len() > 2 && ctx_words.contains(w))
            .count()
    };
    values.sort_by_key(|v| std::cmp::Reverse(overlap(v)));
    values
}

/// Rust: arithmetic that overflows replaced by saturating or checked forms.
pub struct CheckedArithmetic;
impl Template for CheckedArithmetic {
    fn name(&self) -> &'static str {
        "checked-arithmetic"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        if ctx.language != Language::Rust {
            return;
        }
        let overflow = ctx.mentions(&["overflow"]);
        for n in ctx.nodes_of(ctx.spec.binary_kinds) {
            let Some(op) = operator_child(n, &["+", "-", "*"]) else {
                continue;
            };
            let (Some(l), Some(r)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                continue;
            };
            let m = match ctx.text(op) {
                "+" => "saturating_add",
                "-" => "saturating_sub",
                _ => "saturating_mul",
            };
            let lt = ctx.text(l);
            let lt = if ctx.spec.identifier_kinds.contains(&l.kind())
                || l.kind().contains("call")
                || ctx.spec.member_kinds.contains(&l.kind())
            {
                lt.to_string()
            } else {
                format!("({lt})")
            };
            out.push(Proposal {
                start: n.start_byte(),
                end: n.end_byte(),
                text: format!("{lt}.{m}({})", ctx.text(r)),
                description: format!("use `{m}` so `{}` cannot overflow", ctx.text(n)),
                prior: if overflow { 0.85 } else { 0.2 },
            });
        }
    }
}

static UNBOUND_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:local variable '(\w+)'|name '(\w+)' is not defined|(\w+) is not defined|cannot access local variable '(\w+)')")
        .expect("static regex")
});

/// Missing initialization: uninitialised C locals, unbound Python/JS names.
pub struct MissingInitialization;
impl Template for MissingInitialization {
    fn name(&self) -> &'static str {
        "missing-initialization"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        if ctx.language == Language::C {
            for n in ctx.nodes_of(&["declaration"]) {
                if ctx.function_of(n).is_none() {
                    continue;
                }
                let mut c = n.walk();
                let decls: Vec<Node> = n
                    .children_by_field_name("declarator", &mut c)
                    .filter(|d| {
                        matches!(
                            d.kind(),
                            "identifier" | "pointer_declarator" | "array_declarator"
                        )
                    })
                    .collect();
                for d in decls {
                    let init = match d.kind() {
                        "pointer_declarator" => "NULL",
                        "array_declarator" => "{0}",
                        _ => "0",
                    };
                    out.push(Proposal {
                        start: d.end_byte(),
                        end: d.end_byte(),
                        text: format!(" = {init}"),
                        description: format!("initialise `{}` to {init}", ctx.text(d)),
                        prior: 0.55,
                    });
                }
            }
            return;
        }
        let Some(c) = UNBOUND_NAME.captures(ctx.messages) else {
            return;
        };
        let Some(name) = c.iter().skip(1).flatten().next().map(|m| m.as_str()) else {
            return;
        };
        // Find the function body containing a use of the name at the site.
        for n in ctx.nodes_of(ctx.spec.identifier_kinds) {
            if ctx.text(n).to_lowercase() != name {
                continue;
            }
            let Some(func) = ctx.function_of(n) else {
                continue;
            };
            let Some(body) = func.child_by_field_name("body") else {
                continue;
            };
            let Some(first) = body.named_child(0) else {
                continue;
            };
            let indent = ctx.indent_of(first);
            let real = ctx.text(n);
            let vals: Vec<String> = ctx
                .neutral_values(func)
                .into_iter()
                .chain(ctx.spec.neutral_values.iter().map(|s| s.to_string()))
                .collect();
            let mut seen = HashSet::new();
            for v in vals.into_iter().filter(|v| seen.insert(v.clone())).take(5) {
                let decl = if ctx.language == Language::Javascript {
                    format!("let {real} = {v};\n{indent}")
                } else {
                    format!("{real} = {v}\n{indent}")
                };
                out.push(Proposal {
                    start: first.start_byte(),
                    end: first.start_byte(),
                    text: decl,
                    description: format!("initialise `{real}` to {v} before first use"),
                    prior: 0.8,
                });
            }
            return;
        }
    }
}

/// Validation of parsed values: a failed numeric parse is rejected rather than used.
pub struct InputValidation;
impl Template for InputValidation {
    fn name(&self) -> &'static str {
        "input-validation"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let check = match ctx.language {
            Language::Javascript => "Number.isNaN({x})",
            Language::Python => "{x} != {x}", // NaN check for float('nan') inputs
            _ => return,
        };
        for n in ctx.nodes_of(
            ctx.spec
                .declaration_kinds
                .iter()
                .chain(&["assignment"])
                .copied()
                .collect::<Vec<_>>()
                .as_slice(),
        ) {
            let name = n
                .child_by_field_name("name")
                .or_else(|| n.child_by_field_name("left"));
            let value = n
                .child_by_field_name("value")
                .or_else(|| n.child_by_field_name("right"));
            let (Some(name), Some(value)) = (name, value) else {
                continue;
            };
            let callee = if ctx.spec.call_kinds.contains(&value.kind()) {
                super::project::callee_name(value, ctx.src).unwrap_or_default()
            } else {
                String::new()
            };
            if !matches!(
                callee.as_str(),
                "parseInt" | "parseFloat" | "Number" | "float"
            ) {
                continue;
            }
            let Some(stmt) = ctx.statement_of(n) else {
                continue;
            };
            let x = ctx.text(name);
            let cond = fill(check, &[("x", x)]);
            let indent = ctx.indent_of(stmt);
            for (i, (body, why)) in ctx.exits(n).into_iter().enumerate() {
                let g = fill(
                    ctx.spec.guard,
                    &[("cond", &cond), ("body", &body), ("indent", &indent)],
                );
                // Insert after the statement: the guard checks the parsed value.
                let g = g.trim_end_matches([' ', '\t']).trim_end_matches('\n');
                out.push(Proposal {
                    start: stmt.end_byte(),
                    end: stmt.end_byte(),
                    text: format!("\n{indent}{g}"),
                    description: format!("reject an unparsable `{x}`: {why}"),
                    prior: 0.55 * 0.97f64.powi(i as i32),
                });
            }
        }
    }
}

/// Wrong variable: swap an identifier for another one of the same function.
pub struct WrongVariable;
impl Template for WrongVariable {
    fn name(&self) -> &'static str {
        "wrong-variable"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        // Single-line sites only: swapping every identifier of a whole function explodes.
        if ctx.site.end_line - ctx.site.start_line > 2 {
            return;
        }
        self.swap_fields(ctx, out);
        for n in ctx.nodes_of(ctx.spec.identifier_kinds) {
            let Some(parent) = n.parent() else { continue };
            // Skip callee names, declared names and field names.
            if parent.child_by_field_name("function") == Some(n)
                || parent.child_by_field_name("name") == Some(n)
                || parent.child_by_field_name("pattern") == Some(n)
                || parent.child_by_field_name("left") == Some(n)
                    && matches!(parent.kind(), "assignment" | "assignment_expression")
                || parent.child_by_field_name("declarator") == Some(n)
                || names_no_value(n)
            {
                continue;
            }
            let Some(func) = ctx.function_of(n) else {
                continue;
            };
            let me = ctx.text(n);
            // Names in scope: identifiers declared (or used as values) in the same function,
            // with how often each occurs.
            let mut names: Vec<(&str, usize)> = Vec::new();
            walk(func, &mut |c| {
                if ctx.spec.identifier_kinds.contains(&c.kind())
                    || c.kind() == "shorthand_property_identifier_pattern"
                {
                    let t = ctx.text(c);
                    let is_callee = c
                        .parent()
                        .is_some_and(|p| p.child_by_field_name("function") == Some(c));
                    if is_callee || t == "self" || names_no_value(c) {
                        return;
                    }
                    match names.iter_mut().find(|(x, _)| *x == t) {
                        Some((_, k)) => *k += 1,
                        None => names.push((t, 1)),
                    }
                }
            });
            // A name declared and never used (an ignored parameter or option)
            // is the likeliest intended one: compilers warn about exactly that.
            let unused: Vec<&str> = names
                .iter()
                .filter(|(t, k)| *k == 1 && *t != me)
                .map(|(t, _)| *t)
                .collect();
            let rest = names
                .iter()
                .map(|(t, _)| *t)
                .filter(|t| *t != me && !unused.contains(t))
                .take(8);
            for (other, prior, why) in unused
                .iter()
                .map(|t| (*t, 0.5, " (declared but otherwise unused)"))
                .chain(rest.map(|t| (t, 0.3, "")))
            {
                out.push(Proposal {
                    start: n.start_byte(),
                    end: n.end_byte(),
                    text: other.to_string(),
                    description: format!("use `{other}` instead of `{me}`{why}"),
                    prior,
                });
            }
        }
        // `return self.x` inside `if v is not None:` / `if (v)`: the value just
        // checked is the one meant.
        for n in ctx.nodes_of(ctx.spec.member_kinds) {
            if is_call_target(n)
                || !n
                    .named_child(0)
                    .is_some_and(|o| matches!(ctx.text(o), "self" | "this"))
            {
                continue;
            }
            let mut cur = n.parent();
            while let Some(c) = cur {
                if ctx.spec.function_kinds.contains(&c.kind()) {
                    break;
                }
                if ctx.spec.if_kinds.contains(&c.kind()) {
                    if let Some(cond) = c.child_by_field_name("condition")
                        && !(cond.start_byte() <= n.start_byte() && n.end_byte() <= cond.end_byte())
                    {
                        let mut checked: Vec<&str> = Vec::new();
                        walk(cond, &mut |i| {
                            let parent_is_member = i
                                .parent()
                                .is_some_and(|p| ctx.spec.member_kinds.contains(&p.kind()));
                            if ctx.spec.identifier_kinds.contains(&i.kind())
                                && !parent_is_member
                                && !checked.contains(&ctx.text(i))
                            {
                                checked.push(ctx.text(i));
                            }
                        });
                        for v in checked {
                            out.push(Proposal {
                                start: n.start_byte(),
                                end: n.end_byte(),
                                text: v.to_string(),
                                description: format!(
                                    "use `{v}`, which the enclosing condition checks, instead of `{}`",
                                    ctx.text(n)
                                ),
                                prior: 0.45,
                            });
                        }
                    }
                    break;
                }
                cur = c.parent();
            }
        }
    }
}

fn field_of(m: Node<'_>) -> Option<Node<'_>> {
    m.child_by_field_name("field")
        .or_else(|| m.child_by_field_name("property"))
        .or_else(|| m.child_by_field_name("attribute"))
}

/// Node kinds naming a field in a member access, per grammar.
const FIELD_NAME_KINDS: &[&str] = &["field_identifier", "property_identifier"];

impl WrongVariable {
    /// Wrong field: `a.x` → `a.y` for another field accessed in the same function.
    fn swap_fields(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        for n in ctx.nodes_of(ctx.spec.member_kinds) {
            let Some(field) = field_of(n) else { continue };
            if is_call_target(n)
                || !(FIELD_NAME_KINDS.contains(&field.kind()) || field.kind() == "identifier")
            {
                continue;
            }
            let Some(func) = ctx.function_of(n) else {
                continue;
            };
            let me = ctx.text(field);
            // Fields accessed in this function first, then anywhere in the file.
            let mut names: Vec<(&str, f64)> = Vec::new();
            for (scope, prior) in [(func, 0.32), (ctx.tree.root_node(), 0.26)] {
                walk(scope, &mut |c| {
                    // Field accesses, and (file-wide) field declarations of structs/classes.
                    let field = if ctx.spec.member_kinds.contains(&c.kind()) && !is_call_target(c) {
                        field_of(c)
                    } else if FIELD_NAME_KINDS.contains(&c.kind())
                        && c.parent().is_some_and(|p| p.kind() == "field_declaration")
                    {
                        Some(c)
                    } else {
                        None
                    };
                    if let Some(f) = field {
                        let t = ctx.text(f);
                        if t != me
                            && !names.iter().any(|(x, _)| *x == t)
                            && t.chars().all(|ch| ch.is_alphanumeric() || ch == '_')
                        {
                            names.push((t, prior));
                        }
                    }
                });
            }
            for (other, prior) in names.into_iter().take(10) {
                out.push(Proposal {
                    start: field.start_byte(),
                    end: field.end_byte(),
                    text: other.to_string(),
                    description: format!("use field `{other}` instead of `{me}`"),
                    prior,
                });
            }
        }
    }
}

/// Byte counts vs element counts: `memcpy(d, s, n)` → `n * sizeof(*d)`.
pub struct SizeofScaling;
impl Template for SizeofScaling {
    fn name(&self) -> &'static str {
        "sizeof-scaling"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        if ctx.language != Language::C {
            return;
        }
        // (function, index of the size argument, index of the typed pointer argument)
        const SIZED: &[(&str, usize, usize)] = &[
            ("memcpy", 2, 0),
            ("memmove", 2, 0),
            ("memset", 2, 0),
            ("memcmp", 2, 0),
            ("malloc", 0, usize::MAX),
            ("realloc", 1, 0),
        ];
        for n in ctx.nodes_of(ctx.spec.call_kinds) {
            let callee = super::project::callee_name(n, ctx.src).unwrap_or_default();
            let Some((_, size_i, ptr_i)) = SIZED.iter().find(|(f, _, _)| *f == callee) else {
                continue;
            };
            let Some(args) = n.child_by_field_name("arguments") else {
                continue;
            };
            let mut c = args.walk();
            let argv: Vec<Node> = args.named_children(&mut c).collect();
            let Some(size) = argv.get(*size_i) else {
                continue;
            };
            let st = ctx.text(*size);
            if st.contains("sizeof") {
                continue;
            }
            let elem = match argv.get(*ptr_i) {
                Some(p) => format!("sizeof(*{})", ctx.text(*p)),
                None => {
                    // malloc: scale by the element type of the pointer it initialises.
                    let Some(decl) = n.parent().filter(|p| p.kind() == "init_declarator") else {
                        continue;
                    };
                    let Some(d) = decl.child_by_field_name("declarator") else {
                        continue;
                    };
                    let name = ctx.text(d).trim_start_matches('*').trim();
                    format!("sizeof(*{name})")
                }
            };
            let scaled = if st.contains(' ') {
                format!("({st}) * {elem}")
            } else {
                format!("{st} * {elem}")
            };
            out.push(Proposal {
                start: size.start_byte(),
                end: size.end_byte(),
                text: scaled,
                description: format!(
                    "`{callee}` takes a byte count: scale `{st}` by the element size"
                ),
                prior: 0.5,
            });
        }
    }
}

/// API misuse: a commonly confused function or method replaced by its sibling
/// (from the language table). Arity differences are left to the build/tests.
pub struct ApiSwap;
impl Template for ApiSwap {
    fn name(&self) -> &'static str {
        "api-swap"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        for n in ctx.nodes_of(ctx.spec.call_kinds) {
            let Some(f) = n.child_by_field_name("function") else {
                continue;
            };
            // The callee's last identifier: `f`, `obj.f`, `mod::f`.
            let name_node = field_of(f)
                .or_else(|| f.child_by_field_name("name"))
                .unwrap_or(f);
            if !(ctx.spec.identifier_kinds.contains(&name_node.kind())
                || FIELD_NAME_KINDS.contains(&name_node.kind()))
            {
                continue;
            }
            let used = ctx.text(name_node);
            for (from, to) in ctx.spec.api_swaps {
                if *from == used {
                    // `x.sort()` → `sorted(x)` is not a rename; only renames here.
                    if *to == "sorted" {
                        continue;
                    }
                    out.push(Proposal {
                        start: name_node.start_byte(),
                        end: name_node.end_byte(),
                        text: to.to_string(),
                        description: format!(
                            "call `{to}` instead of the commonly confused `{used}`"
                        ),
                        prior: 0.35,
                    });
                }
            }
        }
    }
}

/// Generate, check and score candidates for the ranked sites.
pub fn synthesize(
    project: &Project,
    sites: &[Site],
    messages: &str,
    templates: &[Box<dyn Template>],
    max_sites: usize,
) -> Vec<Candidate> {
    let lower = messages.to_lowercase();
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen_texts: HashSet<(PathBuf, String)> = HashSet::new();
    let mut project_calls = HashSet::new();
    for f in &project.files {
        walk(f.tree.root_node(), &mut |n| {
            if project.language.spec().call_kinds.contains(&n.kind())
                && let Some(c) = super::project::callee_name(n, &f.text)
            {
                project_calls.insert(c);
            }
        });
    }
    for (rank, site) in sites.iter().take(max_sites).enumerate() {
        let Some(sf) = project.file(&site.file) else {
            continue;
        };
        let ctx = SiteContext {
            language: project.language,
            spec: project.language.spec(),
            src: &sf.text,
            tree: &sf.tree,
            site,
            messages: &lower,
            project_calls: &project_calls,
        };
        let base_errors = error_count(&sf.tree);
        for t in templates {
            let mut props = Vec::new();
            t.generate(&ctx, &mut props);
            for p in props {
                let cand = Candidate {
                    file: site.file.clone(),
                    edit: Edit {
                        start: p.start,
                        end: p.end,
                        text: p.text,
                    },
                    template: t.name().to_string(),
                    description: p.description,
                    prior: p.prior,
                    site_rank: rank,
                    score: 0.0,
                };
                let patched = cand.apply(&sf.text);
                if patched == sf.text || !seen_texts.insert((site.file.clone(), patched.clone())) {
                    continue;
                }
                // Cheapest check first: a candidate that does not even parse never reaches the sandbox.
                let ok = parse_text(project.language, &patched)
                    .is_some_and(|tree| error_count(&tree) <= base_errors);
                if !ok {
                    continue;
                }
                let size = (cand.edit.end - cand.edit.start).max(cand.edit.text.len()) as f64;
                // Site-level sites (whole functions) are less precise than a crash line.
                let precision = if site.start_line == site.end_line {
                    1.0
                } else {
                    0.8
                };
                let score =
                    cand.prior * 0.85f64.powi(rank as i32) * precision / (1.0 + size / 400.0);
                out.push(Candidate { score, ..cand });
            }
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// Candidates of every built-in template at one site: (template, patched text).
    pub(crate) fn candidates(
        lang: Language,
        file: &str,
        src: &str,
        lines: (u32, u32),
        msg: &str,
    ) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join(file);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(&abs, src).unwrap();
        let project = Project::load(dir.path(), lang).unwrap();
        let site = Site {
            file: PathBuf::from(file),
            start_line: lines.0,
            end_line: lines.1,
            score: 1.0,
            function: None,
            why: String::new(),
        };
        synthesize(&project, &[site], msg, &builtin_templates(), 1)
            .into_iter()
            .map(|c| (c.template.clone(), c.apply(src)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::candidates;
    use super::*;

    fn has(cands: &[(String, String)], template: &str, needle: &str) -> bool {
        cands
            .iter()
            .any(|(t, s)| t == template && s.contains(needle))
    }

    #[test]
    fn a_parenthesized_string_return_makes_the_empty_string_the_neutral_value() {
        let src = "class Store:\n    def stats(self):\n        lookups = self.hits + self.misses\n        ratio = self.hits / lookups\n        return (f\"hits={self.hits} \"\n                f\"ratio={ratio:.2f}\")\n";
        let cands = candidates(
            Language::Python,
            "app/store.py",
            src,
            (4, 4),
            "ZeroDivisionError: division by zero",
        );
        let guards: Vec<&String> = cands
            .iter()
            .filter(|(t, _)| t == "zero-division-guard")
            .map(|(_, s)| s)
            .collect();
        // The first guard returns what the function returns, a string, not None.
        let first = guards.first().expect("a zero-division guard");
        assert!(
            first.contains("if lookups == 0:\n            return \"\""),
            "{guards:#?}"
        );
    }

    #[test]
    fn a_division_inside_a_rust_macro_is_guarded() {
        let src = "fn rate(total: u64, window_s: u64) -> String {\n    format!(\"RATE {}/min\", total * 60 / window_s)\n}\n";
        let cands = candidates(
            Language::Rust,
            "src/lib.rs",
            src,
            (2, 2),
            "attempt to divide by zero",
        );
        assert!(
            cands.iter().any(|(t, s)| t == "zero-division-guard"
                && s.contains("if window_s == 0 {")
                && s.contains("format!(\"RATE {}/min\", total * 60 / window_s)")),
            "{cands:#?}"
        );
    }

    #[test]
    fn wrong_variable_swaps_only_values() {
        let src = "fn rate(window: &str, total: u64) -> String {\n    let Ok(window_s) = window.parse::<u64>() else {\n        return String::new();\n    };\n    format!(\"{}\", total * 60 / window_s)\n}\n";
        let cands = candidates(
            Language::Rust,
            "src/lib.rs",
            src,
            (5, 5),
            "attempt to divide by zero",
        );
        let swaps: Vec<&String> = cands
            .iter()
            .filter(|(t, _)| t == "wrong-variable")
            .map(|(_, s)| s)
            .collect();
        assert!(
            swaps.iter().any(|s| s.contains("total * 60 / window)")),
            "a value in scope replaces one: {swaps:#?}"
        );
        // The function's own name, the `Ok` constructor and the macro's name are no values.
        for bad in [
            "/ rate)",
            "/ Ok)",
            "/ format)",
            "rate * 60",
            "Ok * 60",
            "format * 60",
        ] {
            assert!(!swaps.iter().any(|s| s.contains(bad)), "{bad}: {swaps:#?}");
        }
        assert!(!swaps.iter().any(|s| s.contains("rate!(")), "{swaps:#?}");
    }

    #[test]
    fn python_none_guard_uses_function_contract() {
        let src = "def total(db, cid):\n    c = db.get(cid)\n    d = c.discount\n    return d * 2\n\n\ndef names(xs):\n    return [x for x in xs]\n";
        let c = candidates(
            Language::Python,
            "app.py",
            src,
            (3, 3),
            "AttributeError: 'NoneType' object has no attribute 'discount'",
        );
        assert_eq!(c[0].0, "null-guard");
        assert!(
            c[0].1.contains("    if c is None:\n        return"),
            "{}",
            c[0].1
        );
    }

    #[test]
    fn zero_division_in_all_languages() {
        let py = candidates(
            Language::Python,
            "a.py",
            "def avg(xs):\n    return sum(xs) / len(xs)\n",
            (2, 2),
            "ZeroDivisionError: division by zero",
        );
        assert_eq!(py[0].0, "zero-division-guard");
        assert!(has(&py, "zero-division-guard", "if len(xs) == 0:"));
        let c = candidates(
            Language::C,
            "a.c",
            "int avg(int s, int n) {\n    return s / n;\n}\n",
            (2, 2),
            "SIGFPE",
        );
        assert!(has(
            &c,
            "zero-division-guard",
            "if (n == 0) {\n        return 0;"
        ));
        let rs = candidates(
            Language::Rust,
            "src/lib.rs",
            "pub fn avg(s: u32, n: u32) -> u32 {\n    s / n\n}\n",
            (2, 2),
            "attempt to divide by zero",
        );
        assert!(has(
            &rs,
            "zero-division-guard",
            "(if n != 0 { s / n } else { 0 })"
        ));
    }

    #[test]
    fn operator_and_off_by_one_in_loop_condition() {
        let src = "function take(xs, n) {\n  const out = [];\n  for (let i = 0; i <= n; i++) {\n    out.push(xs[i]);\n  }\n  return out;\n}\n";
        let c = candidates(
            Language::Javascript,
            "src/t.js",
            src,
            (1, 7),
            "AssertionError: Expected values to be strictly deep-equal",
        );
        assert!(has(&c, "operator-mutation", "i < n;"));
        assert!(has(&c, "off-by-one", "i <= n - 1;"));
        assert!(has(&c, "negate-condition", "!(i <= n)"));
    }

    #[test]
    fn rust_unwrap_and_overflow() {
        let src = "pub fn port(s: &str) -> u16 {\n    let n: u16 = s.trim().parse().unwrap();\n    n\n}\n\npub fn tail(xs: &[i32], n: usize) -> usize {\n    xs.len() - n\n}\n";
        let c = candidates(
            Language::Rust,
            "src/lib.rs",
            src,
            (2, 2),
            "called `Result::unwrap()` on an `Err` value",
        );
        assert_eq!(c[0].0, "rust-unwrap");
        assert!(has(
            &c,
            "rust-unwrap",
            "s.trim().parse().unwrap_or_default()"
        ));
        assert!(has(
            &c,
            "rust-unwrap",
            "let Ok(n) = s.trim().parse() else { return 0; };"
        ));
        let c = candidates(
            Language::Rust,
            "src/lib.rs",
            src,
            (7, 7),
            "attempt to subtract with overflow",
        );
        assert_eq!(c[0].0, "checked-arithmetic");
        assert!(c[0].1.contains("xs.len().saturating_sub(n)"));
    }

    #[test]
    fn exception_handler_and_missing_init() {
        let src = "import json\n\n\ndef load(text):\n    cfg = json.loads(text)\n    return cfg\n";
        let c = candidates(
            Language::Python,
            "cfg.py",
            src,
            (5, 5),
            "json.decoder.JSONDecodeError: Expecting value",
        );
        assert!(has(
            &c,
            "exception-handler",
            "    try:\n        cfg = json.loads(text)\n    except ValueError:\n"
        ));
        let js =
            "function f(xs) {\n  for (const x of xs) {\n    total += x;\n  }\n  return total;\n}\n";
        let c = candidates(
            Language::Javascript,
            "f.js",
            js,
            (3, 3),
            "ReferenceError: total is not defined",
        );
        assert!(has(&c, "missing-initialization", "{\n  let total = "));
        let cs = "int sum(int *xs, int n) {\n    int total;\n    for (int i = 0; i < n; i++) total += xs[i];\n    return total;\n}\n";
        let c = candidates(Language::C, "s.c", cs, (1, 5), "Assertion failed");
        assert!(has(&c, "missing-initialization", "int total = 0;"));
        // The function's own deliberate error is never wrapped in a handler.
        let js = "function flag(raw) {\n  if (raw === 'yes') return true;\n  throw new TypeError('bad flag');\n}\n";
        let c = candidates(
            Language::Javascript,
            "f.js",
            js,
            (3, 3),
            "TypeError: bad flag",
        );
        assert!(!c.iter().any(|(t, _)| t == "exception-handler"), "{c:#?}");
    }

    #[test]
    fn a_constant_fallback_is_not_mutated() {
        let js = "function count(m, k) {\n  return (m.get(k) || []).length;\n}\n";
        let c = candidates(Language::Javascript, "c.js", js, (2, 2), "AssertionError");
        assert!(
            !c.iter()
                .any(|(_, s)| s.contains("&& []") || s.contains("([]).length")),
            "{c:#?}"
        );
        assert!(has(&c, "operator-mutation", "(m.get(k)).length"), "{c:#?}");
    }

    #[test]
    fn wrong_variable_prefers_unused_names_and_the_checked_value() {
        let js = "function delay(n, { base = 1, max = 10 } = {}) {\n  const raw = base * 2 ** n;\n  return Math.min(raw, base);\n}\n";
        let c = candidates(Language::Javascript, "d.js", js, (3, 3), "AssertionError");
        let first = c
            .iter()
            .position(|(t, s)| t == "wrong-variable" && s.contains("Math.min(raw, max)"))
            .expect("unused option proposed");
        let other = c
            .iter()
            .position(|(t, s)| t == "wrong-variable" && s.contains("Math.min(raw, n)"))
            .expect("used name proposed");
        assert!(first < other, "{c:#?}");
        let py = "class Q:\n    def limit_for(self, t):\n        limit = self.over.get(t)\n        if limit is not None:\n            return self.default\n        return 0\n";
        let c = candidates(Language::Python, "q.py", py, (5, 5), "AssertionError");
        assert!(
            has(&c, "wrong-variable", "            return limit\n"),
            "{c:#?}"
        );
    }

    #[test]
    fn api_swaps_field_swaps_and_progress_fixes() {
        let py = "def strip(path, prefix):\n    return path.lstrip(prefix)\n";
        let c = candidates(Language::Python, "p.py", py, (2, 2), "AssertionError");
        assert!(has(&c, "api-swap", "path.removeprefix(prefix)"));
        let cs = "struct rb { int head; int tail; int buf[8]; };\nint peek(struct rb *r) {\n    return r->buf[r->tail];\n}\n";
        let c = candidates(Language::C, "r.c", cs, (3, 3), "check failed");
        assert!(has(&c, "wrong-variable", "r->buf[r->head]"));
        let rs = "pub fn join(hi: u32, lo: u32) -> u32 {\n    (hi >> 8) | lo\n}\n";
        let c = candidates(Language::Rust, "src/lib.rs", rs, (2, 2), "assertion");
        assert!(has(&c, "operator-mutation", "(hi << 8) | lo"));
        let js = "function count(s, sub) {\n  let n = 0;\n  let i = s.indexOf(sub);\n  while (i !== -1) {\n    n++;\n    i = s.indexOf(sub, i);\n  }\n  return n;\n}\n";
        let c = candidates(Language::Javascript, "c.js", js, (1, 9), "timed out");
        assert!(
            has(&c, "off-by-one", "i = s.indexOf(sub, i) + 1;")
                || has(&c, "off-by-one", "s.indexOf(sub, i + 1)")
        );
    }

    #[test]
    fn c_bounds_guard_uses_the_declared_array_size() {
        let cs = "#define DEPTH 4\nstruct st { int stack[DEPTH]; int depth; };\nint push(struct st *s, int v) {\n    s->stack[s->depth++] = v;\n    return 0;\n}\n";
        let c = candidates(Language::C, "s.c", cs, (4, 4), "stack-buffer-overflow");
        assert!(
            has(
                &c,
                "bounds-guard",
                "if (s->depth >= DEPTH) {\n        return 0;"
            ),
            "{c:?}"
        );
    }

    #[test]
    fn rust_unwrap_prefers_the_error_variant_named_after_the_function() {
        let src = "pub enum ParseError { TooLong, BadHeader(usize), BadContentLength }\n\npub fn content_length(v: &str) -> Result<usize, ParseError> {\n    Ok(v.trim().parse::<usize>().unwrap())\n}\n";
        let c = candidates(
            Language::Rust,
            "src/lib.rs",
            src,
            (4, 4),
            "called `Result::unwrap()` on an `Err` value",
        );
        let first_map_err = c
            .iter()
            .find(|(t, s)| t == "rust-unwrap" && s.contains(".map_err(|_| "))
            .unwrap();
        assert!(
            first_map_err
                .1
                .contains(".map_err(|_| ParseError::BadContentLength)?"),
            "{}",
            first_map_err.1
        );
    }

    #[test]
    fn c_null_in_condition_takes_the_guarded_branch() {
        let cs = "long get_int(const char *v, long def) {\n    if (*v == '\\0')\n        return def;\n    return 1;\n}\n";
        let c = candidates(
            Language::C,
            "k.c",
            cs,
            (2, 2),
            "SEGV on unknown address; load of null pointer",
        );
        assert_eq!(c[0].0, "null-guard");
        assert!(
            c[0].1.contains("if (v == NULL || *v == '\\0')"),
            "{}",
            c[0].1
        );
        assert!(has(
            &c,
            "null-guard",
            "if (v == NULL) {\n        return def;"
        ));
    }

    #[test]
    fn candidates_never_break_syntax_and_are_unique() {
        let src = "def f(a, b):\n    if a < b and b:\n        return a[b - 1]\n    return None\n";
        let c = candidates(
            Language::Python,
            "x.py",
            src,
            (1, 4),
            "IndexError: list index out of range",
        );
        let mut texts: Vec<&String> = c.iter().map(|(_, s)| s).collect();
        let n = texts.len();
        texts.dedup();
        assert_eq!(texts.len(), n);
        for (_, s) in &c {
            let t = parse_text(Language::Python, s).unwrap();
            assert_eq!(error_count(&t), 0, "{s}");
        }
        assert!(has(&c, "off-by-one", "return a[b]\n"));
        let c = candidates(
            Language::Python,
            "x.py",
            src,
            (3, 3),
            "IndexError: list index out of range",
        );
        assert!(has(&c, "wrong-variable", "return b[b - 1]"));
    }
}
