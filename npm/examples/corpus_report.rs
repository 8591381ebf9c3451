//! Runs every suite of the shared corpus (`tests/**/*.suite.yaml`) natively
//! and prints `{ "<path relative to tests/>": SuiteReport }` as JSON, so the
//! JavaScript tests can check that the wasm agrees with Rust case for case.
//!
//! `cargo run -p portcullis-wasm --example corpus_report [-- <tests dir>]`
//!
//! With `--calls` first it prints instead, for every suite, its policy as
//! text and the calls of its cases: `[{ "file", "policy", "calls": [...] }]`
//! (for the test that checks the two ways a verdict crosses to JavaScript).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn suites(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            suites(&path, out);
        } else if path.to_string_lossy().ends_with(".suite.yaml") {
            out.push(path);
        }
    }
}

/// The suite's policy as text (written as text, from its `policy_file`, or
/// a `policy:` mapping as JSON, which is also YAML) and the calls of its cases, or `None` when it has neither.
fn calls_of(suite: &str, dir: &Path) -> Option<serde_json::Value> {
    let suite = portcullis::yaml_to_json(suite).ok()?;
    let policy = match (suite.get("policy_file"), suite.get("policy")) {
        (Some(serde_json::Value::String(file)), _) => fs::read_to_string(dir.join(file)).ok()?,
        (_, Some(serde_json::Value::String(text))) => text.clone(),
        (_, Some(policy)) => policy.to_string(),
        _ => return None,
    };
    let calls: Vec<&serde_json::Value> = suite
        .get("cases")?
        .as_array()?
        .iter()
        .filter_map(|case| case.get("call"))
        .collect();
    Some(serde_json::json!({ "policy": policy, "calls": calls }))
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let calls = args.first().is_some_and(|a| a == "--calls");
    if calls {
        args.remove(0);
    }
    let root = args.first().map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests"),
        PathBuf::from,
    );
    let mut files = Vec::new();
    suites(&root, &mut files);
    files.sort();
    let mut reports = BTreeMap::new();
    let mut suite_calls = BTreeMap::new();
    for file in &files {
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let text = match fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                return ExitCode::FAILURE;
            }
        };
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        if calls {
            if let Some(found) = calls_of(&text, &dir) {
                suite_calls.insert(name, found);
            }
            continue;
        }
        let suite = match portcullis::Suite::from_yaml(&text) {
            Ok(suite) => suite,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                return ExitCode::FAILURE;
            }
        };
        let load = |f: &str| fs::read_to_string(dir.join(f)).map_err(|e| e.to_string());
        reports.insert(name, suite.run(&load));
    }
    let json = if calls {
        serde_json::to_string(&suite_calls)
    } else {
        serde_json::to_string(&reports)
    };
    match json {
        Ok(json) => match writeln!(std::io::stdout(), "{json}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
