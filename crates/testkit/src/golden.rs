//! Golden files (tests/golden/*.txt): each file is a list of blocks, each block a command, what it
//! prints and its exit status, as hledger's `.test` files keep them:
//!
//! ```text
//! # a comment (any line outside a block)
//! $ lingtan inventory SAMPLE --json
//! …the expected stdout, line by line…
//! >2
//! …the expected stderr (no `>2` section: stderr must be empty)…
//! >= 0
//! ```
//!
//! The command is split like a shell's words (`'…'` and `"…"` quote, nothing else is special).
//! A word that is a placeholder the test defines (`SAMPLE`, `PROJECT`, `ROOT` …), or starts with
//! one followed by `/`, is replaced by its path; in the output the path is replaced back by the
//! placeholder. Every command runs with `LINGTAN_NOW` = [`crate::NOW`] and `LINGTAN_LANG` = `en`.
//! `LINGTAN_UPDATE_GOLDEN=1` rewrites the outputs and exit statuses (commands and comments kept):
//! review the diff.

use crate::{root, Cli, Ran};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One block of a golden file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The 1-based line of its `$ lingtan` header.
    pub line: usize,
    /// The comment and blank lines before it (kept when the file is rewritten).
    pub before: Vec<String>,
    /// The command as written (after `$ `).
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}

/// A parsed golden file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub blocks: Vec<Block>,
    /// Comment and blank lines after the last block.
    pub trailer: Vec<String>,
}

/// Why a golden file cannot be read.
fn bad(name: &str, line: usize, what: &str) -> String {
    format!("{name}:{line}: {what}")
}

/// The text of an output section: its lines, each ended by a newline, unless the section ends
/// with `\ no newline at end` (as `diff` writes it).
fn section(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if l == NO_NEWLINE && i + 1 == lines.len() {
            out.pop();
            break;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

const NO_NEWLINE: &str = "\\ no newline at end";

/// Parse a golden file's text (`name` names it in errors).
pub fn parse(name: &str, text: &str) -> Result<File, String> {
    #[derive(PartialEq)]
    enum At {
        Outside,
        Stdout,
        Stderr,
    }
    let mut blocks = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    let mut at = At::Outside;
    let mut current: Option<(usize, String, Vec<String>, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        match at {
            At::Outside => {
                if let Some(cmd) = line.strip_prefix("$ ") {
                    if !cmd.starts_with("lingtan ") {
                        return Err(bad(name, n, "a block's command starts with `$ lingtan `"));
                    }
                    current = Some((n, cmd.to_string(), Vec::new(), Vec::new()));
                    at = At::Stdout;
                } else if line.is_empty() || line.starts_with('#') {
                    comments.push(line.to_string());
                } else {
                    return Err(bad(
                        name,
                        n,
                        "outside a block only `# comments`, blank lines and `$ lingtan …` may stand",
                    ));
                }
            }
            At::Stdout | At::Stderr => {
                let Some((_, _, out, err)) = current.as_mut() else {
                    return Err(bad(name, n, "output outside a block"));
                };
                if let Some(code) = line.strip_prefix(">= ") {
                    let exit: i32 = code
                        .trim()
                        .parse()
                        .map_err(|_| bad(name, n, "`>= N`: N is the exit status, a number"))?;
                    let Some((line, command, out, err)) = current.take() else {
                        return Err(bad(name, n, "`>=` outside a block"));
                    };
                    blocks.push(Block {
                        line,
                        before: std::mem::take(&mut comments),
                        command,
                        stdout: section(&out),
                        stderr: section(&err),
                        exit,
                    });
                    at = At::Outside;
                } else if line == ">2" && at == At::Stdout {
                    at = At::Stderr;
                } else if at == At::Stdout {
                    out.push(line.to_string());
                } else {
                    err.push(line.to_string());
                }
            }
        }
    }
    if let Some((line, ..)) = current {
        return Err(bad(name, line, "the block has no `>= N` (its exit status)"));
    }
    Ok(File {
        blocks,
        trailer: comments,
    })
}

/// The lines of an output section as written in a golden file.
fn write_section(out: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
        out.push_str(NO_NEWLINE);
        out.push('\n');
    }
}

impl File {
    /// The file's text (what [`parse`] reads back).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            for c in &b.before {
                out.push_str(c);
                out.push('\n');
            }
            let _ = writeln!(out, "$ {}", b.command);
            write_section(&mut out, &b.stdout);
            if !b.stderr.is_empty() {
                out.push_str(">2\n");
                write_section(&mut out, &b.stderr);
            }
            let _ = writeln!(out, ">= {}", b.exit);
        }
        for c in &self.trailer {
            out.push_str(c);
            out.push('\n');
        }
        out
    }
}

