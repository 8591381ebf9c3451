//! Reading a policy's YAML tree into a [`PolicyDef`], reporting every
//! problem at its place.

use crate::diagnostic::DiagnosticKind;
use crate::index::FnvMap;
use crate::limits::Limits;
use crate::policy::model::{
    Approval, Category, Compare, ConditionDef, Field, FieldMatch, MATCH_KEYS, Outcome, Pattern,
    PolicyDef, RiskDef, RuleDef, TrustLevel,
};
use crate::read::{Entries, Reader, What};
use crate::risk::{ALLOW_MAX, DENY_MIN, weights};
use crate::source::Span;
use crate::verdict::RiskLevel;
use crate::yaml::{Node, Resolved, Value};

const TOP_KEYS: [&str; 7] = [
    "version",
    "name",
    "description",
    "defaults",
    "rules",
    "servers",
    "risk",
];
const OUTCOME_KEYS: [&str; 5] = [
    "risk_level",
    "approval",
    "reason",
    "approval_level",
    "compliance",
];
const RULE_KEYS: [&str; 9] = [
    "name",
    "description",
    "match",
    "conditions",
    "risk_level",
    "approval",
    "reason",
    "approval_level",
    "compliance",
];
const CONDITION_KEYS: [&str; 12] = [
    "param_eq",
    "param_gt",
    "param_lt",
    "param_gte",
    "param_lte",
    "param_contains",
    "param_matches",
    "param_glob",
    "time_after",
    "time_before",
    "weekdays",
    "semantic",
];
const RISK_KEYS: [&str; 4] = [
    "thresholds",
    "weights",
    "sensitive_resources",
    "production_targets",
];
const THRESHOLD_KEYS: [&str; 2] = ["allow", "deny"];

/// Where a key that is unknown in one place belongs instead.
fn placement(here: &'static str) -> impl Fn(&str) -> Option<String> {
    move |key: &str| {
        let under = if MATCH_KEYS.contains(&key) && here != "match" {
            "under `match:`"
        } else if CONDITION_KEYS.contains(&key) && here != "conditions" {
            "under `conditions:`"
        } else if RULE_KEYS.contains(&key) && here != "rule" && here != "top" {
            "in the rule itself, not under its `match:` or `conditions:`"
        } else if key == "rules" && here == "rule" {
            "at the top level of the policy"
        } else {
            return None;
        };
        Some(format!("`{key}` belongs {under}"))
    }
}

/// Reads the whole policy. Errors go to the reader's diagnostics; the
/// returned definition holds everything that could be read.
// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
pub(crate) fn decode(reader: &mut Reader<'_, '_>, root: &Node, limits: &Limits) -> PolicyDef {
    let mut policy = PolicyDef::default();
    let Some(top) = reader.mapping(root, "the policy", &TOP_KEYS, &placement("top")) else {
        return policy;
    };
    if let Some(version) = top.get("version") {
        read_version(reader, version);
    }
    if let Some(defaults) = top.entry("defaults") {
        let entries = reader.mapping(
            defaults.value,
            "`defaults`",
            &OUTCOME_KEYS,
            &placement("defaults"),
        );
        policy.defaults = entries.map(|e| read_outcome(reader, &e, What::Text("`defaults`")));
    }
    if let Some(rules) = top.get("rules") {
        policy.rules = read_rules(reader, rules, limits);
    }
    if let Some(servers) = top.get("servers") {
        policy.servers = read_servers(reader, servers);
    }
    if let Some(risk) = top.get("risk") {
        policy.risk = read_risk(reader, risk);
    }
    warn_fixed_by_level(reader, &policy);
    policy
}

