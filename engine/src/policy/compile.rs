//! Compiling a checked policy: patterns into the rule index, regular
//! expressions and globs into matchers. Pattern errors are reported here,
//! at the exact character inside the pattern.

use std::sync::{Arc, OnceLock};

use regex_lite::RegexBuilder;

use crate::condition::Condition;
use crate::diagnostic::DiagnosticKind;
use crate::glob::{self, GlobError};
use crate::index::{FnvMap, RuleIndex};
use crate::limits::Limits;
use crate::policy::model::{ConditionDef, Field, Outcome, Pattern, PolicyDef, RuleDef, TrustLevel};
use crate::policy::shadow;
use crate::read::Reader;
use crate::risk::RiskModel;
use crate::risk::weights::Weights;
use crate::source::Span;
use crate::text;

/// A rule ready to evaluate.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) name: Arc<str>,
    pub(crate) line: u32,
    pub(crate) conditions: Vec<Condition>,
    pub(crate) outcome: Outcome,
    /// Per field (in `Field::ALL` order): the key as written and the
    /// patterns as written, for traces.
    pub(crate) shown: [Option<(Arc<str>, Arc<str>)>; 6],
}

/// Server trust levels by pattern, first match wins.
#[derive(Debug, Default)]
pub(crate) struct ServerTrust {
    exact: Vec<(glob::Glob, TrustLevel)>,
    folded: Vec<(glob::Glob, TrustLevel)>,
}

impl ServerTrust {
    pub(crate) fn of(&self, server: &str, folded: bool) -> Option<TrustLevel> {
        let list = if folded { &self.folded } else { &self.exact };
        list.iter()
            .find(|(m, _)| m.is_match(server))
            .map(|(_, level)| *level)
    }
}

/// An argument some rule's condition reads, and how a list given there is
/// decided item by item.
#[derive(Debug)]
pub(crate) struct ListParam {
    pub(crate) param: String,
    /// Each item also as a one-item list (a membership test reads it).
    pub(crate) as_list: bool,
    /// Each item also as itself (a comparison or match reads it).
    pub(crate) as_item: bool,
}

/// A policy ready to evaluate.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) defs: Vec<RuleDef>,
    pub(crate) index: RuleIndex,
    /// The case-insensitive index for canonical names, built on first use.
    pub(crate) folded: OnceLock<RuleIndex>,
    pub(crate) defaults: Option<Outcome>,
    pub(crate) servers: ServerTrust,
    pub(crate) risk: RiskModel,
    pub(crate) limits: Limits,
    /// The arguments some rule's `param_*` condition reads (each once): a
    /// list given there is also decided item by item. With each, how an
    /// item stands in for the list: as a one-item list (for membership
    /// tests), as the item itself (for comparisons and matches), or both.
    pub(crate) list_params: Vec<ListParam>,
}

impl Compiled {
    pub(crate) fn folded_index(&self) -> &RuleIndex {
        self.folded
            .get_or_init(|| RuleIndex::build(&self.defs, true))
    }
}

