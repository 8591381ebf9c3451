//! Keeps the README honest: its first policy, call and verdict JSON, and its
//! test-suite example, are run here exactly as written there.

use std::fs;
use std::path::Path;

use portcullis::{Policy, Suite, Timestamp, ToolCall};
use serde_json::{Value, json};

fn readme() -> Result<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    fs::read_to_string(path).map_err(|e| e.to_string())
}

/// The first fenced block of `lang` after `heading`.
fn block(text: &str, heading: &str, lang: &str) -> Result<String, String> {
    let after = |from: usize, needle: &str| {
        text.get(from..)
            .and_then(|rest| rest.find(needle))
            .map(|i| i + from)
            .ok_or(format!("`{needle}` not found after `{heading}`"))
    };
    let fence = format!("```{lang}\n");
    let open = after(after(0, heading)?, &fence)? + fence.len();
    let close = after(open, "```")?;
    text.get(open..close)
        .map(str::to_owned)
        .ok_or("bad block".to_owned())
}

#[test]
fn the_first_policy_gives_the_verdict_shown() -> Result<(), String> {
    let text = readme()?;
    let policy = Policy::from_yaml(&block(&text, "## A first policy", "yaml")?)
        .map_err(|e| e.to_string())?;
    let mut call = ToolCall::new("write_file");
    call.server = Some("dev-filesystem".into());
    call.arguments = json!({ "path": "/data/../etc/passwd", "content": "x" })
        .as_object()
        .cloned()
        .unwrap_or_default();
    let now = Timestamp::parse_rfc3339("2026-11-21T14:30:00Z").map_err(|e| e.to_string())?;
    let verdict = serde_json::to_value(policy.evaluate(&call, now)).map_err(|e| e.to_string())?;
    let shown: Value = serde_json::from_str(&block(&text, "The verdict as JSON", "json")?)
        .map_err(|e| e.to_string())?;
    assert_eq!(verdict, shown);
    Ok(())
}

#[test]
fn the_suite_example_passes() -> Result<(), String> {
    let text = readme()?;
    let suite = Suite::from_yaml(&block(&text, "## Policy test suites", "yaml")?)
        .map_err(|e| e.to_string())?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/aegis");
    let report = suite.run(&|name| fs::read_to_string(dir.join(name)).map_err(|e| e.to_string()));
    let failures: Vec<_> = report.cases.iter().filter(|c| !c.passed).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(report.cases.len(), 3);
    Ok(())
}
