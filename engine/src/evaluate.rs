//! Deciding on one tool call.
//!
//! A call may be read more than one way: its tool name as written and in
//! canonical form (`Delete_File` → `delete_file`), a gateway-prefixed name
//! split into server and tool (`prod___write_file`), and each resource it
//! touches (both paths of a move, every command of `ls; rm -rf /`). Each
//! reading is decided on its own and the strictest verdict is returned, so
//! no spelling and no second resource is a way around a rule.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::call::ToolCall;
use crate::condition::Context;
use crate::index::{FieldValues, RuleIndex};
use crate::json;
use crate::normalize::name::{canonical_name, split_prefixed};
use crate::policy::compile::{Compiled, CompiledRule, ListParam};
use crate::policy::model::{Approval, Field, Outcome, TrustLevel};
use crate::risk::args::{Args, lookup, replace};
use crate::risk::classify::{Subject, VerbClass, classify};
use crate::risk::semantic::{Semantics, categorize};
use crate::risk::{ScoreInput, total};
use crate::text;
use crate::time::Timestamp;
use crate::verdict::{
    Action, Decision, Factor, FailedClause, RiskLevel, TraceStep, Verdict, VerdictCode,
};

/// How much a verdict explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalOptions {
    trace: bool,
}

impl Default for EvalOptions {
    fn default() -> Self {
        Self { trace: true }
    }
}

impl EvalOptions {
    /// Options with the trace on.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the verdict carries the trace of the rules checked (on by
    /// default). Without it a decision is cheaper when the matching rule
    /// comes late in a long policy.
    pub fn trace(&mut self, yes: bool) -> &mut Self {
        self.trace = yes;
        self
    }
}

/// One way of reading the call's names.
struct NameView<'a> {
    tool: Cow<'a, str>,
    server: Option<Cow<'a, str>>,
    /// Matched against the case-insensitive index.
    folded: bool,
}

/// Decides on a call; never fails (problems become a deny with a reason).
///
/// A list given for an argument that a rule's condition reads is also
/// decided item by item, each item in the list's place, and the strictest
/// decision stands: an item that would be denied alone cannot ride through
/// on a decoy that an earlier, milder rule matches.
pub(crate) fn evaluate(
    compiled: &Compiled,
    call: &ToolCall,
    now: Timestamp,
    options: &EvalOptions,
) -> Verdict {
    // Without lists to decide item by item (the usual case), the verdict
    // is returned as built, not moved through the checks below.
    // Bounded recursion whatever the limits say: deeper goes the long way.
    let depth = compiled.limits.max_argument_depth.min(64);
    if compiled.list_params.is_empty() || !call.arguments.values().any(|v| holds_list(v, depth)) {
        return evaluate_readings(compiled, call, now, options);
    }
    let whole = evaluate_readings(compiled, call, now, options);
    if matches!(
        whole.code,
        VerdictCode::InvalidCall | VerdictCode::LimitExceeded
    ) {
        return whole;
    }
    let lists: Vec<(&ListParam, &Vec<Json>)> = compiled
        .list_params
        .iter()
        .filter_map(|entry| match lookup(&call.arguments, &entry.param) {
            Some(Json::Array(items)) if !items.is_empty() => Some((entry, items)),
            _ => None,
        })
        .collect();
    let items: usize = lists.iter().map(|(_, items)| items.len()).sum();
    if items > compiled.limits.max_resources {
        return Verdict::denied(
            VerdictCode::LimitExceeded,
            format!(
                "The call is denied: its lists hold {items} items that rules check, more than the {} that are decided one by one.",
                compiled.limits.max_resources
            ),
        );
    }
    let mut best = whole;
    let mut decided_by: Option<(&str, usize)> = None;
    for (entry, items) in lists {
        for (i, item) in items.iter().enumerate() {
            if items.iter().take(i).any(|earlier| earlier == item) {
                continue;
            }
            let forms = [
                entry.as_item.then(|| item.clone()),
                entry.as_list.then(|| Json::Array(vec![item.clone()])),
            ];
            for value in forms.into_iter().flatten() {
                let mut variant = call.clone();
                if !replace(&mut variant.arguments, &entry.param, value) {
                    continue;
                }
                let verdict = evaluate_readings(compiled, &variant, now, options);
                if verdict.decision > best.decision {
                    best = verdict;
                    decided_by = Some((&entry.param, i));
                }
            }
        }
    }
    if let Some((param, i)) = decided_by {
        best.reason.push_str(&format!(
            " (Item {} of the list `{param}`, decided on its own: each item of a list that rules check is also decided alone, and the strictest decision stands.)",
            i + 1
        ));
    }
    best
}

