//! Templates for faults of control flow that leave no crash behind: loops that
//! never advance (hangs) and helpers that are defined but never called
//! (an eviction or cleanup step that was forgotten, so state grows without
//! bound). Both write code only through the language's [`LangSpec`] table
//! and the syntax tree.

use std::collections::HashSet;

use tree_sitter::Node;

use super::lang::Language;
use super::project::{callee_name, function_name, walk};
use super::synth::{Proposal, SiteContext, Template};

/// Names declared as parameters of a function node (receiver excluded), and
/// whether it takes a receiver (`self`).
fn parameters(ctx: &SiteContext<'_>, func: Node<'_>) -> (Vec<String>, bool) {
    let params = func.child_by_field_name("parameters").or_else(|| {
        // C keeps the parameter list on the function declarator.
        let mut d = func.child_by_field_name("declarator")?;
        loop {
            if let Some(p) = d.child_by_field_name("parameters") {
                return Some(p);
            }
            d = d.child_by_field_name("declarator")?;
        }
    });
    let Some(params) = params else {
        return (Vec::new(), false);
    };
    let mut names = Vec::new();
    let mut receiver = false;
    let mut c = params.walk();
    for p in params.named_children(&mut c) {
        if p.kind() == "self_parameter" {
            receiver = true;
            continue;
        }
        if p.kind().contains("comment") {
            continue;
        }
        let name = name_of_param(ctx, p);
        match name {
            Some(n) if n == "self" && names.is_empty() && !receiver => receiver = true,
            Some(n) => names.push(n),
            // A destructured or otherwise unnamed parameter cannot be filled.
            None => names.push(String::new()),
        }
    }
    (names, receiver)
}

fn name_of_param(ctx: &SiteContext<'_>, p: Node<'_>) -> Option<String> {
    if ctx.spec.identifier_kinds.contains(&p.kind()) {
        return Some(ctx.text(p).to_string());
    }
    for field in ["name", "pattern", "left", "declarator"] {
        if let Some(n) = p.child_by_field_name(field) {
            return name_of_param(ctx, n);
        }
    }
    // typed_parameter (Python) keeps the name as its first child.
    p.named_child(0)
        .filter(|n| ctx.spec.identifier_kinds.contains(&n.kind()))
        .map(|n| ctx.text(n).to_string())
}

/// The innermost enclosing class-like container of a function (class body,
/// impl block), or the file.
fn container_of<'a>(func: Node<'a>) -> Option<Node<'a>> {
    let mut cur = func.parent();
    while let Some(c) = cur {
        if matches!(
            c.kind(),
            "class_definition" | "class_declaration" | "class" | "impl_item"
        ) {
            return Some(c);
        }
        cur = c.parent();
    }
    None
}

