//! What a case expects, and how it is checked against what happened.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::jsonrpc::MessageKind;
use crate::read::{Reader, What};
use crate::verdict::{Decision, RiskLevel, Verdict, VerdictCode};
use crate::yaml::{Node, Resolved, Value};

const EXPECT_KEYS: [&str; 16] = [
    "kind",
    "decision",
    "rule",
    "risk_level",
    "score",
    "code",
    "reason_contains",
    "factors",
    "absent_factors",
    "approval_level",
    "compliance",
    "namespace",
    "verb",
    "resource",
    "trust",
    "trace",
];
const STEP_KEYS: [&str; 4] = ["rule", "matched", "field", "actual"];
const DIAGNOSTIC_KEYS: [&str; 6] = [
    "line",
    "column",
    "kind",
    "message_contains",
    "help_contains",
    "text",
];

const DECISIONS: [&str; 3] = ["allow", "require_approval", "deny"];
const LEVELS: [&str; 4] = ["low", "medium", "high", "critical"];
const KINDS: [&str; 3] = ["tool_call", "not_a_tool_call", "invalid"];
const CODES: [&str; 13] = [
    "rule_allow",
    "rule_approve",
    "rule_block",
    "rule_risk",
    "defaults",
    "no_defaults",
    "sandbox_server",
    "restricted_server",
    "trusted_server",
    "invalid_call",
    "limit_exceeded",
    "invalid_policy",
    "internal_error",
];
const DIAGNOSTIC_KINDS: [&str; 15] = [
    "syntax",
    "type",
    "unknown_key",
    "missing_key",
    "duplicate_key",
    "invalid_value",
    "invalid_glob",
    "invalid_regex",
    "invalid_time",
    "invalid_weekday",
    "duplicate_rule",
    "limit",
    "unsupported",
    "shadowed_rule",
    "empty_match",
];

/// One expected trace step.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ExpectedStep {
    rule: Option<String>,
    matched: Option<bool>,
    field: Option<String>,
    actual: Option<String>,
}

/// What one verdict (or message result) should be; absent fields are not checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Expected {
    kind: Option<MessageKind>,
    decision: Option<Decision>,
    rule: Option<Option<String>>,
    risk_level: Option<RiskLevel>,
    score: Option<(u8, u8)>,
    code: Option<VerdictCode>,
    reason_contains: Vec<String>,
    factors: Vec<String>,
    absent_factors: Vec<String>,
    approval_level: Option<Option<u8>>,
    compliance: Option<Vec<String>>,
    namespace: Option<String>,
    verb: Option<String>,
    resource: Option<String>,
    trust: Option<Option<String>>,
    trace: Option<Vec<ExpectedStep>>,
}

/// An expected error or warning.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ExpectedDiagnostic {
    line: Option<u32>,
    column: Option<u32>,
    kind: Option<DiagnosticKind>,
    message_contains: Option<String>,
    help_contains: Option<String>,
    text: Option<String>,
}

fn parse_name<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// Reads `expect`: one mapping, or a list of them (one per message of a batch).
pub(crate) fn read_expected(reader: &mut Reader<'_, '_>, node: &Node) -> Vec<Expected> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|n| read_one(reader, n)).collect(),
        _ => read_one(reader, node).into_iter().collect(),
    }
}

fn read_one(reader: &mut Reader<'_, '_>, node: &Node) -> Option<Expected> {
    let e = reader.mapping(node, "`expect`", &EXPECT_KEYS, &|_| None)?;
    let mut out = Expected::default();
    let texts = |reader: &mut Reader<'_, '_>, key: &str| {
        e.get(key)
            .and_then(|n| reader.texts(n, What::Joined(&["`expect.", key, "`"])))
            .map(|(t, _)| t.into_iter().map(|(s, _)| s).collect::<Vec<_>>())
    };
    out.kind = e
        .get("kind")
        .and_then(|n| reader.choice(n, "message kind", &KINDS, parse_name));
    out.decision = e
        .get("decision")
        .and_then(|n| reader.choice(n, "decision", &DECISIONS, parse_name));
    out.risk_level = e
        .get("risk_level")
        .and_then(|n| reader.choice(n, "risk level", &LEVELS, parse_name));
    out.code = e
        .get("code")
        .and_then(|n| reader.choice(n, "verdict code", &CODES, parse_name));
    out.rule = e.entry("rule").map(|entry| {
        if entry.value.is_null() {
            None
        } else {
            reader.text(entry.value, "`expect.rule`")
        }
    });
    out.trust = e.entry("trust").map(|entry| {
        if entry.value.is_null() {
            None
        } else {
            reader.text(entry.value, "`expect.trust`")
        }
    });
    out.approval_level = e.entry("approval_level").map(|entry| {
        if entry.value.is_null() {
            None
        } else {
            reader
                .integer(entry.value, "`expect.approval_level`", 1, 5)
                .and_then(|n| u8::try_from(n).ok())
        }
    });
    if let Some(score) = e.get("score") {
        out.score = read_score(reader, score);
    }
    out.reason_contains = texts(reader, "reason_contains").unwrap_or_default();
    out.factors = texts(reader, "factors").unwrap_or_default();
    out.absent_factors = texts(reader, "absent_factors").unwrap_or_default();
    out.compliance = texts(reader, "compliance");
    out.namespace = e
        .get("namespace")
        .and_then(|n| reader.text(n, "`expect.namespace`"));
    out.verb = e.get("verb").and_then(|n| reader.text(n, "`expect.verb`"));
    out.resource = e
        .get("resource")
        .and_then(|n| reader.text(n, "`expect.resource`"));
    if let Some(trace) = e
        .get("trace")
        .and_then(|n| reader.list(n, "`expect.trace`"))
    {
        let mut steps = Vec::new();
        for step in trace {
            let Some(s) = reader.mapping(step, "a trace step", &STEP_KEYS, &|_| None) else {
                continue;
            };
            steps.push(ExpectedStep {
                rule: s.get("rule").and_then(|n| reader.text(n, "`rule`")),
                matched: s.get("matched").and_then(|n| match &n.value {
                    Value::Scalar(sc) => match sc.resolve() {
                        Resolved::Bool(b) => Some(b),
                        _ => None,
                    },
                    _ => None,
                }),
                field: s.get("field").and_then(|n| reader.text(n, "`field`")),
                actual: s.get("actual").and_then(|n| reader.text(n, "`actual`")),
            });
        }
        out.trace = Some(steps);
    }
    Some(out)
}