/// Whether a value is or holds a list; also `true` for objects nested
/// deeper than `depth` (the arguments are not measured yet, and such a
/// call is refused anyway).
fn holds_list(value: &Json, depth: usize) -> bool {
    match value {
        Json::Array(_) => true,
        Json::Object(map) => depth == 0 || map.values().any(|v| holds_list(v, depth - 1)),
        _ => false,
    }
}

/// Decides on a call as given, reading it every way it can be read.
fn evaluate_readings(
    compiled: &Compiled,
    call: &ToolCall,
    now: Timestamp,
    options: &EvalOptions,
) -> Verdict {
    let limits = &compiled.limits;
    if call.tool.trim().is_empty() {
        return Verdict::denied(
            VerdictCode::InvalidCall,
            "The call is denied: it names no tool.",
        );
    }
    if call.tool.len() > 1024 || call.server.as_ref().is_some_and(|s| s.len() > 1024) {
        return Verdict::denied(
            VerdictCode::LimitExceeded,
            "The call is denied: its tool or server name is longer than 1024 bytes.",
        );
    }
    if let Err(problem) = json::measure(
        call.arguments.values(),
        limits.max_argument_depth,
        limits.max_argument_values,
    ) {
        return Verdict::denied(
            VerdictCode::LimitExceeded,
            format!("The call is denied: its arguments have {problem}."),
        );
    }
    let canonical = canonical_name(&call.tool);
    let args = Args::collect(&call.arguments);
    let mut subjects = match classify(call, &canonical, &args, limits.max_string_bytes) {
        Ok(subjects) => subjects,
        Err(problem) => {
            return Verdict::denied(
                VerdictCode::LimitExceeded,
                format!("The call is denied: {problem}."),
            );
        }
    };
    let resources: usize = subjects.iter().map(|s| s.resources().len()).sum();
    if resources > limits.max_resources {
        return Verdict::denied(
            VerdictCode::LimitExceeded,
            format!(
                "The call is denied: it touches {resources} resources, more than the {} that are checked.",
                limits.max_resources
            ),
        );
    }
    let views = name_views(call, &canonical);
    let names = views.iter().flatten();
    let readings = names.clone().count() * resources;
    let mut best: Option<Verdict> = None;
    for subject in subjects.iter_mut() {
        // The class factor's detail: copied for each reading of this
        // subject but the last, which takes it.
        let mut detail = std::mem::take(&mut subject.detail);
        let subject = &*subject;
        let semantics = categorize(call, subject, &args);
        let mut left = names.clone().count() * subject.resources().len();
        for name in names.clone() {
            for resource in subject.resources() {
                left = left.saturating_sub(1);
                let detail = if left == 0 {
                    std::mem::take(&mut detail)
                } else {
                    detail.clone()
                };
                let reading = Reading {
                    name,
                    subject,
                    detail,
                    semantics: &semantics,
                    resource,
                };
                // One reading (the usual case): its verdict is the call's,
                // built in place rather than moved through the comparison.
                if readings == 1 {
                    return decide(compiled, call, reading, now, options);
                }
                let verdict = decide(compiled, call, reading, now, options);
                let stricter = best.as_ref().is_none_or(|b| {
                    (verdict.decision, verdict.risk_score) > (b.decision, b.risk_score)
                });
                if stricter {
                    best = Some(verdict);
                }
            }
        }
    }
    let Some(mut verdict) = best else {
        return Verdict::denied(
            VerdictCode::InternalError,
            "The call is denied: it could not be read.",
        );
    };
    if readings > 1 {
        verdict.reason.push_str(&format!(
            " (The strictest of {readings} readings of this call: {}.)",
            reading_summary(names, &subjects, resources)
        ));
    }
    verdict
}