fn body_of(func: Node<'_>) -> Option<Node<'_>> {
    func.child_by_field_name("body")
}

/// Names of every function called anywhere in `root`.
fn called_names(ctx: &SiteContext<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    walk(ctx.tree.root_node(), &mut |n| {
        if ctx.spec.call_kinds.contains(&n.kind())
            && let Some(c) = callee_name(n, ctx.src)
        {
            out.insert(c);
        }
        // Passed as a value (callbacks, `map(f)`): not "never called".
        if ctx.spec.identifier_kinds.contains(&n.kind())
            || matches!(n.kind(), "property_identifier" | "field_identifier")
        {
            let parent_is_def = n
                .parent()
                .is_some_and(|p| ctx.spec.function_kinds.contains(&p.kind()));
            if !parent_is_def {
                out.insert(ctx.text(n).to_string());
            }
        }
    });
    out
}

const ENTRY_POINTS: &[&str] = &[
    "main",
    "__init__",
    "constructor",
    "new",
    "default",
    "fmt",
    "drop",
    "__repr__",
    "__str__",
    "__len__",
    "__eq__",
    "__hash__",
    "__iter__",
    "__next__",
    "__enter__",
    "__exit__",
];

/// A helper defined next to the failing function but never called anywhere
/// in the file: call it in the failing function, at the first point where its
/// arguments (matched by name) are in scope, and before the function's final
/// statement. Forgotten eviction/cleanup/validation steps look like this.
pub struct MissingCall;
impl Template for MissingCall {
    fn name(&self) -> &'static str {
        "missing-call"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let Some(anchor) = ctx.nodes().into_iter().next() else {
            return;
        };
        let Some(func) = ctx.function_of(anchor).or_else(|| {
            ctx.spec
                .function_kinds
                .contains(&anchor.kind())
                .then_some(anchor)
        }) else {
            return;
        };
        let Some(body) = body_of(func) else { return };
        if !matches!(
            body.kind(),
            "block" | "statement_block" | "compound_statement"
        ) {
            return;
        }
        let fname = function_name(func, ctx.src).unwrap_or_default();
        let container = container_of(func);
        let called = called_names(ctx);
        let (own_params, _) = parameters(ctx, func);
        let mut stmts = Vec::new();
        let mut c = body.walk();
        for s in body.named_children(&mut c) {
            if !s.kind().contains("comment") {
                stmts.push(s);
            }
        }
        if stmts.is_empty() {
            return;
        }
        let mut helpers = Vec::new();
        walk(ctx.tree.root_node(), &mut |n| {
            if ctx.spec.function_kinds.contains(&n.kind()) && n != func {
                helpers.push(n);
            }
        });
        for g in helpers {
            let Some(gname) = function_name(g, ctx.src) else {
                continue;
            };
            if gname == fname
                || called.contains(&gname)
                || ctx.project_calls.contains(&gname)
                || ENTRY_POINTS.contains(&gname.as_str())
                || gname.starts_with("test")
                || container_of(g) != container
                || ctx.function_of(g).is_some()
            {
                continue;
            }
            let (params, receiver) = parameters(ctx, g);
            if params.iter().any(String::is_empty) || params.len() > 3 {
                continue;
            }
            let callee = match (ctx.language, container.is_some(), receiver) {
                (Language::Python, true, true) => format!("self.{gname}"),
                (Language::Javascript, true, _) => {
                    if g.children(&mut g.walk()).any(|c| c.kind() == "static") {
                        continue;
                    }
                    format!("this.{gname}")
                }
                (Language::Rust, true, true) => format!("self.{gname}"),
                (Language::Rust, true, false) => format!("Self::{gname}"),
                (_, true, _) => continue,
                (_, false, _) => gname.clone(),
            };
            let call = format!("{callee}({})", params.join(", "));
            let stmt_text = if ctx.language == Language::Python {
                call.clone()
            } else {
                format!("{call};")
            };
            // First statement index at which every argument is in scope:
            // a parameter of the failing function or a name an earlier
            // statement mentions.
            let mut known: HashSet<String> = own_params.iter().cloned().collect();
            let mut first = None;
            for (i, s) in stmts.iter().enumerate() {
                // A docstring stays first.
                let docstring = i == 0
                    && ctx.language == Language::Python
                    && s.named_child(0).is_some_and(|e| e.kind() == "string");
                if !docstring && params.iter().all(|p| known.contains(p)) {
                    first = Some(i);
                    break;
                }
                walk(*s, &mut |n| {
                    if ctx.spec.identifier_kinds.contains(&n.kind()) {
                        known.insert(ctx.text(n).to_string());
                    }
                });
            }
            let last = stmts.len() - 1;
            let at_end_ok = params.iter().all(|p| known.contains(p));
            let mut points: Vec<(usize, f64, &str)> = Vec::new();
            if let Some(i) = first {
                points.push((i, 0.45, "where its arguments are in scope"));
            }
            if at_end_ok && Some(last) != first {
                points.push((last, 0.4, "before the final statement"));
            }
            for (i, prior, why) in points {
                let s = stmts[i];
                let indent = ctx.indent_of(s);
                out.push(Proposal {
                    start: s.start_byte(),
                    end: s.start_byte(),
                    text: format!("{stmt_text}\n{indent}"),
                    description: format!(
                        "call `{gname}`, defined here but never called, in `{fname}` {why}"
                    ),
                    prior,
                });
            }
        }
    }
}

