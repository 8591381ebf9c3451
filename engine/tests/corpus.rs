//! Runs every test suite of the shared corpus (`tests/**/*.suite.yaml` at
//! the repository root) and fails with each failing case's reasons.

use std::fs;
use std::path::{Path, PathBuf};

use portcullis::Suite;

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

#[test]
fn the_corpus_passes() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut files = Vec::new();
    suites(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no suites under {}", root.display());
    let mut failures = Vec::new();
    let mut cases = 0;
    for file in &files {
        let text = fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let suite = Suite::from_yaml(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let load = |name: &str| fs::read_to_string(dir.join(name)).map_err(|e| e.to_string());
        let report = suite.run(&load);
        cases += report.cases.len();
        for case in report.cases.iter().filter(|c| !c.passed) {
            failures.push(format!(
                "{}:{} `{}`\n    {}",
                file.display(),
                case.line,
                case.name,
                case.failures.join("\n    ")
            ));
        }
    }
    println!("{cases} cases in {} suites", files.len());
    if failures.is_empty() {
        Ok(())
    } else {
        eprintln!("{}", failures.join("\n"));
        Err(format!("{} of {cases} cases failed", failures.len()))
    }
}
