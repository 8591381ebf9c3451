//! The benchmark policies and call, shared by `engine.rs` (criterion) and
//! `scaling.rs` (interleaved timing).

use portcullis::ToolCall;
use serde_json::json;

/// The policy sizes measured.
pub const SIZES: [usize; 3] = [10, 1_000, 10_000];

/// A policy of `n` rules; the last one matches `target_tool` on `target-server`.
pub fn policy_text(n: usize) -> String {
    let mut text = String::from(
        "version: \"1\"\ndefaults: { risk_level: medium, approval: approve }\nrules:\n",
    );
    for i in 0..n.saturating_sub(1) {
        let rule = match i % 10 {
            0 => format!(
                "  - name: r{i}\n    match: {{ tool: \"tool_{i}\" }}\n    conditions: {{ param_gt: {{ amount: {i} }} }}\n    approval: block\n"
            ),
            1..=3 => {
                format!("  - name: r{i}\n    match: {{ tool: \"tool_{i}\" }}\n    approval: auto\n")
            }
            4 | 5 => format!(
                "  - name: r{i}\n    match: {{ tool: \"family_{i}_*\", server: \"srv-{}-*\" }}\n    approval: approve\n",
                i % 50
            ),
            6 => format!(
                "  - name: r{i}\n    match: {{ server: \"host-{i}\" }}\n    risk_level: high\n    approval: block\n"
            ),
            7 => format!(
                "  - name: r{i}\n    match: {{ tool: [\"a_{i}\", \"b_{i}\"], namespace: filesystem }}\n    approval: auto\n"
            ),
            8 => format!(
                "  - name: r{i}\n    match: {{ resource: \"/data/{i}/*\" }}\n    approval: approve\n"
            ),
            _ => format!("  - name: r{i}\n    match: {{ tool: \"*_{i}\" }}\n    approval: auto\n"),
        };
        text.push_str(&rule);
    }
    text.push_str("  - name: last\n    match: { tool: target_tool, server: target-server }\n    approval: auto\n");
    text
}

/// The call decided: `tool` on `target-server` with a path and an amount.
pub fn call(tool: &str) -> ToolCall {
    let mut call = ToolCall::new(tool);
    call.server = Some("target-server".into());
    if let serde_json::Value::Object(map) = json!({ "path": "/srv/report.csv", "amount": 5 }) {
        call.arguments = map;
    }
    call
}