fn reading_summary<'n>(
    names: impl Iterator<Item = &'n NameView<'n>> + Clone,
    subjects: &[Subject],
    resources: usize,
) -> String {
    let mut parts = Vec::new();
    if names.clone().count() > 1 {
        let shown: Vec<String> = names
            .map(|n| match &n.server {
                Some(s) => format!("`{}` on `{s}`", n.tool),
                None => format!("`{}`", n.tool),
            })
            .collect();
        parts.push(format!("names {}", shown.join(", ")));
    }
    if subjects.len() > 1 {
        let shown: Vec<&str> = subjects.iter().map(|s| &*s.namespace).collect();
        parts.push(format!("namespaces {}", shown.join(", ")));
    }
    if resources > 1 {
        parts.push(format!("{resources} resources"));
    }
    parts.join(" and ")
}

/// The ways of reading the call's names (at most three; no allocation).
fn name_views<'a>(call: &'a ToolCall, canonical: &'a str) -> [Option<NameView<'a>>; 3] {
    let mut views = [
        Some(NameView {
            tool: Cow::Borrowed(call.tool.as_str()),
            server: call.server.as_deref().map(Cow::Borrowed),
            folded: false,
        }),
        None,
        None,
    ];
    let canonical_server = call.server.as_deref().map(canonical_name);
    let server_differs = canonical_server.as_deref() != call.server.as_deref();
    if canonical != call.tool || server_differs {
        views[1] = Some(NameView {
            tool: Cow::Borrowed(canonical),
            server: canonical_server,
            folded: true,
        });
    }
    if let Some((server, tool)) = split_prefixed(canonical) {
        views[2] = Some(NameView {
            tool: Cow::Owned(tool.to_owned()),
            server: Some(Cow::Owned(server.to_owned())),
            folded: true,
        });
    }
    views
}

/// One reading of a call: a way of reading its names, one subject with
/// the detail of its class, and one resource the subject touches.
struct Reading<'r> {
    name: &'r NameView<'r>,
    subject: &'r Subject,
    /// The subject's detail (taken out of it, so the last reading can move
    /// it into the verdict).
    detail: String,
    semantics: &'r Semantics,
    resource: &'r str,
}

