//! Every input limit of [`Limits`], just over and just under: a policy over
//! a load-time limit is an error that names the limit at its line and
//! column; a call over a call-time limit is a deny with code
//! `limit_exceeded` whose reason names the limit. Small custom limits keep
//! the cases cheap; the "billion laughs" document and deep nesting run
//! against the defaults.

use portcullis::{
    Decision, Diagnostic, DiagnosticKind, Limits, MessageContext, MessageKind, Policy, Timestamp,
    ToolCall, Verdict, VerdictCode,
};
use serde_json::{Map, Value as Json, json};

const ALLOW_ALL: &str = "version: \"1\"\ndefaults: { approval: auto }\n";

fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_767_787_200_000)
}

fn limits(change: impl FnOnce(&mut Limits)) -> Limits {
    let mut limits = Limits::default();
    change(&mut limits);
    limits
}

/// Loading fails, and among the errors is one of `kind` at `line`:`column`
/// whose message contains `says`.
fn refused(
    source: &str,
    limits: &Limits,
    kind: DiagnosticKind,
    says: &str,
    (line, column): (u32, u32),
) -> Result<Diagnostic, String> {
    let errors = match Policy::from_yaml_with_limits(source, limits) {
        Ok(_) => return Err(format!("loaded, but should be over a limit:\n{source}")),
        Err(errors) => errors,
    };
    let found = errors
        .iter()
        .find(|d| d.kind == kind)
        .ok_or_else(|| format!("no {kind:?} error in {errors}"))?;
    assert!(found.message.contains(says), "{found}");
    assert_eq!((found.line(), found.column()), (line, column), "{found}");
    assert!(errors.to_string().contains(says), "{errors}");
    Ok(found.clone())
}

/// Loads, or fails only for reasons other than a limit.
fn no_limit_error(source: &str, limits: &Limits) {
    if let Err(errors) = Policy::from_yaml_with_limits(source, limits) {
        let over: Vec<String> = errors
            .iter()
            .filter(|d| d.kind == DiagnosticKind::Limit)
            .map(ToString::to_string)
            .collect();
        assert!(over.is_empty(), "{over:?}");
    }
}

fn loads(source: &str, limits: &Limits) -> Result<Policy, String> {
    Policy::from_yaml_with_limits(source, limits).map_err(|e| format!("{e}\n{source}"))
}

/// A deny for an exceeded limit whose reason contains `says`.
fn over_limit(verdict: &Verdict, says: &str) {
    assert_eq!(verdict.decision, Decision::Deny, "{}", verdict.reason);
    assert_eq!(
        verdict.code,
        VerdictCode::LimitExceeded,
        "{}",
        verdict.reason
    );
    assert!(verdict.reason.contains(says), "{}", verdict.reason);
}

fn call_with(tool: &str, arguments: Json) -> ToolCall {
    let mut call = ToolCall::new(tool);
    call.arguments = match arguments {
        Json::Object(map) => map,
        _ => Map::new(),
    };
    call
}

/// `depth` levels of lists around a number (1 is the number itself).
fn nested(depth: usize) -> Json {
    (1..depth).fold(json!(1), |inner, _| json!([inner]))
}

// ---------------------------------------------------------------------------
// Load-time limits.

#[test]
fn policy_text_is_counted_in_bytes() -> Result<(), String> {
    let limits = limits(|l| l.max_policy_bytes = ALLOW_ALL.len() + 10);
    // A comment of ten bytes in six characters.
    let exact = format!("{ALLOW_ALL}#ééééx");
    assert_eq!(exact.len(), limits.max_policy_bytes);
    loads(&exact, &limits)?;
    let over = format!("{exact}x");
    let says = format!(
        "the text is {} bytes, more than the limit of {} bytes",
        over.len(),
        limits.max_policy_bytes
    );
    refused(&over, &limits, DiagnosticKind::Limit, &says, (1, 1))?;
    Ok(())
}

#[test]
fn policy_text_over_the_default_limit_is_refused_before_it_is_read() -> Result<(), String> {
    let over = format!("{ALLOW_ALL}#{}", "x".repeat(4 * 1024 * 1024));
    let says = "more than the limit of 4194304 bytes";
    refused(
        &over,
        &Limits::default(),
        DiagnosticKind::Limit,
        says,
        (1, 1),
    )?;
    Ok(())
}