/// Compiles a policy, reporting pattern errors into the reader.
// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
pub(crate) fn compile(reader: &mut Reader<'_, '_>, def: PolicyDef, limits: &Limits) -> Compiled {
    for rule in &def.rules {
        for m in &rule.matches {
            for pattern in &m.patterns {
                check_glob(reader, pattern, limits);
            }
        }
    }
    for (pattern, _) in &def.servers {
        check_glob(reader, pattern, limits);
    }
    for pattern in def
        .risk
        .sensitive_resources
        .iter()
        .chain(&def.risk.production_targets)
    {
        check_glob(reader, pattern, limits);
    }
    // One label per match key (`match.tool`, …), shared by every rule.
    let mut labels: FnvMap<&str, Arc<str>> = FnvMap::default();
    let rules: Vec<CompiledRule> = def
        .rules
        .iter()
        .map(|rule| CompiledRule {
            name: Arc::from(rule.name.as_str()),
            line: rule.span.line,
            conditions: rule
                .conditions
                .iter()
                .filter_map(|c| compile_condition(reader, c, limits))
                .collect(),
            outcome: rule.outcome.clone(),
            shown: Field::ALL.map(|field| {
                rule.matches.iter().find(|m| m.field == field).map(|m| {
                    let label = labels
                        .entry(m.key)
                        .or_insert_with(|| Arc::from(text::join(&["match.", m.key])))
                        .clone();
                    let shown: Arc<str> = match (m.listed, m.patterns.as_slice()) {
                        (false, [only]) => Arc::from(only.text.as_str()),
                        _ => {
                            let patterns: Vec<&str> =
                                m.patterns.iter().map(|p| p.text.as_str()).collect();
                            let joined = patterns.join(", ");
                            if m.listed {
                                Arc::from(text::join(&["[", &joined, "]"]))
                            } else {
                                Arc::from(joined)
                            }
                        }
                    };
                    (label, shown)
                })
            }),
        })
        .collect();
    let servers = ServerTrust {
        exact: trust_list(&def.servers, false),
        folded: trust_list(&def.servers, true),
    };
    let texts = |patterns: &[Pattern]| patterns.iter().map(|p| p.text.clone()).collect::<Vec<_>>();
    let risk = RiskModel::new(
        Weights::with_overrides(&def.risk.weights),
        def.risk.allow_max,
        def.risk.deny_min,
        &texts(&def.risk.sensitive_resources),
        &texts(&def.risk.production_targets),
    );
    let index = RuleIndex::build(&def.rules, false);
    shadow::warn_shadowed(reader, &def.rules, &index);
    let list_params = list_params(&rules);
    Compiled {
        rules,
        index,
        list_params,
        folded: OnceLock::new(),
        defs: def.rules,
        defaults: def.defaults,
        servers,
        risk,
        limits: limits.clone(),
    }
}

/// Each argument some condition reads, once, with how its list items are
/// decided.
fn list_params(rules: &[CompiledRule]) -> Vec<ListParam> {
    let mut out: Vec<ListParam> = Vec::new();
    for (param, whole) in rules
        .iter()
        .flat_map(|r| r.conditions.iter().filter_map(Condition::param))
    {
        let entry = match out.iter().position(|p| p.param == param) {
            Some(at) => out.get_mut(at),
            None => {
                out.push(ListParam {
                    param: param.to_owned(),
                    as_list: false,
                    as_item: false,
                });
                out.last_mut()
            }
        };
        if let Some(entry) = entry {
            if whole {
                entry.as_list = true;
            } else {
                entry.as_item = true;
            }
        }
    }
    out
}

fn trust_list(servers: &[(Pattern, TrustLevel)], folded: bool) -> Vec<(glob::Glob, TrustLevel)> {
    servers
        .iter()
        .filter_map(|(p, level)| glob::compile(&p.text, folded).ok().map(|g| (g, *level)))
        .collect()
}

fn check_glob(reader: &mut Reader<'_, '_>, pattern: &Pattern, limits: &Limits) {
    if pattern.text.len() > limits.max_pattern_bytes {
        reader.error(
            DiagnosticKind::Limit,
            pattern.span,
            format!(
                "the pattern is {} bytes, more than the limit of {}",
                pattern.text.len(),
                limits.max_pattern_bytes
            ),
            None,
        );
        return;
    }
    if let Err(error) = glob::check(&pattern.text) {
        report_glob(reader, pattern, &error);
    }
}

fn report_glob(reader: &mut Reader<'_, '_>, pattern: &Pattern, error: &GlobError) {
    let span = inner_span(reader, pattern.span, &pattern.text, error.start, error.end);
    reader.error(
        DiagnosticKind::InvalidGlob,
        span,
        error.message.clone(),
        error.help.clone(),
    );
}

