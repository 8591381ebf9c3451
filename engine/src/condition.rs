//! Compiled rule conditions and how they hold (or fail) for a call.

use std::fmt::Write as _;

use regex_lite::Regex;
use serde_json::{Map, Value as Json};

use crate::normalize::path::{looks_like_path, normalize_path};
use crate::policy::model::{Category, Compare};
use crate::risk::args::lookup;
use crate::risk::semantic::Semantics;
use crate::time::Timestamp;
use crate::verdict::FailedClause;

/// A condition ready to evaluate.
#[derive(Debug)]
pub(crate) enum Condition {
    Compare {
        op: Compare,
        param: String,
        value: Json,
    },
    Contains {
        param: String,
        value: Json,
    },
    Matches {
        param: String,
        regex: Regex,
    },
    Glob {
        param: String,
        patterns: Vec<(String, crate::glob::Glob)>,
    },
    Time {
        after: Option<u16>,
        before: Option<u16>,
    },
    Weekdays(Vec<u8>),
    Semantic(Vec<Category>),
}

/// What conditions are evaluated against.
pub(crate) struct Context<'a> {
    pub(crate) arguments: &'a Map<String, Json>,
    pub(crate) now: Timestamp,
    pub(crate) semantics: &'a Semantics,
    /// The rule lets calls through (`approval: auto`). A list argument then
    /// satisfies a `param_matches`/`param_glob` only if every item does;
    /// for any other rule one item is enough. Either way a list is never a
    /// way around a rule.
    pub(crate) permissive: bool,
}

impl Condition {
    /// The argument the condition reads, if it reads one, and whether it
    /// reads a list as a whole (`param_contains`: membership) rather than
    /// its items.
    pub(crate) fn param(&self) -> Option<(&str, bool)> {
        match self {
            Condition::Contains { param, .. } => Some((param, true)),
            Condition::Compare { param, .. }
            | Condition::Matches { param, .. }
            | Condition::Glob { param, .. } => Some((param, false)),
            Condition::Time { .. } | Condition::Weekdays(_) | Condition::Semantic(_) => None,
        }
    }

    pub(crate) fn holds(&self, ctx: &Context<'_>) -> bool {
        match self {
            Condition::Compare { op, param, value } => {
                lookup(ctx.arguments, param).is_some_and(|actual| compare(*op, actual, value))
            }
            Condition::Contains { param, value } => {
                lookup(ctx.arguments, param).is_some_and(|actual| contains(actual, value))
            }
            Condition::Matches { param, regex } => lookup(ctx.arguments, param)
                .is_some_and(|actual| each_text(actual, ctx.permissive, |t| regex.is_match(t))),
            Condition::Glob { param, patterns } => {
                lookup(ctx.arguments, param).is_some_and(|actual| {
                    each_text(actual, ctx.permissive, |t| {
                        // A text is a path when it looks like one as
                        // written or once decoded (`%2Fetc%2Fpasswd`).
                        let normalized = normalize_path(t);
                        let candidate = if looks_like_path(t) || looks_like_path(&normalized) {
                            normalized
                        } else {
                            t.to_owned()
                        };
                        patterns.iter().any(|(_, g)| g.is_match(&candidate))
                    })
                })
            }
            Condition::Time { after, before } => {
                in_window(ctx.now.minute_of_day(), *after, *before)
            }
            Condition::Weekdays(days) => days.contains(&ctx.now.iso_weekday()),
            Condition::Semantic(categories) => {
                categories.iter().any(|c| ctx.semantics.get(*c).is_some())
            }
        }
    }