/// Decides on one reading of a call.
// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn decide(
    compiled: &Compiled,
    call: &ToolCall,
    reading: Reading<'_>,
    now: Timestamp,
    options: &EvalOptions,
) -> Verdict {
    let Reading {
        name,
        subject,
        detail,
        semantics,
        resource,
    } = reading;
    let index: &RuleIndex = if name.folded {
        compiled.folded_index()
    } else {
        &compiled.index
    };
    let server = name.server.as_deref();
    let values = FieldValues {
        tool: &name.tool,
        server: server.unwrap_or(""),
        agent: call.agent.as_deref(),
        namespace: &subject.namespace,
        verb: &subject.verb,
        resource,
    };
    let candidates = index.candidates(&values, options.trace);
    let mut failed_conditions: Vec<(usize, FailedClause)> = Vec::new();
    let mut winner: Option<(usize, &CompiledRule)> = None;
    for i in candidates.all.iter() {
        let Some(rule) = compiled.rules.get(i) else {
            continue;
        };
        let ctx = Context {
            arguments: &call.arguments,
            now,
            semantics,
            permissive: rule.outcome.approval == Approval::Auto,
        };
        match rule.conditions.iter().find(|c| !c.holds(&ctx)) {
            None => {
                winner = Some((i, rule));
                break;
            }
            Some(failed) if options.trace => failed_conditions.push((i, failed.clause(&ctx))),
            Some(_) => {}
        }
    }
    let trust = server.and_then(|s| compiled.servers.of(s, name.folded));
    let mut factors = compiled.risk.factors(
        &ScoreInput {
            call,
            subject,
            semantics,
            server,
            resource,
            trust,
        },
        detail,
    );
    let outcome = winner
        .map(|(_, r)| &r.outcome)
        .or(compiled.defaults.as_ref());
    if let Some(outcome) = outcome {
        move_into_band(&mut factors, outcome, winner.map(|(_, r)| r));
    }
    let score = total(&factors);
    let level = RiskLevel::of_score(score);
    let trace = if options.trace {
        trace_steps(
            compiled,
            &candidates,
            &failed_conditions,
            winner.map(|(i, _)| i),
            &values,
        )
    } else {
        Vec::new()
    };
    let action = Action {
        tool: name.tool.to_string(),
        server: server.map(str::to_owned),
        namespace: subject.namespace.clone(),
        verb: subject.verb.clone(),
        resource: resource.to_owned(),
        trust: trust.map(|t| t.as_str().to_owned()),
    };
    let facts = Facts {
        compiled,
        call,
        subject,
        detail: factors.first().map_or("", |f| &f.detail),
        rule: winner.map(|(_, r)| r),
        outcome,
        score,
        level,
        trust,
        server,
    };
    let (decision, code, reason) = facts.decision();
    let approval_level = outcome.and_then(|o| o.approval_level).or_else(|| {
        (decision == Decision::RequireApproval).then_some(match level {
            RiskLevel::Low => 1,
            RiskLevel::Medium => 2,
            RiskLevel::High => 3,
            RiskLevel::Critical => 4,
        })
    });
    Verdict {
        decision,
        code,
        risk_score: score,
        risk_level: level,
        rule: winner.map(|(_, r)| String::from(&*r.name)),
        reason,
        factors,
        approval_level,
        compliance: outcome.map(|o| o.compliance.clone()).unwrap_or_default(),
        trace,
        action,
    }
}

