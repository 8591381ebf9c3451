use portcullis::{EvalOptions, Policy, Timestamp, ToolCall};
fn main() {
    let policy = Policy::from_yaml("version: \"1\"\ndefaults: { approval: approve }\nrules:\n  - name: last\n    match: { tool: target_tool, server: target-server }\n    approval: auto\n").expect("policy");
    let mut call = ToolCall::new("target_tool");
    call.server = Some("target-server".into());
    call.arguments = serde_json::json!({"path": "/srv/report.csv", "amount": 5})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut o = EvalOptions::new();
    o.trace(false);
    let now = Timestamp::from_unix_seconds(0);
    let mut n = 0;
    for _ in 0..10000 {
        if policy.evaluate_with(&call, now, &o).is_allowed() {
            n += 1;
        }
    }
    println!("{n}");
}
