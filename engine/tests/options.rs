//! Evaluation options: without the trace, every entry point decides exactly
//! as with it, and a suite case that checks a trace still gets one.

use portcullis::{EvalOptions, MessageContext, Policy, Suite, Timestamp};

const POLICY: &str = "
version: 1
defaults: { risk_level: medium, approval: approve }
rules:
  - name: reads
    match: { type: read_* }
    approval: auto
  - name: no_deletes
    match: { type: delete_* }
    approval: block
";

fn no_trace() -> EvalOptions {
    let mut options = EvalOptions::new();
    options.trace(false);
    options
}

fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_767_787_200_000)
}

#[test]
fn evaluate_json_with_decides_as_evaluate_json() -> Result<(), String> {
    let policy = Policy::from_yaml(POLICY).map_err(|e| e.to_string())?;
    for call in [
        r#"{"tool":"read_file","arguments":{"path":"/tmp/a"}}"#,
        r#"{"tool":"delete_file","arguments":{"path":"/tmp/a"}}"#,
        r#"{"tool":"send_mail"}"#,
        r#"{"tool":"#,
    ] {
        let full = policy.evaluate_json(call, now());
        let mut fast = policy.evaluate_json_with(call, now(), &no_trace());
        assert!(fast.trace.is_empty(), "{call}: {:?}", fast.trace);
        fast.trace.clone_from(&full.trace);
        assert_eq!(fast, full, "{call}");
    }
    Ok(())
}

#[test]
fn evaluate_message_with_decides_as_evaluate_message() -> Result<(), String> {
    let policy = Policy::from_yaml(POLICY).map_err(|e| e.to_string())?;
    let batch = r#"[
        {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{}}},
        {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_file","arguments":{}}},
        {"jsonrpc":"2.0","id":3,"method":"tools/list"}
    ]"#;
    let context = MessageContext::default();
    let full = policy.evaluate_message(batch, &context, now());
    let fast = policy.evaluate_message_with(batch, &context, now(), &no_trace());
    assert_eq!(fast.len(), 3);
    for (mut fast, full) in fast.into_iter().zip(full) {
        if let (Some(f), Some(g)) = (fast.verdict.as_mut(), full.verdict.as_ref()) {
            assert!(f.trace.is_empty());
            assert!(!g.trace.is_empty());
            f.trace.clone_from(&g.trace);
        }
        assert_eq!(fast, full);
    }
    Ok(())
}

#[test]
fn run_against_with_keeps_the_trace_a_case_checks() -> Result<(), String> {
    let policy = Policy::from_yaml(POLICY).map_err(|e| e.to_string())?;
    let suite = Suite::from_yaml(
        "
name: options
cases:
  - name: a read is allowed
    call: { tool: read_file }
    expect: { decision: allow, rule: reads }
  - name: a delete is denied, after checking reads
    call: { tool: delete_file }
    expect:
      decision: deny
      trace:
        - { rule: reads, matched: false }
        - { rule: no_deletes, matched: true }
",
    )
    .map_err(|e| e.to_string())?;
    let report = suite.run_against_with(&policy, &no_trace());
    assert_eq!(report.passed(), 2, "{report:#?}");
    let traces: Vec<usize> = report
        .cases
        .iter()
        .flat_map(|c| c.verdicts.iter().map(|v| v.trace.len()))
        .collect();
    assert_eq!(traces, [0, 2]);
    let traced = suite.run_against(&policy);
    let first = traced.cases.first().and_then(|c| c.verdicts.first());
    assert_eq!(first.map(|v| v.trace.len()), Some(1));
    Ok(())
}