/// Adds the points that move the score into the level of the deciding
/// outcome (`rule`'s, or the defaults' when `rule` is `None`), if it has
/// one.
fn move_into_band(factors: &mut Vec<Factor>, outcome: &Outcome, rule: Option<&CompiledRule>) {
    let Some(level) = outcome.risk_level else {
        return;
    };
    // The points are counted from the factors' sum, which may lie outside
    // 0–100 (the score is that sum clamped): moving from the clamped score
    // would leave a sum of 120 at 50 for a low band, not at 30.
    let sum: i32 = factors.iter().map(|f| f.points).sum();
    let score = sum.clamp(0, 100);
    let (low, high) = level.band();
    let target = score.clamp(i32::from(low), i32::from(high));
    if target != score {
        // Static texts per level, each band written once: the detail is one
        // piece (the defaults) or three (a rule's name), never formatted.
        macro_rules! declared {
            ($band:literal) => {
                (
                    concat!(" declares risk_level ", $band),
                    concat!("the defaults declare risk_level ", $band),
                )
            };
        }
        let (by_rule, by_defaults) = match level {
            RiskLevel::Low => declared!("low (0–30)"),
            RiskLevel::Medium => declared!("medium (31–69)"),
            RiskLevel::High => declared!("high (70–89)"),
            RiskLevel::Critical => declared!("critical (90–100)"),
        };
        // A level not written is Aegis's medium (`decode::read_outcome`).
        const UNWRITTEN_BY_RULE: &str =
            " gives no risk_level, so it is medium (31–69), the Aegis default";
        const UNWRITTEN_BY_DEFAULTS: &str =
            "the defaults give no risk_level, so they are medium (31–69), the Aegis default";
        let written = outcome.level_span.is_some();
        let detail: Cow<'static, str> = match (rule, written) {
            (Some(r), true) => text::join(&["rule `", &r.name, "`", by_rule]).into(),
            (Some(r), false) => text::join(&["rule `", &r.name, "`", UNWRITTEN_BY_RULE]).into(),
            (None, true) => by_defaults.into(),
            (None, false) => UNWRITTEN_BY_DEFAULTS.into(),
        };
        factors.push(Factor {
            name: "rule_risk_level".into(),
            points: target - sum,
            detail,
        });
    }
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn trace_steps(
    compiled: &Compiled,
    candidates: &crate::index::Candidates,
    failed_conditions: &[(usize, FailedClause)],
    winner: Option<usize>,
    values: &FieldValues<'_>,
) -> Vec<TraceStep> {
    let last = winner.unwrap_or(compiled.rules.len().saturating_sub(1));
    let mut steps = Vec::with_capacity(last + 1);
    // Steps share their texts: the policy's clause texts, and each field's
    // value of the call, made once per decision when a step first shows it.
    let mut actuals: [Option<Option<Arc<str>>>; 6] = Default::default();
    // The failed conditions come in rule order, as the steps do.
    let mut conditions = failed_conditions.iter().peekable();
    for (i, rule) in compiled.rules.iter().enumerate().take(last + 1) {
        let matched = winner == Some(i);
        let condition = conditions.next_if(|(r, _)| *r == i).map(|(_, c)| c);
        let failed = if matched {
            None
        } else if let Some(field) = candidates.failed_field(i) {
            let (key, pattern) = rule
                .shown
                .get(field.position())
                .cloned()
                .flatten()
                .unwrap_or_else(|| ("match".into(), "".into()));
            let actual = actuals.get_mut(field.position()).and_then(|slot| {
                slot.get_or_insert_with(|| {
                    values.get(field).map(|v| {
                        if field == Field::Server && v.is_empty() {
                            "(no server)".into()
                        } else {
                            v.into()
                        }
                    })
                })
                .clone()
            });
            Some(FailedClause {
                field: key,
                pattern,
                actual,
            })
        } else {
            condition.cloned()
        };
        steps.push(TraceStep {
            rule: rule.name.clone(),
            index: i,
            line: rule.line,
            matched,
            failed,
        });
    }
    steps
}

/// What the decision depends on, once the rules have been checked.
struct Facts<'a> {
    compiled: &'a Compiled,
    call: &'a ToolCall,
    subject: &'a Subject,
    /// Why the subject's class is what it is (the first factor's detail).
    detail: &'a str,
    rule: Option<&'a CompiledRule>,
    outcome: Option<&'a Outcome>,
    score: u8,
    level: RiskLevel,
    trust: Option<TrustLevel>,
    server: Option<&'a str>,
}