    /// The clause as a trace shows it when it fails.
    pub(crate) fn clause(&self, ctx: &Context<'_>) -> FailedClause {
        let actual_of = |param: &str| lookup(ctx.arguments, param).map(|v| show_json(v).into());
        match self {
            Condition::Compare { op, param, value } => FailedClause {
                field: format!("conditions.{}.{param}", op.key()).into(),
                pattern: format!("{} {}", op.symbol(), show_json(value)).into(),
                actual: actual_of(param),
            },
            Condition::Contains { param, value } => FailedClause {
                field: format!("conditions.param_contains.{param}").into(),
                pattern: format!("contains {}", show_json(value)).into(),
                actual: actual_of(param),
            },
            Condition::Matches { param, regex } => FailedClause {
                field: format!("conditions.param_matches.{param}").into(),
                pattern: format!("matches /{}/", regex.as_str()).into(),
                actual: actual_of(param),
            },
            Condition::Glob { param, patterns } => FailedClause {
                field: format!("conditions.param_glob.{param}").into(),
                pattern: patterns
                    .iter()
                    .map(|(p, _)| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into(),
                actual: actual_of(param),
            },
            Condition::Time { after, before } => {
                let field = match (after, before) {
                    (Some(_), Some(_)) => "conditions.time_after/time_before",
                    (Some(_), None) => "conditions.time_after",
                    _ => "conditions.time_before",
                };
                FailedClause {
                    field: field.into(),
                    pattern: window_text(*after, *before).into(),
                    actual: Some(format!("{} UTC", hhmm(ctx.now.minute_of_day())).into()),
                }
            }
            Condition::Weekdays(days) => FailedClause {
                field: "conditions.weekdays".into(),
                pattern: format!(
                    "{:?}",
                    days.iter().map(|d| u32::from(*d)).collect::<Vec<_>>()
                )
                .into(),
                actual: Some(
                    format!(
                        "{} ({})",
                        ctx.now.iso_weekday(),
                        weekday_name(ctx.now.iso_weekday())
                    )
                    .into(),
                ),
            },
            Condition::Semantic(categories) => {
                let found: Vec<&str> = Category::NAMES
                    .iter()
                    .copied()
                    .filter(|n| Category::parse(n).is_some_and(|c| ctx.semantics.get(c).is_some()))
                    .collect();
                FailedClause {
                    field: "conditions.semantic".into(),
                    pattern: categories
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                        .into(),
                    actual: Some(if found.is_empty() {
                        "none".into()
                    } else {
                        found.join(", ").into()
                    }),
                }
            }
        }
    }
}

/// A number, or a text that is exactly a number (`"5000"`): tool servers
/// commonly accept both, so a string must not slip past a numeric limit.
fn as_number(value: &Json) -> Option<f64> {
    match value {
        Json::Number(n) => n.as_f64(),
        // A number too large for a float (`"1e400"`) reads as infinite,
        // which is still over any limit.
        Json::String(s) => crate::number::parse_f64(s.trim()),
        _ => None,
    }
}

fn compare(op: Compare, actual: &Json, expected: &Json) -> bool {
    if op == Compare::Eq {
        return json_eq(actual, expected);
    }
    let (Some(a), Some(e)) = (as_number(actual), as_number(expected)) else {
        return false;
    };
    match op {
        Compare::Gt => a > e,
        Compare::Lt => a < e,
        Compare::Gte => a >= e,
        Compare::Lte => a <= e,
        Compare::Eq => false,
    }
}

/// Equality with numbers compared by value (`1 == 1.0`, `"5" == 5`).
fn json_eq(actual: &Json, expected: &Json) -> bool {
    match (actual, expected) {
        (Json::Number(_), _) | (_, Json::Number(_)) => {
            matches!((as_number(actual), as_number(expected)), (Some(a), Some(e)) if a == e)
        }
        (Json::Array(a), Json::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(x, y)| json_eq(x, y))
        }
        _ => actual == expected,
    }
}

fn contains(actual: &Json, expected: &Json) -> bool {
    match actual {
        Json::String(text) => match expected {
            Json::String(needle) => text.contains(needle.as_str()),
            Json::Number(n) => text.contains(&n.to_string()),
            Json::Bool(b) => text.contains(&b.to_string()),
            _ => false,
        },
        Json::Array(items) => items.iter().any(|item| json_eq(item, expected)),
        _ => false,
    }
}