/// A loop that never finishes because its condition never changes: advance
/// the variable the condition reads and the body never assigns (`i += 1` /
/// `i++` at the end of the body), and in a loop with no exit, break once the
/// body has run. Only in a loop at the fault site, favoured when the evidence
/// says the process hung.
pub struct LoopProgress;
impl Template for LoopProgress {
    fn name(&self) -> &'static str {
        "loop-progress"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let hang = ctx.mentions(&["hang", "did not finish", "timed out", "timeout"]);
        let mut loops: Vec<Node> = ctx
            .nodes()
            .into_iter()
            .filter(|n| ctx.spec.loop_kinds.contains(&n.kind()))
            .collect();
        // A site inside a loop body: the loop around it.
        if let Some(first) = ctx.nodes().into_iter().next() {
            let mut cur = first.parent();
            while let Some(c) = cur {
                if ctx.spec.function_kinds.contains(&c.kind()) {
                    break;
                }
                if ctx.spec.loop_kinds.contains(&c.kind()) {
                    loops.push(c);
                    break;
                }
                cur = c.parent();
            }
        }
        let mut seen = HashSet::new();
        for lp in loops {
            if !seen.insert(lp.id()) {
                continue;
            }
            let Some(body) = lp.child_by_field_name("body") else {
                continue;
            };
            if hang {
                // The whole loop, `for` update clause included.
                self_advance(ctx, lp, out);
            }
            // Missing advances only for `while` loops, which step by hand.
            if !matches!(lp.kind(), "while_statement" | "while_expression") {
                continue;
            }
            let Some(cond) = lp.child_by_field_name("condition") else {
                continue;
            };
            // Variables the condition reads (plain identifiers, not calls).
            let mut reads: Vec<String> = Vec::new();
            walk(cond, &mut |n| {
                if ctx.spec.identifier_kinds.contains(&n.kind())
                    && !n.parent().is_some_and(|p| {
                        ctx.spec.call_kinds.contains(&p.kind())
                            || ctx.spec.member_kinds.contains(&p.kind())
                    })
                {
                    let t = ctx.text(n).to_string();
                    if !reads.contains(&t) && !matches!(t.as_str(), "True" | "true") {
                        reads.push(t);
                    }
                }
            });
            let assigned = assigned_names(ctx, body);
            if hang {
                progress_adjustments(ctx, body, &reads, out);
            }
            let Some(last) = last_statement(body) else {
                continue;
            };
            let indent = ctx.indent_of(last);
            for v in reads.iter().filter(|v| !assigned.contains(*v)) {
                let step = match ctx.language {
                    Language::Python | Language::Rust => format!("{v} += 1"),
                    Language::Javascript | Language::C => format!("{v}++"),
                };
                let semi = if ctx.language == Language::Python {
                    ""
                } else {
                    ";"
                };
                out.push(Proposal {
                    start: last.end_byte(),
                    end: last.end_byte(),
                    text: format!("\n{indent}{step}{semi}"),
                    description: format!(
                        "advance `{v}`, which the loop condition reads and the body never changes"
                    ),
                    prior: if hang { 0.6 } else { 0.3 },
                });
            }
        }
    }
}

