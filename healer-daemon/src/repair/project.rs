//! A parsed view of the repository under repair: its source files, their
//! syntax trees, and the functions they define (with the calls each makes),
//! which is what localization walks and synthesis edits.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use tree_sitter::{Node, Parser, Tree};

use super::RepairError;
use super::lang::{LangSpec, Language};

/// Directories never considered part of the project's own sources.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    "build",
    "dist",
];

/// Every file under `root` (relative paths, sorted), skipping build outputs and VCS data.
pub fn list_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(root.join(&rel)) else {
            continue;
        };
        for entry in rd.flatten() {
            let name = entry.file_name();
            let Ok(ft) = entry.file_type() else { continue };
            let child = rel.join(&name);
            if ft.is_dir() {
                if !SKIP_DIRS.contains(&name.to_string_lossy().as_ref()) {
                    stack.push(child);
                }
            } else if ft.is_file() {
                out.push(child);
            }
        }
    }
    out.sort();
    out
}

/// A function definition found in the project.
#[derive(Debug, Clone)]
pub struct FunctionInfo {
    pub name: String,
    pub file: PathBuf,
    /// 1-based inclusive line range of the whole definition.
    pub start_line: u32,
    pub end_line: u32,
    /// Names of the functions it calls (callee identifiers, last path segment).
    pub calls: Vec<String>,
    pub is_test: bool,
}

/// One parsed source file.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub tree: Tree,
    pub is_test_file: bool,
}

pub struct Project {
    pub root: PathBuf,
    pub language: Language,
    pub files: Vec<SourceFile>,
    pub functions: Vec<FunctionInfo>,
}

impl Project {
    /// Parse every source file of `language` under `root`.
    pub fn load(root: &Path, language: Language) -> Result<Project, RepairError> {
        let spec = language.spec();
        let mut parser = Parser::new();
        parser
            .set_language(&language.ts_language())
            .map_err(|e| RepairError::Internal(format!("loading {language} grammar: {e}")))?;
        let mut files = Vec::new();
        let mut functions = Vec::new();
        for rel in list_files(root) {
            if Language::of_path(&rel) != Some(language) {
                continue;
            }
            let abs = root.join(&rel);
            let text = std::fs::read_to_string(&abs)
                .map_err(|e| RepairError::io(format!("reading {}", abs.display()), e))?;
            let Some(tree) = parser.parse(&text, None) else {
                continue;
            };
            let is_test_file = is_test_path(spec, &rel);
            collect_functions(
                spec,
                &rel,
                &text,
                tree.root_node(),
                is_test_file,
                &mut functions,
            );
            files.push(SourceFile {
                path: rel,
                text,
                tree,
                is_test_file,
            });
        }
        Ok(Project {
            root: root.to_path_buf(),
            language,
            files,
            functions,
        })
    }

    pub fn file(&self, rel: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == rel)
    }

    /// Map a path as printed in evidence (absolute from another machine,
    /// relative to some cwd, `./src/x.rs`) to a project file: exact first,
    /// then the project file sharing the longest path suffix.
    pub fn resolve(&self, printed: &str) -> Option<PathBuf> {
        let printed = printed.trim_start_matches("file://");
        let p = Path::new(printed);
        if let Ok(stripped) = p.strip_prefix(&self.root)
            && self.file(stripped).is_some()
        {
            return Some(stripped.to_path_buf());
        }
        let norm: Vec<String> = p
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let mut best: Option<(usize, &Path)> = None;
        for f in &self.files {
            let comps: Vec<String> = f
                .path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let common = comps
                .iter()
                .rev()
                .zip(norm.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            // The file name itself must match; a whole-path match wins.
            if common == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((n, bp)) => {
                    common > n || (common == n && comps.len() < bp.components().count())
                }
            };
            if better {
                best = Some((common, &f.path));
            }
        }
        best.map(|(_, p)| p.to_path_buf())
    }

    /// The innermost function containing `line` of `file`.
    pub fn function_at(&self, file: &Path, line: u32) -> Option<&FunctionInfo> {
        self.functions
            .iter()
            .filter(|f| f.file == file && f.start_line <= line && line <= f.end_line)
            .min_by_key(|f| f.end_line - f.start_line)
    }

    /// Non-test function definitions with this name.
    pub fn functions_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FunctionInfo> {
        self.functions
            .iter()
            .filter(move |f| f.name == name && !f.is_test)
    }

    /// Is this line test code (a test file, or a test function / test module inside a source file)?
    pub fn is_test_code(&self, file: &Path, line: u32) -> bool {
        match self.file(file) {
            Some(sf) if sf.is_test_file => true,
            Some(_) => self
                .functions
                .iter()
                .any(|f| f.file == file && f.is_test && f.start_line <= line && line <= f.end_line),
            None => true,
        }
    }
}