/// Split a command line into words: `'…'` and `"…"` quote (spaces included), nothing else is
/// special.
pub fn words(command: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c == ' ' => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err(format!("unclosed quote in `{command}`"));
    }
    if in_word {
        out.push(word);
    }
    Ok(out)
}

/// The runner: a binary and the placeholders a golden file's commands may use.
#[derive(Debug, Clone)]
pub struct Golden {
    cli: Cli,
    dir: PathBuf,
    vars: Vec<(String, String)>,
}

impl Golden {
    /// Golden files in tests/golden/, run with `cli`; `ROOT` is the repository's root.
    pub fn new(cli: &Cli) -> Golden {
        let root = root().display().to_string();
        Golden {
            cli: cli.clone(),
            dir: crate::root().join("tests/golden"),
            vars: vec![("ROOT".into(), root)],
        }
    }

    /// A placeholder: `name` in a command stands for `path`.
    pub fn with(mut self, name: &str, path: impl AsRef<Path>) -> Golden {
        self.vars
            .insert(0, (name.into(), path.as_ref().display().to_string()));
        self
    }

    fn arg(&self, word: &str) -> String {
        for (name, value) in &self.vars {
            if word == name {
                return value.clone();
            }
            if let Some(rest) = word.strip_prefix(&format!("{name}/")) {
                return format!("{value}/{rest}");
            }
        }
        word.to_string()
    }

    /// Output with the placeholders' paths replaced back by their names (longest path first).
    fn shown(&self, text: &str) -> String {
        let mut vars: Vec<&(String, String)> = self.vars.iter().collect();
        vars.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
        let mut out = text.to_string();
        for (name, value) in vars {
            out = out.replace(value.as_str(), name);
        }
        out
    }

    /// Run one block's command; what it printed, placeholders put back.
    pub fn run(&self, block: &Block) -> Ran {
        let words = words(&block.command).unwrap_or_else(|e| panic!("line {}: {e}", block.line));
        let args: Vec<String> = words[1..].iter().map(|w| self.arg(w)).collect();
        let ran = self.cli.run(&args);
        Ran {
            code: ran.code,
            stdout: self.shown(&ran.stdout),
            stderr: self.shown(&ran.stderr),
        }
    }

    /// Run every block of tests/golden/`name` and compare its stdout, stderr and exit status with
    /// the file (or rewrite the file under `LINGTAN_UPDATE_GOLDEN=1`).
    pub fn check(&self, name: &str) {
        self.check_each(name, |_, _| {});
    }

    /// As [`Golden::check`], calling `after(block, ran)` after each block's command has run (e.g.
    /// to check that a refused command left the project as it was).
    pub fn check_each(&self, name: &str, mut after: impl FnMut(&Block, &Ran)) {
        let path = self.dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{} is the test itself (commands and expected output); it must be readable: {e}",
                path.display()
            )
        });
        let mut file = parse(name, &text).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !file.blocks.is_empty(),
            "{name}: a golden file without a `$ lingtan` block tests nothing"
        );
        let update = std::env::var_os("LINGTAN_UPDATE_GOLDEN").is_some();
        let mut problems = Vec::new();
        for block in &mut file.blocks {
            let ran = self.run(block);
            after(block, &ran);
            if update {
                block.stdout = ran.stdout;
                block.stderr = ran.stderr;
                block.exit = ran.code.unwrap_or(-1);
                continue;
            }
            if ran.code != Some(block.exit) {
                problems.push(format!(
                    "{name}:{}: `{}` exited {:?}, the file says {}\n{}",
                    block.line, block.command, ran.code, block.exit, ran.stderr
                ));
            }
            for (what, expected, actual) in [
                ("stdout", &block.stdout, &ran.stdout),
                ("stderr", &block.stderr, &ran.stderr),
            ] {
                if expected != actual {
                    problems.push(format!(
                        "{name}:{}: `{}`: {what} differs from the file ({} vs {} lines):\n{}",
                        block.line,
                        block.command,
                        expected.lines().count(),
                        actual.lines().count(),
                        first_differences(expected, actual)
                    ));
                }
            }
        }
        if update {
            std::fs::write(&path, file.render()).unwrap_or_else(|e| {
                panic!(
                    "LINGTAN_UPDATE_GOLDEN: {} must be writable: {e}",
                    path.display()
                )
            });
            return;
        }
        assert!(
            problems.is_empty(),
            "the golden file is the expected behaviour; it differs:\n{}\nif the change is intended, regenerate with LINGTAN_UPDATE_GOLDEN=1 and review the diff",
            problems.join("\n")
        );
    }
}