/// In a loop that hung, `v = E` where `E` does not mention `v` sets `v` to the
/// same value on every iteration (`e = head->next`, `i = nodes[head].next`):
/// replace the object of a field access or the index of a subscript in `E`
/// with `v` itself (`e = e->next`, `i = nodes[i].next`).
fn self_advance(ctx: &SiteContext<'_>, lp: Node<'_>, out: &mut Vec<Proposal>) {
    walk(lp, &mut |c| {
        if !matches!(c.kind(), "assignment" | "assignment_expression") {
            return;
        }
        let (Some(l), Some(r)) = (
            c.child_by_field_name("left"),
            c.child_by_field_name("right"),
        ) else {
            return;
        };
        if !ctx.spec.identifier_kinds.contains(&l.kind()) {
            return;
        }
        let v = ctx.text(l);
        let mut mentions = false;
        walk(r, &mut |n| {
            mentions |= ctx.spec.identifier_kinds.contains(&n.kind()) && ctx.text(n) == v
        });
        if mentions {
            return;
        }
        let mut slots = Vec::new();
        walk(r, &mut |n| {
            if ctx.spec.member_kinds.contains(&n.kind()) {
                if let Some(o) = n.named_child(0) {
                    slots.push(o);
                }
            } else if ctx.spec.subscript_kinds.contains(&n.kind())
                && let Some(i) = n
                    .child_by_field_name("subscript")
                    .or_else(|| n.child_by_field_name("index"))
                    .or_else(|| n.named_child(1))
            {
                slots.push(i);
            }
        });
        let rs = ctx.text(r);
        for slot in slots {
            let (a, b) = (
                slot.start_byte() - r.start_byte(),
                slot.end_byte() - r.start_byte(),
            );
            let new = format!("{}{v}{}", &rs[..a], &rs[b..]);
            out.push(Proposal {
                start: r.start_byte(),
                end: r.end_byte(),
                text: new.clone(),
                description: format!(
                    "advance from the loop variable: `{v} = {new}` instead of `{v} = {rs}`, which never changes"
                ),
                prior: 0.68,
            });
        }
    });
}

/// In a loop that hung, an assignment to a variable the condition reads,
/// `x = e`, most often lacks a step: `x = e + 1` / `x = e - 1`.
fn progress_adjustments(
    ctx: &SiteContext<'_>,
    body: Node<'_>,
    reads: &[String],
    out: &mut Vec<Proposal>,
) {
    walk(body, &mut |c| {
        if !matches!(c.kind(), "assignment" | "assignment_expression") {
            return;
        }
        let (Some(l), Some(r)) = (
            c.child_by_field_name("left"),
            c.child_by_field_name("right"),
        ) else {
            return;
        };
        let target = ctx.text(l);
        if !reads.iter().any(|v| v == target) {
            return;
        }
        let rhs = ctx.text(r);
        let simple = ctx.spec.identifier_kinds.contains(&r.kind())
            || ctx.spec.call_kinds.contains(&r.kind())
            || ctx.spec.member_kinds.contains(&r.kind())
            || ctx.spec.subscript_kinds.contains(&r.kind());
        let rhs = if simple {
            rhs.to_string()
        } else {
            format!("({rhs})")
        };
        for (op, prior) in [("+", 0.7), ("-", 0.66)] {
            out.push(Proposal {
                start: r.start_byte(),
                end: r.end_byte(),
                text: format!("{rhs} {op} 1"),
                description: format!("make the hung loop progress: `{target} = {rhs} {op} 1`"),
                prior,
            });
        }
    });
}

/// Identifiers assigned (or incremented) anywhere inside `n`.
fn assigned_names(ctx: &SiteContext<'_>, n: Node<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    walk(n, &mut |c| {
        let target = match c.kind() {
            "assignment"
            | "augmented_assignment"
            | "assignment_expression"
            | "augmented_assignment_expression"
            | "compound_assignment_expr" => c.child_by_field_name("left"),
            "update_expression" => c
                .child_by_field_name("argument")
                .or_else(|| c.named_child(0)),
            "let_declaration" => c.child_by_field_name("pattern"),
            "variable_declarator" | "init_declarator" => c
                .child_by_field_name("name")
                .or_else(|| c.child_by_field_name("declarator")),
            _ => None,
        };
        if let Some(t) = target {
            walk(t, &mut |i| {
                if ctx.spec.identifier_kinds.contains(&i.kind()) {
                    out.insert(ctx.text(i).to_string());
                }
            });
        }
        // Passed by reference or mutated through a method call: counts as changed.
        if c.kind() == "reference_expression" || c.kind() == "pointer_expression" {
            walk(c, &mut |i| {
                if ctx.spec.identifier_kinds.contains(&i.kind()) {
                    out.insert(ctx.text(i).to_string());
                }
            });
        }
    });
    out
}