pub fn is_test_path(spec: &LangSpec, rel: &Path) -> bool {
    let s = format!("/{}", rel.to_string_lossy());
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    spec.test_path_markers
        .iter()
        .any(|m| s.contains(m) || name.starts_with(m.trim_matches('/')))
}

/// Name of a function-like node, when it has one.
pub fn function_name(node: Node, src: &str) -> Option<String> {
    let name_node = node.child_by_field_name("name").or_else(|| {
        // C: function_definition -> declarator (function_declarator) -> declarator (identifier)
        let mut d = node.child_by_field_name("declarator")?;
        while let Some(inner) = d.child_by_field_name("declarator") {
            d = inner;
        }
        Some(d)
    });
    if let Some(n) = name_node {
        return n.utf8_text(src.as_bytes()).ok().map(str::to_string);
    }
    // JS: `const f = (..) => ..` names the arrow function through its declarator.
    let parent = node.parent()?;
    if matches!(
        parent.kind(),
        "variable_declarator" | "pair" | "assignment_expression"
    ) {
        let n = parent
            .child_by_field_name("name")
            .or_else(|| parent.child_by_field_name("key"))
            .or_else(|| parent.child_by_field_name("left"))?;
        let t = n.utf8_text(src.as_bytes()).ok()?;
        return Some(t.rsplit('.').next().unwrap_or(t).to_string());
    }
    None
}

/// The callee name of a call node: the last identifier of `f`, `obj.f`, `a::b::f`.
pub fn callee_name(call: Node, src: &str) -> Option<String> {
    let f = call
        .child_by_field_name("function")
        .or_else(|| call.child_by_field_name("macro"))?;
    let text = f.utf8_text(src.as_bytes()).ok()?;
    let last = text.rsplit(['.', ':', '>']).next().unwrap_or(text).trim();
    let ok = !last.is_empty() && last.chars().all(|c| c.is_alphanumeric() || c == '_');
    ok.then(|| last.to_string())
}

fn collect_functions(
    spec: &LangSpec,
    file: &Path,
    src: &str,
    root: Node,
    is_test_file: bool,
    out: &mut Vec<FunctionInfo>,
) {
    let mut stack = vec![(root, false)];
    while let Some((node, in_test)) = stack.pop() {
        let mut test_here = in_test;
        if node.kind() == "mod_item" {
            // Rust `#[cfg(test)] mod tests { .. }`.
            let name = node
                .child_by_field_name("name")
                .and_then(|n| n.utf8_text(src.as_bytes()).ok())
                .unwrap_or("");
            if name == "tests" || preceding_attributes(node, src).contains("test") {
                test_here = true;
            }
        }
        if spec.function_kinds.contains(&node.kind())
            && let Some(name) = function_name(node, src)
        {
            let attrs = preceding_attributes(node, src);
            let is_test = is_test_file
                || test_here
                || attrs.contains("test")
                || (name.starts_with("test") && spec.name != "javascript");
            let mut calls = Vec::new();
            walk(node, &mut |n| {
                if spec.call_kinds.contains(&n.kind())
                    && let Some(c) = callee_name(n, src)
                    && !calls.contains(&c)
                {
                    calls.push(c);
                }
            });
            out.push(FunctionInfo {
                name,
                file: file.to_path_buf(),
                start_line: node.start_position().row as u32 + 1,
                end_line: node.end_position().row as u32 + 1,
                calls,
                is_test,
            });
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            stack.push((child, test_here));
        }
    }
}