/// The first five differing lines, for a failure message.
fn first_differences(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    (0..e.len().max(a.len()))
        .filter(|&i| e.get(i) != a.get(i))
        .take(5)
        .map(|i| {
            format!(
                "line {}:\n  expected: {}\n  actual:   {}",
                i + 1,
                e.get(i).unwrap_or(&"(none)"),
                a.get(i).unwrap_or(&"(none)")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_golden_file_reads_back_as_it_was_written() {
        let text = "# unknown unit\n$ lingtan activity add PROJECT --source 'Grid power'\n>2\nerror\n>= 1\n\n$ lingtan inventory SAMPLE\nline 1\n\nline 3\n>= 0\n";
        let file = parse("t.txt", text).expect("a well-formed file parses");
        assert_eq!(file.blocks.len(), 2, "two `$ lingtan` headers, two blocks");
        assert_eq!(
            file.blocks[0].stderr, "error\n",
            "`>2` opens the stderr section"
        );
        assert_eq!(
            file.blocks[0].stdout, "",
            "nothing before `>2`: stdout must be empty"
        );
        assert_eq!(
            file.blocks[1].stdout, "line 1\n\nline 3\n",
            "a blank line inside a block is output, not a separator"
        );
        assert_eq!(file.blocks[1].exit, 0, "`>= 0` is the exit status");
        assert_eq!(
            file.render(),
            text,
            "rewriting must not change a file that holds"
        );
    }

    #[test]
    fn output_without_a_final_newline_survives_a_rewrite() {
        let file = File {
            blocks: vec![Block {
                line: 1,
                before: vec![],
                command: "lingtan x".into(),
                stdout: "no newline".into(),
                stderr: String::new(),
                exit: 0,
            }],
            trailer: vec![],
        };
        let back = parse("t.txt", &file.render()).expect("a rendered file parses");
        assert_eq!(back, file, "the missing newline is marked, not lost");
    }

    #[test]
    fn a_block_without_its_exit_status_is_refused() {
        let e = parse("t.txt", "$ lingtan inventory X\nout\n").expect_err("no `>=`");
        assert!(
            e.contains("t.txt:1") && e.contains(">= N"),
            "the error names the file, the block's line and what is missing: {e}"
        );
    }

    #[test]
    fn every_golden_file_of_the_repository_is_well_formed() {
        let dir = crate::root().join("tests/golden");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("tests/golden exists") {
            let path = entry.expect("a readable folder entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("txt") {
                continue;
            }
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).expect("a golden file is UTF-8 text");
            let file = parse(&name, &text).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !file.blocks.is_empty(),
                "{name}: a golden file without a `$ lingtan` block tests nothing"
            );
            assert_eq!(
                file.render(),
                text,
                "{name}: an update run must rewrite a file that holds to the same bytes"
            );
            seen += 1;
        }
        assert!(
            seen >= 7,
            "the seven golden files of the inventory, the report, the import and bad input must be found"
        );
    }

    #[test]
    fn quotes_keep_spaces_inside_one_word() {
        assert_eq!(
            words("lingtan source add P 'Grid power' --citation ' ' \"主厂区 3301\"")
                .expect("quotes are closed"),
            vec![
                "lingtan",
                "source",
                "add",
                "P",
                "Grid power",
                "--citation",
                " ",
                "主厂区 3301"
            ],
            "a quoted word is one argument, its spaces kept"
        );
    }
}