fn last_statement(body: Node<'_>) -> Option<Node<'_>> {
    let mut c = body.walk();
    body.named_children(&mut c)
        .filter(|s| !s.kind().contains("comment"))
        .last()
}

#[cfg(test)]
mod tests {
    use super::super::synth::tests_support::candidates;
    use super::*;

    fn has(c: &[(String, String)], template: &str, needle: &str) -> bool {
        c.iter().any(|(t, s)| t == template && s.contains(needle))
    }

    #[test]
    fn missing_call_invokes_an_unused_method_where_its_argument_exists() {
        let src = "class Cache:\n    def __init__(self):\n        self.seen = {}\n\n    def _evict(self, now):\n        self.seen.clear()\n\n    def add(self, key, clock):\n        \"\"\"Record key.\"\"\"\n        now = clock()\n        self.seen[key] = now\n        return len(self.seen)\n";
        let c = candidates(Language::Python, "app/cache.py", src, (11, 11), "");
        assert!(
            has(
                &c,
                "missing-call",
                "now = clock()\n        self._evict(now)\n        self.seen[key] = now"
            ),
            "{c:#?}"
        );
        // Before the argument exists is never proposed.
        assert!(!has(
            &c,
            "missing-call",
            "\"\"\"Record key.\"\"\"\n        self._evict(now)\n"
        ));
    }

    #[test]
    fn missing_call_in_javascript_and_rust_methods() {
        let js = "class C {\n  prune() {\n    this.m.clear();\n  }\n  set(k, v) {\n    this.m.set(k, v);\n    return this;\n  }\n}\n";
        let c = candidates(Language::Javascript, "src/c.js", js, (6, 6), "");
        assert!(
            has(
                &c,
                "missing-call",
                "set(k, v) {\n    this.prune();\n    this.m.set(k, v);"
            ),
            "{c:#?}"
        );
        let rs = "pub struct Q { v: Vec<u32> }\nimpl Q {\n    fn trim(&mut self) {\n        self.v.truncate(8);\n    }\n    pub fn push(&mut self, x: u32) {\n        self.v.push(x);\n    }\n}\n";
        let c = candidates(Language::Rust, "src/lib.rs", rs, (7, 7), "");
        assert!(
            has(&c, "missing-call", "self.trim();\n        self.v.push(x);"),
            "{c:#?}"
        );
    }

    #[test]
    fn loop_progress_advances_the_unchanged_condition_variable() {
        let js = "function count(s, t) {\n  let n = 0;\n  let i = 0;\n  while (i < s.length) {\n    if (s[i] === t) n++;\n  }\n  return n;\n}\n";
        let c = candidates(Language::Javascript, "src/a.js", js, (4, 6), "hang");
        assert!(
            has(&c, "loop-progress", "if (s[i] === t) n++;\n    i++;\n  }"),
            "{c:#?}"
        );
        let py =
            "def skip(s, i):\n    while i < len(s) and s[i] == ' ':\n        pass\n    return i\n";
        let c = candidates(Language::Python, "app/a.py", py, (2, 3), "hang");
        assert!(
            has(&c, "loop-progress", "        pass\n        i += 1\n"),
            "{c:#?}"
        );
        let c_src = "int f(int n) {\n    int i = 0, s = 0;\n    while (i < n) {\n        s += i;\n    }\n    return s;\n}\n";
        let c = candidates(Language::C, "src/f.c", c_src, (3, 5), "hang");
        assert!(
            has(&c, "loop-progress", "s += i;\n        i++;\n"),
            "{c:#?}"
        );
        // `s` is assigned in the body: never "advanced".
        assert!(!has(&c, "loop-progress", "s++;"), "{c:#?}");
    }

    #[test]
    fn loop_progress_advances_from_the_loop_variable() {
        let c_src = "long sum(struct node **b, int n) {\n    long s = 0;\n    for (int i = 0; i < n; i++) {\n        for (struct node *e = b[i]; e != NULL; e = b[i]->next)\n            s += e->v;\n    }\n    return s;\n}\n";
        let c = candidates(Language::C, "src/s.c", c_src, (4, 4), "hang");
        assert!(
            has(&c, "loop-progress", "e != NULL; e = e->next)"),
            "{c:#?}"
        );
        let rs = "pub fn rank(nodes: &[(usize, usize)], head: usize, t: usize) -> usize {\n    let mut i = head;\n    let mut r = 0;\n    while i != t {\n        r += 1;\n        i = nodes[head].1;\n    }\n    r\n}\n";
        let c = candidates(Language::Rust, "src/lib.rs", rs, (4, 7), "hang");
        assert!(has(&c, "loop-progress", "i = nodes[i].1;"), "{c:#?}");
    }

    #[test]
    fn loop_progress_steps_an_assignment_of_a_hung_loop() {
        let py = "def first(xs, t):\n    lo, hi = 0, len(xs)\n    while lo < hi:\n        mid = (lo + hi) // 2\n        if xs[mid] < t:\n            lo = mid\n        else:\n            hi = mid\n    return lo\n";
        let c = candidates(Language::Python, "app/a.py", py, (5, 5), "hang");
        assert!(
            has(&c, "loop-progress", "            lo = mid + 1\n"),
            "{c:#?}"
        );
        // Not without evidence of a hang.
        let c = candidates(Language::Python, "app/a.py", py, (5, 5), "assertionerror");
        assert!(!has(&c, "loop-progress", "lo = mid + 1"), "{c:#?}");
    }
}

/// Is `n` an empty or zero value: `{}`, `[]`, `0`, `""`, `new Map()`,
/// `Vec::new()`, `HashMap::new()`, `String::new()`, `dict()`, `set()`?
fn is_fresh_value(ctx: &SiteContext<'_>, n: Node<'_>) -> bool {
    let t = ctx.text(n).trim();
    matches!(
        t,
        "{}" | "[]"
            | "0"
            | "0.0"
            | "\"\""
            | "''"
            | "dict()"
            | "list()"
            | "set()"
            | "0u64"
            | "0usize"
            | "0i64"
    ) || (t.starts_with("new ") && t.ends_with("()"))
        || (t.ends_with("::new()") && !t.contains(' '))
        || (t.ends_with("::default()") && !t.contains(' '))
}

/// The variable a statement initialises with a fresh value, if it is one.
fn fresh_initialisation<'a>(ctx: &SiteContext<'a>, s: Node<'a>) -> Option<&'a str> {
    let mut found = None;
    let mut c = s.walk();
    let inner: Vec<Node> = std::iter::once(s).chain(s.named_children(&mut c)).collect();
    for n in inner {
        let (name, value) = match n.kind() {
            "assignment" | "assignment_expression" => (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ),
            "let_declaration" => (
                n.child_by_field_name("pattern"),
                n.child_by_field_name("value"),
            ),
            "variable_declarator" => (
                n.child_by_field_name("name"),
                n.child_by_field_name("value"),
            ),
            "init_declarator" => (
                n.child_by_field_name("declarator"),
                n.child_by_field_name("value"),
            ),
            _ => (None, None),
        };
        if let (Some(name), Some(value)) = (name, value) {
            let name = if name.kind() == "mut_pattern" {
                name.named_child(0).unwrap_or(name)
            } else {
                name
            };
            if ctx.spec.identifier_kinds.contains(&name.kind()) && is_fresh_value(ctx, value) {
                found = Some(ctx.text(name));
            }
        }
    }
    found
}

/// An accumulator reset on every iteration: `x = {}` (or `[]`, `0`,
/// `new Map()`, `Vec::new()`) as a statement of a loop body, where `x` is also
/// used after the loop. Move the initialisation before the loop.
pub struct HoistInitialization;
impl Template for HoistInitialization {
    fn name(&self) -> &'static str {
        "hoist-initialization"
    }
    fn generate(&self, ctx: &SiteContext<'_>, out: &mut Vec<Proposal>) {
        let mut loops: Vec<Node> = ctx
            .nodes()
            .into_iter()
            .filter(|n| ctx.spec.loop_kinds.contains(&n.kind()))
            .collect();
        if let Some(first) = ctx.nodes().into_iter().next() {
            let mut cur = first.parent();
            while let Some(c) = cur {
                if ctx.spec.function_kinds.contains(&c.kind()) {
                    break;
                }
                if ctx.spec.loop_kinds.contains(&c.kind()) {
                    loops.push(c);
                }
                cur = c.parent();
            }
        }
        let mut seen = HashSet::new();
        for lp in loops {
            if !seen.insert(lp.id()) {
                continue;
            }
            let Some(body) = lp.child_by_field_name("body") else {
                continue;
            };
            let stmts: Vec<Node> = {
                let mut c = body.walk();
                body.named_children(&mut c)
                    .filter(|s| !s.kind().contains("comment"))
                    .collect()
            };
            if stmts.len() < 2 {
                continue;
            }
            // Statement after the loop that mentions the name.
            let used_after = |name: &str| {
                let mut n = lp.next_named_sibling();
                while let Some(s) = n {
                    let mut hit = false;
                    walk(s, &mut |i| {
                        hit |= ctx.spec.identifier_kinds.contains(&i.kind()) && ctx.text(i) == name
                    });
                    if hit {
                        return true;
                    }
                    n = s.next_named_sibling();
                }
                false
            };
            for s in stmts {
                let Some(name) = fresh_initialisation(ctx, s) else {
                    continue;
                };
                if !used_after(name) {
                    continue;
                }
                let line_start = ctx.src[..s.start_byte()].rfind('\n').map_or(0, |i| i + 1);
                let line_end = ctx.src[s.end_byte()..]
                    .find('\n')
                    .map_or(ctx.src.len(), |i| s.end_byte() + i + 1);
                // The statement must sit alone on its lines.
                if !ctx.src[line_start..s.start_byte()].trim().is_empty()
                    || !ctx.src[s.end_byte()..line_end].trim().is_empty()
                {
                    continue;
                }
                let indent = ctx.indent_of(lp);
                let text = format!(
                    "{}\n{indent}{}",
                    ctx.text(s),
                    &ctx.src[lp.start_byte()..line_start]
                );
                out.push(Proposal {
                    start: lp.start_byte(),
                    end: line_end,
                    text,
                    description: format!(
                        "initialise `{name}` once before the loop instead of on every iteration"
                    ),
                    prior: 0.55,
                });
            }
        }
    }
}