impl Facts<'_> {
    // Out of line, for wasm cold start (see the crate docs).
    #[inline(never)]
    fn decision(&self) -> (Decision, VerdictCode, String) {
        let (decision, code, reason) = self.base_decision();
        self.apply_trust(decision, code, reason)
    }

    fn risk_text(&self) -> String {
        text::join(&[
            "risk ",
            self.level.as_str(),
            ", score ",
            text::score(self.score),
        ])
    }

    fn base_decision(&self) -> (Decision, VerdictCode, String) {
        let tool = shown(&self.call.tool);
        let Some(outcome) = self.outcome else {
            return (
                Decision::Deny,
                VerdictCode::NoDefaults,
                format!(
                    "Denied: no rule matched `{tool}` and the policy has no defaults, so it fails closed ({}).",
                    self.risk_text()
                ),
            );
        };
        let because = outcome.reason.as_deref().map(|r| r.trim_end_matches('.'));
        // ": reason (risk …)." or " (risk …)."
        let full = [
            ": ",
            because.unwrap_or_default(),
            " (risk ",
            self.level.as_str(),
            ", score ",
            text::score(self.score),
            ").",
        ];
        let tail = if because.is_some() {
            full.as_slice()
        } else {
            full.get(2..).unwrap_or_default()
        };
        let (decision, code, lead) = match (outcome.approval, self.rule) {
            (Approval::Risk, _) => return self.risk_decision(outcome),
            (Approval::Auto, Some(_)) => {
                (Decision::Allow, VerdictCode::RuleAllow, "Allowed by rule `")
            }
            (Approval::Approve, Some(_)) => (
                Decision::RequireApproval,
                VerdictCode::RuleApprove,
                "Needs approval under rule `",
            ),
            (Approval::Block, Some(_)) => {
                (Decision::Deny, VerdictCode::RuleBlock, "Denied by rule `")
            }
            (approval, None) => {
                let (decision, verb) = match approval {
                    Approval::Auto => (Decision::Allow, "allow it"),
                    Approval::Approve => (Decision::RequireApproval, "require approval"),
                    _ => (Decision::Deny, "deny it"),
                };
                let head = ["No rule matched `", &tool, "`; the defaults ", verb];
                return (decision, VerdictCode::Defaults, sentence(&head, tail));
            }
        };
        let name = self.rule.map_or("", |r| &*r.name);
        let text = sentence(&[lead, name, "`"], tail);
        (decision, code, text)
    }

    /// `approval: risk`: the score and the thresholds decide.
    fn risk_decision(&self, outcome: &Outcome) -> (Decision, VerdictCode, String) {
        let (allow, deny) = (self.compiled.risk.allow_max, self.compiled.risk.deny_min);
        let score = self.score;
        let (decision, why) = if score <= allow {
            (
                Decision::Allow,
                format!("{score} is at most {allow}, so it is allowed"),
            )
        } else if score >= deny {
            (
                Decision::Deny,
                format!("{score} is at least {deny}, so it is denied"),
            )
        } else {
            (
                Decision::RequireApproval,
                format!(
                    "{score} is between {} and {}, so it needs approval",
                    allow.saturating_add(1),
                    deny.saturating_sub(1)
                ),
            )
        };
        let who = match self.rule {
            Some(rule) => format!("Rule `{}` decides", rule.name),
            None => format!(
                "No rule matched `{}`; the defaults decide",
                shown(&self.call.tool)
            ),
        };
        let note = outcome
            .reason
            .as_ref()
            .map(|r| format!(" {}.", r.trim_end_matches('.')))
            .unwrap_or_default();
        let code = if self.rule.is_some() {
            VerdictCode::RuleRisk
        } else {
            VerdictCode::Defaults
        };
        (
            decision,
            code,
            format!(
                "{who} by risk: the score {why} (risk {}).{note}",
                self.level
            ),
        )
    }

    fn apply_trust(
        &self,
        decision: Decision,
        code: VerdictCode,
        reason: String,
    ) -> (Decision, VerdictCode, String) {
        let server = self.server.unwrap_or_default();
        let approval = self.rule.map(|r| r.outcome.approval);
        match self.trust {
            Some(TrustLevel::Sandbox)
                if decision != Decision::Deny && approval != Some(Approval::Auto) =>
            {
                (
                    Decision::Deny,
                    VerdictCode::SandboxServer,
                    format!(
                        "Denied: server `{server}` is a sandbox, and only a rule with `approval: auto` lets its calls through. {reason}"
                    ),
                )
            }
            Some(TrustLevel::Restricted)
                if decision == Decision::Allow && self.subject.class != VerbClass::Read =>
            {
                (
                    Decision::RequireApproval,
                    VerdictCode::RestrictedServer,
                    format!(
                        "Needs approval: server `{server}` is restricted and this call is a {} ({}). {reason}",
                        self.subject.class.as_str(),
                        self.detail
                    ),
                )
            }
            Some(TrustLevel::Trusted)
                if decision == Decision::RequireApproval
                    && self.score < 50
                    && approval != Some(Approval::Approve) =>
            {
                (
                    Decision::Allow,
                    VerdictCode::TrustedServer,
                    format!(
                        "Allowed: server `{server}` is trusted and the score {} is under 50. {reason}",
                        self.score
                    ),
                )
            }
            _ => (decision, code, reason),
        }
    }
}