/// Nine aliases of nine aliases of ..., ten levels deep: 9^10 (3.5 billion)
/// nodes once expanded.
fn billion_laughs() -> String {
    let mut doc = String::from("a0: &a0 [lol]\n");
    for i in 1..=10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    doc
}

#[test]
fn a_billion_laughs_document_is_refused_with_default_limits() -> Result<(), String> {
    let doc = billion_laughs();
    let says = "the document expands to more than 1000000 nodes";
    // Level 5 weighs 125,479 nodes, and the whole document up to it
    // 141,170; the seventh alias of level 5 on line 7 takes the count past
    // 1,000,000, long before anything near 9^10 is built.
    let error = refused(
        &doc,
        &Limits::default(),
        DiagnosticKind::Limit,
        says,
        (7, 40),
    )?;
    assert_eq!(error.text, "*a5");
    assert!(error.help.is_some_and(|h| h.contains("alias")));
    Ok(())
}

#[test]
fn yaml_nodes_are_counted_with_alias_copies() -> Result<(), String> {
    // A mapping, a key, a list and its two items (5), then a key (1) and
    // an alias that copies the list (3): 9 nodes.
    let doc = "a: &x [1, 2]\nb: *x\n";
    no_limit_error(doc, &limits(|l| l.max_yaml_nodes = 9));
    let says = "the document expands to more than 8 nodes";
    refused(
        doc,
        &limits(|l| l.max_yaml_nodes = 8),
        DiagnosticKind::Limit,
        says,
        (2, 4),
    )?;
    Ok(())
}

#[test]
fn yaml_nesting_stops_at_the_limit() -> Result<(), String> {
    let limits = limits(|l| l.max_yaml_depth = 4);
    // The top mapping and three lists: four levels.
    no_limit_error("x: [[[1]]]\n", &limits);
    let says = "the document is nested deeper than 4 levels";
    refused(
        "x: [[[[1]]]]\n",
        &limits,
        DiagnosticKind::Limit,
        says,
        (1, 7),
    )?;
    Ok(())
}

#[test]
fn deep_nesting_is_refused_with_default_limits() -> Result<(), String> {
    // 64 levels are allowed: the top mapping and 63 lists.
    no_limit_error(
        &format!("x: {}1{}\n", "[".repeat(63), "]".repeat(63)),
        &Limits::default(),
    );
    let says = "nested deeper than 64 levels";
    let just_over = format!("x: {}1{}\n", "[".repeat(64), "]".repeat(64));
    refused(
        &just_over,
        &Limits::default(),
        DiagnosticKind::Limit,
        says,
        (1, 67),
    )?;
    // A hundred thousand levels stop too, without recursion; the YAML
    // scanner reads ahead, so its own bound (255 levels of `[`) answers
    // first, at the 256th `[`, and the message still names the limit.
    let deep = format!("x: {}", "[".repeat(100_000));
    refused(
        &deep,
        &Limits::default(),
        DiagnosticKind::Limit,
        says,
        (1, 259),
    )?;
    let deep_blocks: String = (0..1000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    refused(
        &deep_blocks,
        &Limits::default(),
        DiagnosticKind::Limit,
        says,
        (65, 65),
    )?;
    Ok(())
}

fn rules(n: usize) -> String {
    let mut out = String::from("version: \"1\"\nrules:\n");
    for i in 0..n {
        out.push_str(&format!("  - {{ name: r{i}, approval: auto }}\n"));
    }
    out
}

#[test]
fn rules_are_counted() -> Result<(), String> {
    let limits = limits(|l| l.max_rules = 3);
    loads(&rules(3), &limits)?;
    let says = "the policy has 4 rules, more than the limit of 3";
    refused(&rules(4), &limits, DiagnosticKind::Limit, says, (3, 3))?;
    Ok(())
}

#[test]
fn glob_patterns_are_counted_in_bytes_wherever_they_are() -> Result<(), String> {
    let limits = limits(|l| l.max_pattern_bytes = 8);
    let policy = |pattern: &str| {
        format!(
            "version: \"1\"\nservers:\n  \"{pattern}\": trusted\nrisk:\n  sensitive_resources: [\"{pattern}\"]\n\
             rules:\n  - name: r\n    match: {{ tool: \"{pattern}\" }}\n    conditions:\n      param_glob: {{ path: \"{pattern}\" }}\n"
        )
    };
    loads(&policy("abcdefg*"), &limits)?;
    // Nine bytes in five characters.
    let over = policy("éééé*");
    let says = "the pattern is 9 bytes, more than the limit of 8";
    refused(&over, &limits, DiagnosticKind::Limit, says, (3, 3))?;
    let errors = Policy::from_yaml_with_limits(&over, &limits)
        .err()
        .map(|e| e.errors().to_vec())
        .unwrap_or_default();
    let places: Vec<(u32, u32)> = errors
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Limit)
        .map(|d| (d.line(), d.column()))
        .collect();
    assert_eq!(places, [(3, 3), (5, 25), (8, 20), (10, 27)], "{errors:?}");
    Ok(())
}