/// Applies a text test to a value: a text, a number's or boolean's text,
/// or the items of a list (all of them for a permissive rule, any for others).
fn each_text(value: &Json, permissive: bool, test: impl Fn(&str) -> bool) -> bool {
    match value {
        Json::String(s) => test(s),
        Json::Number(n) => test(&n.to_string()),
        Json::Bool(b) => test(&b.to_string()),
        Json::Array(items) if !items.is_empty() => {
            let item_holds = |item: &Json| match item {
                Json::String(s) => test(s),
                Json::Number(n) => test(&n.to_string()),
                _ => false,
            };
            if permissive {
                items.iter().all(item_holds)
            } else {
                items.iter().any(item_holds)
            }
        }
        _ => false,
    }
}

/// Whether a minute of the day falls in the window. A window whose start
/// is after its end wraps over midnight (`22:00`–`06:00`).
pub(crate) fn in_window(minute: u16, after: Option<u16>, before: Option<u16>) -> bool {
    match (after, before) {
        (Some(a), Some(b)) if a <= b => minute >= a && minute < b,
        (Some(a), Some(b)) => minute >= a || minute < b,
        (Some(a), None) => minute >= a,
        (None, Some(b)) => minute < b,
        (None, None) => true,
    }
}

fn window_text(after: Option<u16>, before: Option<u16>) -> String {
    match (after, before) {
        (Some(a), Some(b)) => format!("from {} to {} UTC", hhmm(a), hhmm(b)),
        (Some(a), None) => format!("from {} UTC", hhmm(a)),
        (None, Some(b)) => format!("before {} UTC", hhmm(b)),
        (None, None) => "any time".to_owned(),
    }
}

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn weekday_name(day: u8) -> &'static str {
    match day {
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        6 => "Saturday",
        _ => "Sunday",
    }
}

/// A value as a short text for traces (JSON, cut at 80 characters).
pub(crate) fn show_json(value: &Json) -> String {
    let text = match value {
        Json::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if text.chars().count() <= 80 {
        return text;
    }
    let mut cut: String = text.chars().take(80).collect();
    let _ = write!(cut, "…");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comparisons() {
        use Compare::*;
        for (op, actual, expected, result) in [
            (Gt, json!(5000), json!(1000), true),
            (Gt, json!("5000"), json!(1000), true),
            (Gt, json!("lots"), json!(1000), false),
            (Gt, json!("1e400"), json!(1000), true),
            (Lt, json!("1e400"), json!(1000), false),
            (Gt, json!("-1e400"), json!(1000), false),
            (Gt, json!(true), json!(0), false),
            (Gt, json!([5000]), json!(1000), false),
            (Lte, json!(1000.0), json!(1000), true),
            (Eq, json!(1), json!(1.0), true),
            (Eq, json!("active"), json!("active"), true),
            (Eq, json!("5"), json!(5), true),
            (Eq, json!(true), json!(1), false),
            (Eq, json!(null), json!(null), true),
        ] {
            assert_eq!(
                compare(op, &actual, &expected),
                result,
                "{actual} {op:?} {expected}"
            );
        }
    }

    #[test]
    fn containment() {
        assert!(contains(&json!("very urgent"), &json!("urgent")));
        assert!(contains(&json!(["a", "urgent"]), &json!("urgent")));
        assert!(!contains(&json!(["a", "urgently"]), &json!("urgent")));
        assert!(!contains(&json!(5), &json!("5")));
    }

    #[test]
    fn windows_wrap_over_midnight() {
        let (night_from, night_to) = (Some(22 * 60), Some(6 * 60));
        assert!(in_window(23 * 60, night_from, night_to));
        assert!(in_window(3 * 60, night_from, night_to));
        assert!(!in_window(12 * 60, night_from, night_to));
        assert!(in_window(9 * 60, Some(9 * 60), Some(17 * 60)));
        assert!(!in_window(17 * 60, Some(9 * 60), Some(17 * 60)));
    }

    #[test]
    fn lists_never_get_around_a_rule() {
        let hit = |t: &str| t.starts_with("/etc");
        let mixed = json!(["/data/a", "/etc/passwd"]);
        assert!(
            each_text(&mixed, false, hit),
            "a restricting rule sees the /etc item"
        );
        assert!(
            !each_text(&mixed, true, |t| t.starts_with("/data")),
            "an allowing rule needs all items"
        );
    }
}