/// Joins two runs of pieces into one sentence with one allocation.
fn sentence(head: &[&str], tail: &[&str]) -> String {
    let len = head.iter().chain(tail).map(|p| p.len()).sum();
    let mut out = String::with_capacity(len);
    for piece in head.iter().chain(tail) {
        out.push_str(piece);
    }
    out
}

/// A name as reasons show it: at most 80 characters.
fn shown(name: &str) -> Cow<'_, str> {
    if name.chars().count() <= 80 {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{}…", name.chars().take(80).collect::<String>()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn a_declared_level_moves_the_score_into_its_band_and_says_so() {
        for level in [
            RiskLevel::Low,
            RiskLevel::Medium,
            RiskLevel::High,
            RiskLevel::Critical,
        ] {
            let (low, high) = level.band();
            for start in [-40, 0, 50, 100, 160] {
                let mut factors = vec![Factor {
                    name: "verb_read".into(),
                    points: start,
                    detail: "".into(),
                }];
                let defaults = Outcome {
                    approval: Approval::Approve,
                    risk_level: Some(level),
                    level_span: Some(Span::default()),
                    reason: None,
                    approval_level: None,
                    compliance: Vec::new(),
                };
                move_into_band(&mut factors, &defaults, None);
                let score = total(&factors);
                assert!((low..=high).contains(&score), "{level}: {score}");
                if let Some(moved) = factors.get(1) {
                    assert_eq!(
                        moved.detail,
                        format!("the defaults declare risk_level {level} ({low}–{high})")
                    );
                } else {
                    // No move: the clamped score was in the band already.
                    assert!((i32::from(low)..=i32::from(high)).contains(&start.clamp(0, 100)));
                }
            }
        }
    }

    #[test]
    fn a_level_left_out_is_medium_and_the_detail_says_so() -> Result<(), String> {
        let policy = crate::Policy::from_yaml(
            "version: 1\ndefaults: { approval: approve }\nrules:\n  - name: guard\n    match: { tool: write_file }\n    approval: block\n",
        )
        .map_err(|e| e.to_string())?;
        let now = Timestamp::from_unix_seconds(0);
        let mut write = ToolCall::new("write_file");
        write.arguments.insert("path".into(), "/etc/passwd".into());
        let delete = ToolCall::new("delete_everything");
        for (call, rule, detail) in [
            (
                &write,
                Some("guard"),
                "rule `guard` gives no risk_level, so it is medium (31–69), the Aegis default",
            ),
            (
                &delete,
                None,
                "the defaults give no risk_level, so they are medium (31–69), the Aegis default",
            ),
        ] {
            let verdict = policy.evaluate(call, now);
            assert_eq!(verdict.rule.as_deref(), rule);
            assert_eq!(
                (verdict.risk_score, verdict.risk_level),
                (69, RiskLevel::Medium)
            );
            let moved = verdict.factors.iter().find(|f| f.name == "rule_risk_level");
            assert_eq!(
                moved.map(|f| &*f.detail),
                Some(detail),
                "{:?}",
                verdict.factors
            );
        }
        Ok(())
    }

    #[test]
    fn a_rule_that_declares_a_level_names_itself_in_the_detail() -> Result<(), String> {
        let policy = crate::Policy::from_yaml(
            "version: 1\nrules:\n  - name: quiet\n    risk_level: low\n    approval: auto\n",
        )
        .map_err(|e| e.to_string())?;
        let verdict = policy.evaluate(
            &ToolCall::new("delete_everything"),
            Timestamp::from_unix_seconds(0),
        );
        let moved = verdict.factors.iter().find(|f| f.name == "rule_risk_level");
        assert_eq!(
            moved.map(|f| &*f.detail),
            Some("rule `quiet` declares risk_level low (0–30)"),
            "{:?}",
            verdict.factors
        );
        assert!(verdict.risk_score <= 30);
        Ok(())
    }
}