fn regex_policy(regex: &str) -> String {
    format!(
        "version: \"1\"\nrules:\n  - name: r\n    conditions:\n      param_matches: {{ query: '{regex}' }}\n    approval: block\n"
    )
}

#[test]
fn regular_expressions_are_counted_in_bytes() -> Result<(), String> {
    let limits = limits(|l| l.max_regex_bytes = 8);
    loads(&regex_policy("drop.*ab"), &limits)?;
    let says = "the regular expression is 9 bytes, more than the limit of 8";
    refused(
        &regex_policy("drop.*abc"),
        &limits,
        DiagnosticKind::Limit,
        says,
        (5, 31),
    )?;
    Ok(())
}

#[test]
fn compiled_regular_expressions_are_bounded() -> Result<(), String> {
    let limits = limits(|l| l.max_regex_compiled_bytes = 10_000);
    loads(&regex_policy("a{10}"), &limits)?;
    let error = refused(
        &regex_policy("a{1000}"),
        &limits,
        DiagnosticKind::Limit,
        "size limit",
        (5, 31),
    )?;
    assert!(error.help.is_some_and(|h| h.contains("repetition")));
    // With the defaults: short to write, too big once compiled.
    refused(
        &regex_policy("(\\w{1000}){100}"),
        &Limits::default(),
        DiagnosticKind::Limit,
        "size limit",
        (5, 31),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Call-time limits.

#[test]
fn argument_depth_is_counted_from_the_arguments_values() -> Result<(), String> {
    let policy = loads(ALLOW_ALL, &limits(|l| l.max_argument_depth = 3))?;
    let under = policy.evaluate(&call_with("t", json!({ "a": nested(3) })), now());
    assert_eq!(under.decision, Decision::Allow, "{}", under.reason);
    let over = policy.evaluate(&call_with("t", json!({ "a": nested(4) })), now());
    over_limit(&over, "nested deeper than 3 levels");
    Ok(())
}

#[test]
fn argument_depth_with_default_limits() -> Result<(), String> {
    let policy = loads(ALLOW_ALL, &Limits::default())?;
    let under = policy.evaluate(&call_with("t", json!({ "a": nested(32) })), now());
    assert_eq!(under.decision, Decision::Allow, "{}", under.reason);
    let over = policy.evaluate(&call_with("t", json!({ "a": nested(33) })), now());
    over_limit(&over, "nested deeper than 32 levels");
    let text = format!(r#"{{"tool":"t","arguments":{{"a":{}}}}}"#, nested(33));
    over_limit(
        &policy.evaluate_json(&text, now()),
        "nested deeper than 32 levels",
    );
    Ok(())
}

#[test]
fn json_nested_past_the_readers_128_levels_is_a_limit_not_invalid_json() -> Result<(), String> {
    let policy = loads(ALLOW_ALL, &Limits::default())?;
    let says = "nested deeper than 128 levels";
    let text = format!(r#"{{"tool":"t","arguments":{{"a":{}}}}}"#, nested(200));
    over_limit(&policy.evaluate_json(&text, now()), says);
    let message = tool_call_message("t", &json!({ "a": nested(200) }));
    let results = policy.evaluate_message(&message, &MessageContext::default(), now());
    let only = results.first().ok_or("no result")?;
    assert_eq!(only.kind, MessageKind::Invalid);
    over_limit(only.verdict.as_ref().ok_or("no verdict")?, says);
    // Found by the fuzzer: too deep and unbalanced, the reader stops at the
    // depth first, so it is the limit that is reported.
    let unbalanced = format!(
        r#"{{"tool":"x","arguments":{{"a":{}1{}}}}}"#,
        "[".repeat(150),
        "]".repeat(25)
    );
    over_limit(&policy.evaluate_json(&unbalanced, now()), says);
    // Invalid JSON stays invalid.
    let broken = policy.evaluate_json(r#"{"tool":"t","arguments":{"a":[1,}}"#, now());
    assert_eq!(broken.code, VerdictCode::InvalidCall, "{}", broken.reason);
    assert!(broken.reason.contains("invalid JSON"), "{}", broken.reason);
    Ok(())
}

#[test]
fn argument_values_are_counted() -> Result<(), String> {
    let policy = loads(ALLOW_ALL, &limits(|l| l.max_argument_values = 10))?;
    // The list and its nine items: ten values.
    let under = policy.evaluate(&call_with("t", json!({ "a": vec![0; 9] })), now());
    assert_eq!(under.decision, Decision::Allow, "{}", under.reason);
    let over = policy.evaluate(
        &call_with("t", json!({ "a": vec![0; 9], "b": null })),
        now(),
    );
    over_limit(&over, "more than 10 values");
    // With the defaults: 10,000.
    let policy = loads(ALLOW_ALL, &Limits::default())?;
    let list = |n: usize| json!({ "a": vec![0; n] });
    let under = policy.evaluate(&call_with("t", list(9_999)), now());
    assert_eq!(under.decision, Decision::Allow, "{}", under.reason);
    over_limit(
        &policy.evaluate(&call_with("t", list(10_000)), now()),
        "more than 10000 values",
    );
    Ok(())
}

fn tool_call_message(tool: &str, arguments: &Json) -> String {
    json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": { "name": tool, "arguments": arguments },
    })
    .to_string()
}

#[test]
fn messages_are_counted_in_bytes() -> Result<(), String> {
    let exact = tool_call_message("t", &json!({ "blob": "éé" }));
    let limits = limits(|l| l.max_message_bytes = exact.len());
    let policy = loads(ALLOW_ALL, &limits)?;
    let context = MessageContext::default();
    let under = policy.evaluate_message(&exact, &context, now());
    assert_eq!(under.len(), 1);
    let verdict = under.first().and_then(|r| r.verdict.clone());
    assert_eq!(verdict.map(|v| v.decision), Some(Decision::Allow));
    let over = tool_call_message("t", &json!({ "blob": "ééx" }));
    let results = policy.evaluate_message(&over, &context, now());
    assert_eq!(results.len(), 1);
    let only = results.first().ok_or("no result")?;
    assert_eq!(only.kind, MessageKind::Invalid);
    let says = format!(
        "{} bytes, more than the limit of {} bytes",
        over.len(),
        exact.len()
    );
    over_limit(only.verdict.as_ref().ok_or("no verdict")?, &says);
    Ok(())
}

#[test]
fn call_json_over_the_default_message_limit_is_denied() -> Result<(), String> {
    let policy = loads(ALLOW_ALL, &Limits::default())?;
    let call = |blob: usize| {
        format!(
            r#"{{"tool":"t","arguments":{{"blob":"{}"}}}}"#,
            "x".repeat(blob)
        )
    };
    let frame = call(0).len();
    let limit = 4 * 1024 * 1024;
    let under = policy.evaluate_json(&call(limit - frame), now());
    assert_eq!(under.decision, Decision::Allow, "{}", under.reason);
    let over = policy.evaluate_json(&call(limit - frame + 1), now());
    assert_eq!(over.decision, Decision::Deny);
    assert!(
        over.reason.contains("more than the limit of 4194304 bytes"),
        "{}",
        over.reason
    );
    Ok(())
}

// Call JSON is measured against the policy's own limits (it was once read
// with the default limits and denied as `invalid_call`).
#[test]
fn call_json_over_the_message_limit_is_a_limit_deny() -> Result<(), String> {
    let exact = r#"{"tool":"t","arguments":{"blob":"éé"}}"#;
    let policy = loads(ALLOW_ALL, &limits(|l| l.max_message_bytes = exact.len()))?;
    assert_eq!(policy.evaluate_json(exact, now()).decision, Decision::Allow);
    let over = r#"{"tool":"t","arguments":{"blob":"ééx"}}"#;
    over_limit(&policy.evaluate_json(over, now()), "more than the limit of");
    Ok(())
}

#[test]
fn inspected_text_is_counted_in_bytes() -> Result<(), String> {
    let policy = loads(ALLOW_ALL, &limits(|l| l.max_string_bytes = 16))?;
    // `ls ` and thirteen bytes: sixteen.
    let under = policy.evaluate(
        &call_with("run_command", json!({ "command": "ls ééééééx" })),
        now(),
    );
    assert_ne!(under.code, VerdictCode::LimitExceeded, "{}", under.reason);
    let over = policy.evaluate(
        &call_with("run_command", json!({ "command": "ls ééééééé" })),
        now(),
    );
    over_limit(
        &over,
        "`command` is 17 bytes, more than the 16 bytes that can be inspected",
    );
    for key in ["query", "path", "url"] {
        let over = policy.evaluate(&call_with("t", json!({ key: "x".repeat(17) })), now());
        over_limit(&over, &format!("`{key}` is 17 bytes"));
    }
    // Text under another key is not inspected: it adds risk, not a deny.
    let other = policy.evaluate(&call_with("t", json!({ "note": "x".repeat(17) })), now());
    assert_ne!(other.code, VerdictCode::LimitExceeded, "{}", other.reason);
    assert!(
        other.factors.iter().any(|f| f.name == "oversized"),
        "{:?}",
        other.factors
    );
    Ok(())
}

fn batch(n: usize) -> String {
    let items: Vec<Json> = (0..n)
        .map(|i| json!({ "jsonrpc": "2.0", "id": i, "method": "tools/call", "params": { "name": "t" } }))
        .collect();
    Json::Array(items).to_string()
}

#[test]
fn batches_are_counted_in_messages() -> Result<(), String> {
    let context = MessageContext::default();
    for (limits, n) in [
        (limits(|l| l.max_batch_len = 3), 3),
        (Limits::default(), 1000),
    ] {
        let policy = loads(ALLOW_ALL, &limits)?;
        let full = policy.evaluate_message(&batch(n), &context, now());
        assert_eq!(full.len(), n);
        assert!(full.iter().all(|r| {
            r.verdict
                .as_ref()
                .is_some_and(|v| v.decision == Decision::Allow)
        }));
        let over = policy.evaluate_message(&batch(n + 1), &context, now());
        assert_eq!(
            over.len(),
            1,
            "one result: none of the batch is let through"
        );
        let only = over.first().ok_or("no result")?;
        assert_eq!(only.kind, MessageKind::Invalid);
        let says = format!("{} messages, more than the limit of {n}", n + 1);
        over_limit(only.verdict.as_ref().ok_or("no verdict")?, &says);
    }
    Ok(())
}

fn commands(n: usize) -> Json {
    let line: Vec<String> = (0..n).map(|i| format!("echo {i}")).collect();
    json!({ "command": line.join("; ") })
}

#[test]
fn resources_of_one_call_are_counted() -> Result<(), String> {
    for (limits, n) in [
        (limits(|l| l.max_resources = 2), 2),
        (Limits::default(), 64),
    ] {
        let policy = loads(ALLOW_ALL, &limits)?;
        let under = policy.evaluate(&call_with("run_command", commands(n)), now());
        assert_ne!(under.code, VerdictCode::LimitExceeded, "{}", under.reason);
        assert!(
            under.reason.contains(&format!("{n} resources")),
            "{}",
            under.reason
        );
        let over = policy.evaluate(&call_with("run_command", commands(n + 1)), now());
        over_limit(
            &over,
            &format!("touches {} resources, more than the {n}", n + 1),
        );
    }
    Ok(())
}

#[test]
fn tool_and_server_names_are_counted_in_bytes() -> Result<(), String> {
    let policy = loads(ALLOW_ALL, &Limits::default())?;
    // 1,024 bytes in 512 characters.
    let name = "é".repeat(512);
    let mut call = ToolCall::new(name.clone());
    call.server = Some(name.clone());
    let under = policy.evaluate(&call, now());
    assert_ne!(under.code, VerdictCode::LimitExceeded, "{}", under.reason);
    let mut long_tool = call.clone();
    long_tool.tool.push('x');
    over_limit(
        &policy.evaluate(&long_tool, now()),
        "longer than 1024 bytes",
    );
    let mut long_server = call;
    long_server.server = Some(format!("{name}x"));
    over_limit(
        &policy.evaluate(&long_server, now()),
        "longer than 1024 bytes",
    );
    Ok(())
}