#[cfg(test)]
mod hoist_tests {
    use super::super::synth::tests_support::candidates;
    use super::*;

    #[test]
    fn hoists_an_accumulator_reset_inside_a_loop() {
        let py = "def totals(rows):\n    for user, n in rows:\n        acc = {}\n        acc[user] = acc.get(user, 0) + n\n    return acc\n";
        let c = candidates(Language::Python, "app/t.py", py, (4, 4), "");
        assert!(
            c.iter().any(|(t, s)| t == "hoist-initialization"
                && s == "def totals(rows):\n    acc = {}\n    for user, n in rows:\n        acc[user] = acc.get(user, 0) + n\n    return acc\n"),
            "{c:#?}"
        );
        let js = "function sum(xs) {\n  for (const x of xs) {\n    let t = 0;\n    t += x;\n  }\n  return t;\n}\n";
        let c = candidates(Language::Javascript, "src/s.js", js, (4, 4), "");
        assert!(
            c.iter().any(|(t, s)| t == "hoist-initialization"
                && s.contains("{\n  let t = 0;\n  for (const x of xs) {\n    t += x;\n  }")),
            "{c:#?}"
        );
        // A per-iteration temporary not used after the loop stays.
        let py = "def f(rows):\n    out = []\n    for r in rows:\n        tmp = []\n        tmp.append(r)\n        out.append(tmp)\n    return out\n";
        let c = candidates(Language::Python, "app/t.py", py, (5, 5), "");
        assert!(
            !c.iter().any(|(t, _)| t == "hoist-initialization"),
            "{c:#?}"
        );
    }
}