/// Warns of each `approval: risk` whose declared `risk_level` leaves the
/// thresholds one decision: the level moves every score into its band
/// before the thresholds read it.
fn warn_fixed_by_level(reader: &mut Reader<'_, '_>, policy: &PolicyDef) {
    let allow = policy.risk.allow_max.unwrap_or(ALLOW_MAX);
    let deny = policy.risk.deny_min.unwrap_or(DENY_MIN);
    if allow >= deny {
        return; // already an error
    }
    let defaults = policy.defaults.iter().map(|o| (o, None));
    let rules = policy
        .rules
        .iter()
        .map(|r| (&r.outcome, Some(r.name.as_str())));
    for (outcome, rule) in defaults.chain(rules) {
        let (Approval::Risk, Some(level), Some(span)) =
            (outcome.approval, outcome.risk_level, outcome.level_span)
        else {
            continue;
        };
        let (low, high) = level.band();
        let allows = low <= allow;
        let denies = high >= deny;
        let approves = low.max(allow + 1) <= high.min(deny - 1);
        // What the rule (singular) or the defaults (plural) always do.
        let (rule_does, defaults_do, instead) = match (allows, approves, denies) {
            (true, false, false) => ("allows", "allow", "auto"),
            (false, true, false) => ("requires approval", "require approval", "approve"),
            (false, false, true) => ("denies", "deny", "block"),
            _ => continue,
        };
        let (who, always) = match rule {
            Some(name) => (format!("rule `{name}`"), rule_does),
            None => ("the defaults".to_owned(), defaults_do),
        };
        reader.warning(
            DiagnosticKind::FixedByLevel,
            span,
            format!(
                "`risk_level: {level}` moves every score into {low}–{high} before `approval: risk` reads it, so {who} always {always}"
            ),
            Some(format!(
                "leave out `risk_level` to decide by the computed score, or write `approval: {instead}` if that is the intent"
            )),
        );
    }
}

fn read_version(reader: &mut Reader<'_, '_>, node: &Node) {
    let Some(text) = reader.text(node, "`version`") else {
        return;
    };
    if !matches!(text.as_str(), "1" | "1.0") {
        reader.error(
            DiagnosticKind::InvalidValue,
            node.span,
            format!("unsupported policy version `{text}`"),
            Some(
                "this engine reads version \"1\" (the Aegis format and its extensions)".to_owned(),
            ),
        );
    }
}

fn read_outcome(reader: &mut Reader<'_, '_>, entries: &Entries<'_>, what: What<'_>) -> Outcome {
    let approval = entries
        .get("approval")
        .and_then(|n| reader.choice(n, "approval", &Approval::NAMES, Approval::parse))
        .unwrap_or(Approval::Approve);
    let level_node = entries.get("risk_level");
    let declared =
        level_node.and_then(|n| reader.choice(n, "risk level", &LEVEL_NAMES, RiskLevel::parse));
    // Aegis defaults a missing level to medium; a risk-decided outcome
    // leaves it to the score instead.
    let risk_level = match (declared, approval) {
        (Some(level), _) => Some(level),
        (None, Approval::Risk) => None,
        (None, _) => Some(RiskLevel::Medium),
    };
    let reason = entries
        .get("reason")
        .and_then(|n| reader.text(n, What::Then("`reason` in ", &what)));
    let approval_level = entries
        .get("approval_level")
        .and_then(|n| reader.integer(n, "`approval_level`", 1, 5))
        .and_then(|n| u8::try_from(n).ok());
    let compliance = entries
        .get("compliance")
        .and_then(|n| reader.texts(n, "`compliance`"))
        .map(|(tags, _)| tags.into_iter().map(|(t, _)| t).collect())
        .unwrap_or_default();
    Outcome {
        approval,
        risk_level,
        level_span: declared.and(level_node.map(|n| n.span)),
        reason,
        approval_level,
        compliance,
    }
}

const LEVEL_NAMES: [&str; 4] = ["low", "medium", "high", "critical"];

fn read_rules(reader: &mut Reader<'_, '_>, node: &Node, limits: &Limits) -> Vec<RuleDef> {
    let Some(items) = reader.list(node, "`rules`") else {
        return Vec::new();
    };
    if items.len() > limits.max_rules {
        reader.error(
            DiagnosticKind::Limit,
            node.span,
            format!(
                "the policy has {} rules, more than the limit of {}",
                items.len(),
                limits.max_rules
            ),
            None,
        );
        return Vec::new();
    }
    let mut rules = Vec::with_capacity(items.len());
    let mut names: FnvMap<String, Span> = FnvMap::default();
    for (index, item) in items.iter().enumerate() {
        let Some(rule) = read_rule(reader, item, index) else {
            continue;
        };
        let name_span = name_span(item).unwrap_or(item.span);
        if let Some(first) = names.get(&rule.name) {
            reader.error(
                DiagnosticKind::DuplicateRule,
                name_span,
                format!("duplicate rule name `{}`", rule.name),
                Some(format!(
                    "the first rule with this name is at line {}; rule names must be unique so verdicts name one rule",
                    first.line
                )),
            );
        } else {
            names.insert(rule.name.clone(), name_span);
        }
        rules.push(rule);
    }
    rules
}