/// The span of `start..end` inside a pattern, when the pattern is written
/// plainly or in simple quotes; otherwise the whole pattern.
fn inner_span(reader: &Reader<'_, '_>, span: Span, text: &str, start: usize, end: usize) -> Span {
    let written = span.text(reader.map.source());
    let offset = if written == text {
        Some(0)
    } else if written.len() == text.len() + 2
        && (written.starts_with('"') || written.starts_with('\''))
        && written.get(1..written.len() - 1) == Some(text)
    {
        Some(1)
    } else {
        None
    };
    match offset {
        Some(o) => reader
            .map
            .span(span.start + o + start, span.start + o + end),
        None => span,
    }
}

fn compile_condition(
    reader: &mut Reader<'_, '_>,
    def: &ConditionDef,
    limits: &Limits,
) -> Option<Condition> {
    Some(match def {
        ConditionDef::Compare {
            op, param, value, ..
        } => Condition::Compare {
            op: *op,
            param: param.clone(),
            value: value.clone(),
        },
        ConditionDef::Contains { param, value, .. } => Condition::Contains {
            param: param.clone(),
            value: value.clone(),
        },
        ConditionDef::Matches { param, regex, span } => {
            if regex.len() > limits.max_regex_bytes {
                reader.error(
                    DiagnosticKind::Limit,
                    *span,
                    format!(
                        "the regular expression is {} bytes, more than the limit of {}",
                        regex.len(),
                        limits.max_regex_bytes
                    ),
                    None,
                );
                return None;
            }
            match RegexBuilder::new(regex)
                .size_limit(limits.max_regex_compiled_bytes)
                .build()
            {
                Ok(compiled) => Condition::Matches {
                    param: param.clone(),
                    regex: compiled,
                },
                Err(error) => {
                    report_regex(reader, *span, regex, &error);
                    return None;
                }
            }
        }
        ConditionDef::Glob {
            param, patterns, ..
        } => {
            let mut compiled = Vec::with_capacity(patterns.len());
            for pattern in patterns {
                check_glob(reader, pattern, limits);
                if let Ok(g) = glob::compile(&pattern.text, false) {
                    compiled.push((pattern.text.clone(), g));
                }
            }
            Condition::Glob {
                param: param.clone(),
                patterns: compiled,
            }
        }
        ConditionDef::Time { after, before, .. } => Condition::Time {
            after: *after,
            before: *before,
        },
        ConditionDef::Weekdays { days, .. } => Condition::Weekdays(days.clone()),
        ConditionDef::Semantic { categories, .. } => Condition::Semantic(categories.clone()),
    })
}

fn report_regex(reader: &mut Reader<'_, '_>, span: Span, regex: &str, error: &regex_lite::Error) {
    let detail = error.to_string();
    let help = if regex.contains("(?=")
        || regex.contains("(?!")
        || regex.contains("(?<=")
        || regex.contains("(?<!")
    {
        Some("look-around is not supported; rewrite the pattern without it".to_owned())
    } else if (1..=9).any(|d| regex.contains(&format!("\\{d}"))) {
        Some("backreferences are not supported".to_owned())
    } else if detail.contains("size limit") {
        Some("simplify the pattern (large repetition counts multiply its size)".to_owned())
    } else if regex.contains("\\p{") || regex.contains("\\P{") {
        Some(
            "Unicode classes such as `\\p{L}` are not supported; list the characters or use `\\w`"
                .to_owned(),
        )
    } else {
        None
    };
    // Too large once compiled is a limit (like a too long pattern), not a
    // mistake in the pattern.
    let kind = if detail.contains("size limit") {
        DiagnosticKind::Limit
    } else {
        DiagnosticKind::InvalidRegex
    };
    reader.error(
        kind,
        span,
        format!("invalid regular expression `{regex}`: {detail}"),
        help,
    );
}
