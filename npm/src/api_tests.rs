//! The JSON shapes JavaScript sees, checked natively.

use serde_json::{Value, json};

use super::*;

const POLICY: &str = r#"version: "1"
defaults:
  risk_level: medium
  approval: approve
rules:
  - name: mcp_read
    match: { type: "read_file" }
    risk_level: low
    approval: auto
  - name: mcp_delete
    match: { type: "delete_file" }
    risk_level: critical
    approval: block
"#;

/// 2026-01-07T12:00:00Z
const NOON: f64 = 1_767_787_200_000.0;

fn policy() -> Result<Policy, String> {
    load_policy(POLICY).map_err(|e| e.message)
}

/// The value at a JSON pointer (`/trace/1/rule`), `null` when absent.
fn at<'v>(value: &'v Value, pointer: &str) -> &'v Value {
    value.pointer(pointer).unwrap_or(&Value::Null)
}

fn parse(json: &str) -> Result<Value, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

fn eval(call: &str, options: Option<&str>) -> Result<Value, String> {
    parse(&verdict_json(&evaluate(
        &policy()?,
        CallJson::Text(call),
        options,
        None,
        || NOON,
    )))
}

#[test]
fn a_verdict_has_the_camel_case_fields_js_reads() -> Result<(), String> {
    let v = eval(r#"{"tool":"delete_file","server":"fs"}"#, None)?;
    assert_eq!(at(&v, "/decision"), "deny");
    assert_eq!(at(&v, "/code"), "rule_block");
    assert_eq!(at(&v, "/rule"), "mcp_delete");
    assert_eq!(at(&v, "/riskLevel"), "critical");
    assert!(at(&v, "/riskScore").as_u64().is_some_and(|s| s >= 90));
    assert!(at(&v, "/reason").as_str().is_some_and(|r| !r.is_empty()));
    assert!(at(&v, "/factors").is_array());
    assert!(at(&v, "/compliance").is_array());
    assert!(v.get("approvalLevel").is_some());
    assert_eq!(at(&v, "/trace/1/rule"), "mcp_delete");
    assert_eq!(at(&v, "/trace/1/line"), 10);
    assert_eq!(at(&v, "/action/server"), "fs");
    Ok(())
}

#[test]
fn stringified_objects_read_like_text_without_the_duplicate_check() -> Result<(), String> {
    let p = policy()?;
    for call in [
        r#"{"tool":"delete_file","server":"fs"}"#,
        r#"{"tool":"read_file","arguments":{"path":"/a"}}"#,
    ] {
        let text = verdict_json(&evaluate(&p, CallJson::Text(call), None, None, || NOON));
        let object = verdict_json(&evaluate(
            &p,
            CallJson::Stringified(call),
            None,
            None,
            || NOON,
        ));
        assert_eq!(text, object);
    }
    let typo = parse(&verdict_json(&evaluate(
        &p,
        CallJson::Stringified(r#"{"tool":"x","sever":1}"#),
        None,
        None,
        || NOON,
    )))?;
    let reason = at(&typo, "/reason").as_str().unwrap_or_default();
    assert!(
        reason.contains("invalid tool call: unknown field `sever`"),
        "{reason}"
    );
    Ok(())
}

#[test]
fn trace_can_be_left_out() -> Result<(), String> {
    let v = eval(r#"{"tool":"delete_file"}"#, Some(r#"{"trace":false}"#))?;
    assert_eq!(at(&v, "/rule"), "mcp_delete");
    assert_eq!(at(&v, "/trace"), &json!([]));
    Ok(())
}

#[test]
fn bad_calls_and_options_are_denies_that_say_why() -> Result<(), String> {
    let cases = [
        (r#"{"tool":"x","sever":"y"}"#, None, "unknown field `sever`"),
        (r#"{"tool":"x","tool":"y"}"#, None, "duplicate"),
        (r#"{"tool": "#, None, "at line 1"),
        (r#""read_file""#, None, "invalid tool call"),
        (
            r#"{"tool":"read_file"}"#,
            Some(r#"{"now":true}"#),
            "invalid options",
        ),
        (
            r#"{"tool":"read_file"}"#,
            Some(r#"{"now":"noon"}"#),
            "`noon`",
        ),
        (
            r#"{"tool":"read_file"}"#,
            Some(r#"{"nw":1}"#),
            "unknown field `nw`",
        ),
    ];
    for (call, options, says) in cases {
        let v = eval(call, options)?;
        assert_eq!(at(&v, "/decision"), "deny", "{call} {options:?}");
        assert_eq!(at(&v, "/code"), "invalid_call", "{call} {options:?}");
        let reason = at(&v, "/reason").as_str().unwrap_or_default();
        assert!(reason.contains(says), "{reason} lacks {says}");
        assert!(reason.starts_with("Denied: "), "{reason}");
    }
    Ok(())
}

#[test]
fn now_comes_from_js_then_options_then_the_clock() -> Result<(), String> {
    let p = load_policy(
        r#"version: "1"
rules:
  - name: office_hours
    match: { type: "*" }
    conditions: { time_after: "09:00", time_before: "17:00" }
    risk_level: low
    approval: auto
"#,
    )
    .map_err(|e| e.message)?;
    let call = r#"{"tool":"read_file"}"#;
    let decide = |options: Option<&str>, now: Option<Now>, clock: f64| -> Result<Value, String> {
        let json = verdict_json(&evaluate(&p, CallJson::Text(call), options, now, || clock));
        Ok(at(&parse(&json)?, "/decision").clone())
    };
    let night = NOON - 10.0 * 3_600_000.0;
    assert_eq!(decide(None, None, NOON)?, "allow");
    assert_eq!(decide(None, None, night)?, "deny");
    let at_noon = Some(r#"{"now":"2026-01-07T12:00:00Z"}"#);
    assert_eq!(decide(at_noon, None, night)?, "allow");
    assert_eq!(decide(at_noon, Some(Now::Millis(night)), NOON)?, "deny");
    Ok(())
}

#[test]
fn policy_errors_carry_every_diagnostic() -> Result<(), String> {
    let Err(error) = load_policy("version: \"1\"\nrules:\n  - name: a\n    mach: {}\n") else {
        return Err("the policy loaded".into());
    };
    let v = parse(&load_error_json(&error))?;
    assert!(
        at(&v, "/message")
            .as_str()
            .is_some_and(|m| m.starts_with("the policy has "))
    );
    let first = &at(&v, "/diagnostics/0");
    assert_eq!(at(first, "/severity"), "error");
    assert_eq!(at(first, "/line"), 4);
    assert_eq!(at(first, "/column"), 5);
    assert!(
        at(first, "/message")
            .as_str()
            .is_some_and(|m| m.contains("`mach`"))
    );
    assert!(at(&v, "/warnings").is_array());
    Ok(())
}

#[test]
fn input_that_is_not_text_is_a_positioned_error() -> Result<(), String> {
    let v = parse(&load_error_json(&LoadError::not_text("policy", "a number")))?;
    assert_eq!(
        at(&v, "/message"),
        "the policy has 1 error: the policy must be YAML text, not a number (line 1, column 1)"
    );
    assert_eq!(at(&v, "/diagnostics/0/kind"), "type");
    let report = parse(&check_failed(&LoadError::too_long("policy", 9, 4)))?;
    assert_eq!(at(&report, "/errors/0/kind"), "limit");
    assert_eq!(at(&report, "/warnings"), &json!([]));
    Ok(())
}

#[test]
fn check_reports_errors_and_warnings_without_failing() -> Result<(), String> {
    let v = parse(&check("rules: [1"))?;
    assert_eq!(at(&v, "/errors/0/kind"), "syntax");
    let v = parse(&check(POLICY))?;
    assert_eq!(v, json!({"errors": [], "warnings": []}));
    Ok(())
}

#[test]
fn messages_get_one_result_each() -> Result<(), String> {
    let batch = r#"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file"}},
                    {"jsonrpc":"2.0","id":2,"method":"tools/list"}]"#;
    let options = Some(r#"{"server":"fs","now":"2026-01-07T12:00:00Z"}"#);
    let v = parse(&evaluate_message(&policy()?, batch, options, None, || 0.0))?;
    assert_eq!(at(&v, "/0/kind"), "tool_call");
    assert_eq!(at(&v, "/0/id"), 1);
    assert_eq!(at(&v, "/0/verdict/decision"), "deny");
    assert_eq!(at(&v, "/0/verdict/action/server"), "fs");
    assert_eq!(at(&v, "/1/kind"), "not_a_tool_call");
    assert_eq!(at(&v, "/1/verdict"), &Value::Null);
    let bad = parse(&evaluate_message(
        &policy()?,
        batch,
        Some(r#"{"servr":1}"#),
        None,
        || 0.0,
    ))?;
    assert_eq!(at(&bad, "/0/kind"), "invalid");
    assert_eq!(at(&bad, "/0/verdict/decision"), "deny");
    // The trace is there by default and left out with `trace: false`; the
    // decision is the same.
    let traced = at(&v, "/0/verdict/trace").as_array().map_or(0, Vec::len);
    assert!(traced > 0, "{v}");
    let quiet = parse(&evaluate_message(
        &policy()?,
        batch,
        Some(r#"{"server":"fs","now":"2026-01-07T12:00:00Z","trace":false}"#),
        None,
        || 0.0,
    ))?;
    assert_eq!(at(&quiet, "/0/verdict/trace"), &json!([]));
    assert_eq!(at(&quiet, "/0/verdict/decision"), "deny");
    assert_eq!(at(&quiet, "/0/verdict/rule"), at(&v, "/0/verdict/rule"));
    Ok(())
}

#[test]
fn names_warnings_and_suites() -> Result<(), String> {
    let p = policy()?;
    assert_eq!(parse(&rule_names(&p))?, json!(["mcp_read", "mcp_delete"]));
    assert_eq!(parse(&warnings(&p))?, json!([]));
    let suite = load_suite(
        "name: s\npolicy_file: p.yaml\ncases:\n  - name: c\n    call: { tool: read_file }\n    expect: { decision: allow }\n",
    )
    .map_err(|e| e.message)?;
    assert_eq!(parse(&policy_files(&suite))?, json!(["p.yaml"]));
    let report = parse(&run_suite(&suite, &|_| Ok(POLICY.to_owned())))?;
    assert_eq!(at(&report, "/cases/0/passed"), true);
    assert_eq!(at(&report, "/cases/0/verdicts/0/rule"), "mcp_read");
    let missing = parse(&run_suite(&suite, &|_| Err("gone".to_owned())))?;
    assert_eq!(at(&missing, "/cases/0/passed"), false);
    let against = parse(&run_suite_against(&suite, &p))?;
    assert_eq!(at(&against, "/cases/0/passed"), true);
    let bad = load_suite("cases: 3").map(|_| ());
    assert!(bad.is_err_and(|e| e.message.starts_with("the test suite has 1 error")));
    Ok(())
}

#[test]
fn the_fallback_verdict_is_a_deny() -> Result<(), String> {
    let v = parse(INTERNAL_DENY)?;
    assert_eq!(at(&v, "/decision"), "deny");
    assert_eq!(at(&v, "/code"), "internal_error");
    let denied = parse(&verdict_json(&denied(
        VerdictCode::LimitExceeded,
        "too big",
    )))?;
    assert_eq!(at(&denied, "/reason"), "Denied: too big.");
    assert_eq!(at(&denied, "/code"), "limit_exceeded");
    Ok(())
}

#[test]
fn the_message_limit_counts_bytes_and_is_a_limit_deny() -> Result<(), String> {
    // 2.1 M two-byte characters: under the limit in UTF-16 units (what
    // JavaScript can measure), over it in UTF-8 bytes.
    let blob = "é".repeat(2_200_000);
    let call = format!(r#"{{"tool":"read_file","arguments":{{"blob":"{blob}"}}}}"#);
    for json in [CallJson::Text(&call), CallJson::Stringified(&call)] {
        let verdict = parse(&verdict_json(&evaluate(
            &policy()?,
            json,
            None,
            None,
            || NOON,
        )))?;
        assert_eq!(at(&verdict, "/decision"), "deny");
        assert_eq!(at(&verdict, "/code"), "limit_exceeded");
        assert!(
            at(&verdict, "/reason")
                .as_str()
                .is_some_and(|r| r.contains("more than the limit"))
        );
    }
    let results = parse(&evaluate_message(&policy()?, &call, None, None, || NOON))?;
    assert_eq!(at(&results, "/0/kind"), "invalid");
    assert_eq!(at(&results, "/0/verdict/code"), "limit_exceeded");
    Ok(())
}