fn name_span(item: &Node) -> Option<Span> {
    let Value::Map(pairs) = &item.value else {
        return None;
    };
    pairs
        .iter()
        .find(|(k, _)| k.as_text() == Some("name"))
        .map(|(_, v)| v.span)
}

fn read_rule(reader: &mut Reader<'_, '_>, item: &Node, index: usize) -> Option<RuleDef> {
    // Name the rule in messages about its keys, when it has a name.
    let written_name = match &item.value {
        Value::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| k.as_text() == Some("name"))
            .and_then(|(_, v)| v.as_text()),
        _ => None,
    };
    let numbered;
    let written;
    let what = match written_name {
        Some(n) => {
            written = ["rule `", n, "`"];
            What::Joined(&written)
        }
        None => {
            numbered = format!("rule {}", index + 1);
            What::Text(&numbered)
        }
    };
    let entries = reader.mapping(item, what, &RULE_KEYS, &placement("rule"))?;
    let name = entries
        .get("name")
        .and_then(|n| reader.text(n, "a rule's `name`"))
        .unwrap_or_else(|| format!("rule_{index}"));
    let named = ["rule `", name.as_str(), "`"];
    let what = What::Joined(&named);
    if let Some(description) = entries.get("description") {
        reader.text(description, "`description`");
    }
    let matches = match entries.entry("match") {
        Some(entry) => read_match(reader, entry.value, what),
        None => Vec::new(),
    };
    let conditions = match entries.entry("conditions") {
        Some(entry) => read_conditions(reader, entry.value, what),
        None => Vec::new(),
    };
    let outcome = read_outcome(reader, &entries, what);
    Some(RuleDef {
        name,
        span: item.span,
        matches,
        conditions,
        outcome,
    })
}

