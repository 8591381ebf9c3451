//! Runs every suite of the shared corpus (`tests/**/*.suite.yaml`) natively
//! and prints `{ "<path relative to tests/>": SuiteReport }` as JSON, so the
//! JavaScript tests can check that the wasm agrees with Rust case for case.
//!
//! `cargo run -p portcullis-wasm --example corpus_report [-- <tests dir>]`

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

fn main() -> ExitCode {
    let root = std::env::args().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests"),
        PathBuf::from,
    );
    let mut files = Vec::new();
    suites(&root, &mut files);
    files.sort();
    let mut reports = BTreeMap::new();
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
        let suite = match portcullis::Suite::from_yaml(&text) {
            Ok(suite) => suite,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                return ExitCode::FAILURE;
            }
        };
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let load = |f: &str| fs::read_to_string(dir.join(f)).map_err(|e| e.to_string());
        reports.insert(name, suite.run(&load));
    }
    match serde_json::to_string(&reports) {
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