/// A score is `20` or `[15, 30]` (inclusive).
fn read_score(reader: &mut Reader<'_, '_>, node: &Node) -> Option<(u8, u8)> {
    let score = |reader: &mut Reader<'_, '_>, n: &Node| {
        reader
            .integer(n, "a score", 0, 100)
            .and_then(|s| u8::try_from(s).ok())
    };
    match &node.value {
        Value::Seq(items) => match items.as_slice() {
            [low, high] => Some((score(reader, low)?, score(reader, high)?)),
            _ => {
                reader.error(
                    DiagnosticKind::Type,
                    node.span,
                    "a score range is `[low, high]`",
                    None,
                );
                None
            }
        },
        _ => score(reader, node).map(|s| (s, s)),
    }
}

/// Reads `expect_errors` / `expect_warnings`.
pub(crate) fn read_expected_diagnostics(
    reader: &mut Reader<'_, '_>,
    node: &Node,
) -> Vec<ExpectedDiagnostic> {
    let Some(items) = reader.list(node, "expected diagnostics") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(d) = reader.mapping(item, "an expected diagnostic", &DIAGNOSTIC_KEYS, &|_| None)
        else {
            continue;
        };
        let number = |reader: &mut Reader<'_, '_>, key: &str| {
            d.get(key)
                .and_then(|n| reader.integer(n, key, 1, 1_000_000))
                .and_then(|n| u32::try_from(n).ok())
        };
        out.push(ExpectedDiagnostic {
            line: number(reader, "line"),
            column: number(reader, "column"),
            kind: d
                .get("kind")
                .and_then(|n| reader.choice(n, "diagnostic kind", &DIAGNOSTIC_KINDS, parse_name)),
            message_contains: d
                .get("message_contains")
                .and_then(|n| reader.text(n, "`message_contains`")),
            help_contains: d
                .get("help_contains")
                .and_then(|n| reader.text(n, "`help_contains`")),
            text: d.get("text").and_then(|n| reader.text(n, "`text`")),
        });
    }
    out
}

pub(crate) fn check_diagnostics(
    what: &str,
    expected: &[ExpectedDiagnostic],
    actual: &[Diagnostic],
    failures: &mut Vec<String>,
) {
    let shown = |d: &Diagnostic| format!("{d}");
    if expected.len() != actual.len() {
        failures.push(format!(
            "expected {} {what}(s), got {}: [{}]",
            expected.len(),
            actual.len(),
            actual.iter().map(shown).collect::<Vec<_>>().join("; ")
        ));
        return;
    }
    for (e, a) in expected.iter().zip(actual) {
        let mut wrong = Vec::new();
        if e.line.is_some_and(|l| l != a.span.line) {
            wrong.push("line");
        }
        if e.column.is_some_and(|c| c != a.span.column) {
            wrong.push("column");
        }
        if e.kind.is_some_and(|k| k != a.kind) {
            wrong.push("kind");
        }
        if e.message_contains
            .as_ref()
            .is_some_and(|m| !a.message.contains(m.as_str()))
        {
            wrong.push("message");
        }
        if e.help_contains.as_ref().is_some_and(|h| {
            !a.help
                .as_ref()
                .is_some_and(|help| help.contains(h.as_str()))
        }) {
            wrong.push("help");
        }
        if e.text.as_ref().is_some_and(|t| *t != a.text) {
            wrong.push("text");
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{what} differs in {}: got {} (text `{}`, kind {:?})",
                wrong.join(", "),
                shown(a),
                a.text,
                a.kind
            ));
        }
    }
}