/// Text of the attribute items (`#[test]`, `#[cfg(test)]`) right before a Rust item.
fn preceding_attributes(node: Node, src: &str) -> String {
    let mut out = String::new();
    let mut prev = node.prev_named_sibling();
    while let Some(p) = prev {
        if p.kind() != "attribute_item" {
            break;
        }
        out.push_str(p.utf8_text(src.as_bytes()).unwrap_or(""));
        prev = p.prev_named_sibling();
    }
    out
}

/// Pre-order walk over named nodes.
pub fn walk<'a>(node: Node<'a>, f: &mut dyn FnMut(Node<'a>)) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        f(n);
        let mut cursor = n.walk();
        let children: Vec<Node<'a>> = n.named_children(&mut cursor).collect();
        for c in children.into_iter().rev() {
            stack.push(c);
        }
    }
}

/// Cache of parsed trees keyed by path; used by synthesis to re-check candidates.
pub fn parse_text(language: Language, text: &str) -> Option<Tree> {
    let mut parser = Parser::new();
    parser.set_language(&language.ts_language()).ok()?;
    parser.parse(text, None)
}

/// Count syntax errors in a tree (ERROR and MISSING nodes).
pub fn error_count(tree: &Tree) -> usize {
    let mut n = 0;
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            n += 1;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return n;
            }
        }
    }
}

/// Files grouped by their path for quick lookup.
pub fn by_path(project: &Project) -> HashMap<&Path, &SourceFile> {
    project
        .files
        .iter()
        .map(|f| (f.path.as_path(), f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_with(files: &[(&str, &str)], lang: Language) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let abs = dir.path().join(p);
            std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
            std::fs::write(abs, t).unwrap();
        }
        let p = Project::load(dir.path(), lang).unwrap();
        (dir, p)
    }

    #[test]
    fn resolves_foreign_absolute_paths_by_suffix() {
        let (_d, p) = project_with(
            &[
                ("app/orders.py", "def f():\n    return 1\n"),
                ("tests/test_o.py", ""),
            ],
            Language::Python,
        );
        assert_eq!(
            p.resolve("/home/ci/checkout/app/orders.py"),
            Some(PathBuf::from("app/orders.py"))
        );
        assert_eq!(p.resolve("/usr/lib/python3.11/unittest/case.py"), None);
    }

    #[test]
    fn finds_functions_calls_and_rust_test_modules() {
        let src = "pub fn a(x: u32) -> u32 { b(x) + 1 }\nfn b(x: u32) -> u32 { x }\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn t() { assert_eq!(a(1), 2); }\n}\n";
        let (_d, p) = project_with(&[("src/lib.rs", src)], Language::Rust);
        let a = p.functions_named("a").next().unwrap();
        assert_eq!(a.calls, vec!["b".to_string()]);
        assert!(!a.is_test);
        assert!(p.is_test_code(Path::new("src/lib.rs"), 7));
        assert!(!p.is_test_code(Path::new("src/lib.rs"), 1));
    }

    #[test]
    fn names_c_functions_and_js_arrows() {
        let (_d, p) = project_with(
            &[("s.c", "static int add(int a, int b) { return a + b; }\n")],
            Language::C,
        );
        assert_eq!(p.functions[0].name, "add");
        let (_d2, p2) = project_with(
            &[(
                "src/m.js",
                "const pick = (xs) => xs[0];\nmodule.exports = { pick };\n",
            )],
            Language::Javascript,
        );
        assert_eq!(p2.functions[0].name, "pick");
    }
}