fn read_match(reader: &mut Reader<'_, '_>, node: &Node, rule: What<'_>) -> Vec<FieldMatch> {
    let what = What::Then("the `match` of ", &rule);
    let Some(entries) = reader.mapping(node, what, &MATCH_KEYS, &placement("match")) else {
        return Vec::new();
    };
    let mut out: Vec<FieldMatch> = Vec::with_capacity(entries.items.len());
    for entry in &entries.items {
        let Some((field, key)) = Field::from_key(entry.key) else {
            continue;
        };
        if let Some(earlier) = out.iter().find(|m| m.field == field) {
            reader.error(
                DiagnosticKind::DuplicateKey,
                entry.key_node.span,
                format!(
                    "`{}` and `{}` are the same field in {what}",
                    earlier.key, entry.key
                ),
                Some(format!("keep one of them (`{}` is an alias)", entry.key)),
            );
            continue;
        }
        let Some((texts, listed)) =
            reader.texts(entry.value, What::Joined(&["`match.", entry.key, "`"]))
        else {
            continue;
        };
        let span = entry.value.span;
        if listed && texts.is_empty() {
            reader.warning(
                DiagnosticKind::EmptyMatch,
                span,
                format!(
                    "`match.{}` of {rule} is an empty list, so the rule never matches",
                    entry.key
                ),
                Some("list at least one pattern, or remove the key to match anything".to_owned()),
            );
        }
        out.push(FieldMatch {
            field,
            key,
            patterns: texts
                .into_iter()
                .map(|(text, span)| Pattern { text, span })
                .collect(),
            listed,
            span,
        });
    }
    out
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn read_conditions(reader: &mut Reader<'_, '_>, node: &Node, rule: What<'_>) -> Vec<ConditionDef> {
    let what = What::Then("the `conditions` of ", &rule);
    let Some(entries) = reader.mapping(node, what, &CONDITION_KEYS, &placement("conditions"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut after: Option<(u16, Span)> = None;
    let mut before: Option<(u16, Span)> = None;
    for entry in &entries.items {
        let value = entry.value;
        match entry.key {
            "param_eq" | "param_gt" | "param_lt" | "param_gte" | "param_lte" => {
                let op = match entry.key {
                    "param_eq" => Compare::Eq,
                    "param_gt" => Compare::Gt,
                    "param_lt" => Compare::Lt,
                    "param_gte" => Compare::Gte,
                    _ => Compare::Lte,
                };
                out.extend(read_compare(reader, value, op));
            }
            "param_contains" => {
                for (param, node) in params(reader, value, entry.key) {
                    out.push(ConditionDef::Contains {
                        param,
                        value: node.to_json(),
                        span: node.span,
                    });
                }
            }
            "param_matches" => {
                for (param, node) in params(reader, value, entry.key) {
                    if let Some(regex) = reader.text(node, "a `param_matches` pattern") {
                        out.push(ConditionDef::Matches {
                            param,
                            regex,
                            span: node.span,
                        });
                    }
                }
            }
            "param_glob" => {
                for (param, node) in params(reader, value, entry.key) {
                    if let Some((texts, _)) = reader.texts(node, "a `param_glob` pattern") {
                        out.push(ConditionDef::Glob {
                            param,
                            patterns: texts
                                .into_iter()
                                .map(|(text, span)| Pattern { text, span })
                                .collect(),
                            span: node.span,
                        });
                    }
                }
            }
            "time_after" => after = read_time(reader, value).map(|t| (t, value.span)),
            "time_before" => before = read_time(reader, value).map(|t| (t, value.span)),
            "weekdays" => {
                if let Some(days) = read_weekdays(reader, value) {
                    out.push(ConditionDef::Weekdays {
                        days,
                        span: value.span,
                    });
                }
            }
            "semantic" => {
                if let Some(categories) = read_categories(reader, value) {
                    out.push(ConditionDef::Semantic {
                        categories,
                        span: value.span,
                    });
                }
            }
            _ => {}
        }
    }
    if after.is_some() || before.is_some() {
        let span = match (after, before) {
            (Some((_, a)), Some((_, b))) if b.start < a.start => b,
            (Some((_, a)), _) => a,
            (None, Some((_, b))) => b,
            (None, None) => node.span,
        };
        out.push(ConditionDef::Time {
            after: after.map(|(t, _)| t),
            before: before.map(|(t, _)| t),
            span,
        });
    }
    out
}

/// The `param → value` entries of a `param_*` condition.
fn params<'n>(reader: &mut Reader<'_, '_>, node: &'n Node, key: &str) -> Vec<(String, &'n Node)> {
    let Value::Map(pairs) = &node.value else {
        reader.error(
            DiagnosticKind::Type,
            node.span,
            format!(
                "`{key}` must map argument names to values, found {}",
                node.type_name()
            ),
            Some(format!("for example `{key}: {{ amount: 1000 }}`")),
        );
        return Vec::new();
    };
    let mut out: Vec<(String, &'n Node)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let Some(param) = reader.text(k, What::Joined(&["an argument name in `", key, "`"])) else {
            continue;
        };
        if out.iter().any(|(p, _)| *p == param) {
            reader.error(
                DiagnosticKind::DuplicateKey,
                k.span,
                format!("duplicate argument `{param}` in `{key}`"),
                None,
            );
            continue;
        }
        out.push((param, v));
    }
    out
}

fn read_compare(reader: &mut Reader<'_, '_>, node: &Node, op: Compare) -> Vec<ConditionDef> {
    let mut out = Vec::new();
    for (param, value) in params(reader, node, op.key()) {
        let numeric = matches!(
            &value.value,
            Value::Scalar(s) if matches!(s.resolve(), Resolved::Int(_) | Resolved::Float(_))
        );
        if op != Compare::Eq && !numeric {
            reader.error(
                DiagnosticKind::Type,
                value.span,
                format!(
                    "`{}` compares numbers, but the value for `{param}` is {}",
                    op.key(),
                    value.type_name()
                ),
                Some("write a number without quotes".to_owned()),
            );
            continue;
        }
        out.push(ConditionDef::Compare {
            op,
            param,
            value: value.to_json(),
            span: value.span,
        });
    }
    out
}

/// Parses `HH:MM` (24-hour) into minutes after midnight.
pub(crate) fn parse_time(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn read_time(reader: &mut Reader<'_, '_>, node: &Node) -> Option<u16> {
    let text = reader.text(node, "a time")?;
    let parsed = parse_time(&text);
    if parsed.is_none() {
        reader.error(
            DiagnosticKind::InvalidTime,
            node.span,
            format!("`{text}` is not a time of day"),
            Some("write `HH:MM`, 24-hour, UTC (for example `18:00`)".to_owned()),
        );
    }
    parsed
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn read_weekdays(reader: &mut Reader<'_, '_>, node: &Node) -> Option<Vec<u8>> {
    let items: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    let mut days = Vec::with_capacity(items.len());
    let mut ok = true;
    for item in items {
        let day = match &item.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Int(d) if (1..=7).contains(&d) => u8::try_from(d).ok(),
                _ => None,
            },
            _ => None,
        };
        if let Some(day) = day {
            days.push(day);
            continue;
        }
        ok = false;
        let written = crate::text::lowercase(item.as_text().unwrap_or_default());
        let named = DAY_NAMES
            .iter()
            .position(|d| written.starts_with(d))
            .map(|i| format!("`{written}` is written as {}; ", i + 1))
            .unwrap_or_default();
        reader.error(
            DiagnosticKind::InvalidWeekday,
            item.span,
            format!("`{}` is not a weekday", item.span.text(reader.map.source())),
            Some(format!(
                "{named}weekdays are ISO numbers: 1 = Monday … 7 = Sunday"
            )),
        );
    }
    ok.then_some(days)
}

fn read_categories(reader: &mut Reader<'_, '_>, node: &Node) -> Option<Vec<Category>> {
    let items: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(reader.choice(item, "semantic category", &Category::NAMES, Category::parse)?);
    }
    Some(out)
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn read_servers(reader: &mut Reader<'_, '_>, node: &Node) -> Vec<(Pattern, TrustLevel)> {
    let Value::Map(pairs) = &node.value else {
        reader.error(
            DiagnosticKind::Type,
            node.span,
            format!(
                "`servers` must map server patterns to trust levels, found {}",
                node.type_name()
            ),
            Some("for example `servers: { \"prod-*\": restricted }`".to_owned()),
        );
        return Vec::new();
    };
    let mut out: Vec<(Pattern, TrustLevel)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let Some(text) = reader.text(k, "a server pattern") else {
            continue;
        };
        if out.iter().any(|(p, _)| p.text == text) {
            reader.error(
                DiagnosticKind::DuplicateKey,
                k.span,
                format!("duplicate server pattern `{text}`"),
                None,
            );
            continue;
        }
        if let Some(level) = reader.choice(v, "trust level", &TrustLevel::NAMES, TrustLevel::parse)
        {
            out.push((Pattern { text, span: k.span }, level));
        }
    }
    out
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn read_risk(reader: &mut Reader<'_, '_>, node: &Node) -> RiskDef {
    let mut risk = RiskDef::default();
    let Some(entries) = reader.mapping(node, "`risk`", &RISK_KEYS, &|_| None) else {
        return risk;
    };
    if let Some(thresholds) = entries.get("thresholds")
        && let Some(t) = reader.mapping(thresholds, "`risk.thresholds`", &THRESHOLD_KEYS, &|_| None)
    {
        let score = |reader: &mut Reader<'_, '_>, key: &str| {
            t.get(key)
                .and_then(|n| {
                    reader.integer(n, What::Joined(&["`risk.thresholds.", key, "`"]), 0, 100)
                })
                .and_then(|n| u8::try_from(n).ok())
        };
        risk.allow_max = score(reader, "allow");
        risk.deny_min = score(reader, "deny");
        if let (Some(allow), Some(deny)) = (risk.allow_max, risk.deny_min)
            && allow >= deny
        {
            reader.error(
                        DiagnosticKind::InvalidValue,
                        thresholds.span,
                        format!("the allow threshold ({allow}) must be below the deny threshold ({deny})"),
                        Some("scores up to `allow` are allowed, scores from `deny` are denied, and approval is required in between".to_owned()),
                    );
        }
    }
    if let Some(w) = entries.get("weights")
        && let Some(items) = reader.mapping(w, "`risk.weights`", &weights::names(), &|_| None)
    {
        for entry in &items.items {
            if let Some(points) = reader.integer(
                entry.value,
                What::Joined(&["the weight `", entry.key, "`"]),
                -100,
                100,
            ) {
                risk.weights
                    .push((entry.key.to_owned(), i32::try_from(points).unwrap_or(0)));
            }
        }
    }
    let patterns = |reader: &mut Reader<'_, '_>, key: &str| -> Vec<Pattern> {
        entries
            .get(key)
            .and_then(|n| reader.texts(n, What::Joined(&["`risk.", key, "`"])))
            .map(|(texts, _)| {
                texts
                    .into_iter()
                    .map(|(text, span)| Pattern { text, span })
                    .collect()
            })
            .unwrap_or_default()
    };
    risk.sensitive_resources = patterns(reader, "sensitive_resources");
    risk.production_targets = patterns(reader, "production_targets");
    risk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        for (text, expected) in [
            ("18:00", Some(1080)),
            ("9:05", Some(545)),
            ("00:00", Some(0)),
            ("23:59", Some(1439)),
            ("24:00", None),
            ("12:60", None),
            ("1200", None),
            ("12:5", None),
            ("ab:cd", None),
        ] {
            assert_eq!(parse_time(text), expected, "{text}");
        }
    }
}