pub(crate) fn check_verdicts(
    expected: &[Expected],
    kinds: &[Option<MessageKind>],
    produced: &[Option<Verdict>],
    failures: &mut Vec<String>,
) {
    if expected.len() != produced.len() {
        failures.push(format!(
            "expected {} result(s), got {}",
            expected.len(),
            produced.len()
        ));
        return;
    }
    for (i, (e, verdict)) in expected.iter().zip(produced).enumerate() {
        let at = if expected.len() > 1 {
            format!("result {}: ", i + 1)
        } else {
            String::new()
        };
        let kind = kinds.get(i).copied().flatten();
        if let (Some(want), Some(got)) = (e.kind, kind)
            && want != got
        {
            failures.push(format!("{at}kind: expected {want:?}, got {got:?}"));
        }
        let Some(v) = verdict else {
            if e.decision.is_some() || e.rule.is_some() {
                failures.push(format!("{at}expected a verdict, but the message has none"));
            }
            continue;
        };
        check_verdict(e, v, &at, failures);
    }
}

fn check_verdict(e: &Expected, v: &Verdict, at: &str, failures: &mut Vec<String>) {
    let context = format!(
        "(got {} by {}, score {}: {})",
        v.decision,
        v.rule
            .as_deref()
            .map_or("no rule".to_owned(), |r| format!("`{r}`")),
        v.risk_score,
        v.reason
    );
    let mut fail = |what: String| failures.push(format!("{at}{what} {context}"));
    if let Some(d) = e.decision.filter(|d| *d != v.decision) {
        fail(format!("decision: expected {d}, got {}", v.decision));
    }
    if let Some(rule) = e.rule.as_ref().filter(|r| **r != v.rule) {
        fail(format!("rule: expected {rule:?}, got {:?}", v.rule));
    }
    if let Some(level) = e.risk_level.filter(|l| *l != v.risk_level) {
        fail(format!(
            "risk level: expected {level}, got {}",
            v.risk_level
        ));
    }
    if let Some((low, high)) = e.score.filter(|(l, h)| !(*l..=*h).contains(&v.risk_score)) {
        fail(format!(
            "score: expected {low}–{high}, got {}",
            v.risk_score
        ));
    }
    if let Some(code) = e.code.filter(|c| *c != v.code) {
        fail(format!("code: expected {code:?}, got {:?}", v.code));
    }
    for part in e
        .reason_contains
        .iter()
        .filter(|p| !v.reason.contains(p.as_str()))
    {
        fail(format!("reason does not contain `{part}`"));
    }
    let names: Vec<&str> = v.factors.iter().map(|f| &*f.name).collect();
    for name in e.factors.iter().filter(|n| !names.contains(&n.as_str())) {
        fail(format!(
            "factor `{name}` missing (factors: {})",
            names.join(", ")
        ));
    }
    for name in e
        .absent_factors
        .iter()
        .filter(|n| names.contains(&n.as_str()))
    {
        fail(format!("factor `{name}` present but expected absent"));
    }
    if let Some(level) = e.approval_level.filter(|l| *l != v.approval_level) {
        fail(format!(
            "approval level: expected {level:?}, got {:?}",
            v.approval_level
        ));
    }
    if let Some(tags) = e.compliance.as_ref().filter(|t| **t != v.compliance) {
        fail(format!(
            "compliance: expected {tags:?}, got {:?}",
            v.compliance
        ));
    }
    for (what, want, got) in [
        ("namespace", &e.namespace, &*v.action.namespace),
        ("verb", &e.verb, &*v.action.verb),
        ("resource", &e.resource, v.action.resource.as_str()),
    ] {
        if let Some(want) = want.as_ref().filter(|w| w.as_str() != got) {
            fail(format!("{what}: expected `{want}`, got `{got}`"));
        }
    }
    if let Some(trust) = e.trust.as_ref().filter(|t| **t != v.action.trust) {
        fail(format!(
            "trust: expected {trust:?}, got {:?}",
            v.action.trust
        ));
    }
    if let Some(steps) = &e.trace {
        if steps.len() != v.trace.len() {
            fail(format!(
                "trace: expected {} steps, got {}",
                steps.len(),
                v.trace.len()
            ));
        } else {
            for (i, (s, got)) in steps.iter().zip(&v.trace).enumerate() {
                let failed_field = got.failed.as_ref().map(|f| &*f.field);
                let failed_actual = got.failed.as_ref().and_then(|f| f.actual.as_deref());
                let ok = s.rule.as_deref().is_none_or(|r| r == &*got.rule)
                    && s.matched.is_none_or(|m| m == got.matched)
                    && s.field.as_deref().is_none_or(|f| Some(f) == failed_field)
                    && s.actual.as_deref().is_none_or(|a| Some(a) == failed_actual);
                if !ok {
                    fail(format!(
                        "trace step {}: expected {s:?}, got rule `{}` matched {} failed {:?}",
                        i + 1,
                        got.rule,
                        got.matched,
                        got.failed
                    ));
                }
            }
        }
    }
}

/// Whether any expectation checks the trace (such a case is evaluated
/// with the trace on whatever the options say).
pub(crate) fn wants_trace(expected: &[Expected]) -> bool {
    expected.iter().any(|e| e.trace.is_some())
}
