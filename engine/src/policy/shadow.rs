//! Warnings for rules that can never match because an earlier rule without
//! conditions matches every call they match.
//!
//! Only certain cases are reported: an earlier field that is absent or `*`,
//! literal patterns that the earlier globs match, identical patterns, and
//! prefix patterns (`read_file*`) covered by shorter ones (`read_*`). The
//! rule index answers "which rules accept this literal", so the analysis
//! costs a few set lookups and bitset operations per rule, not a comparison
//! of every pair of rules.

use crate::bitset::BitSet;
use crate::diagnostic::DiagnosticKind;
use crate::glob;
use crate::index::{FnvMap, RuleIndex};
use crate::policy::model::{Field, RuleDef};
use crate::read::Reader;

/// Per field: the rules that accept anything there, and the rules by the
/// exact patterns and pure prefixes (`read_*` → `read_`) they use.
struct FieldFacts<'a> {
    universal: BitSet,
    exact: FnvMap<&'a str, Vec<usize>>,
    prefixes: FnvMap<&'a str, Vec<usize>>,
}

/// A pattern that is a literal followed by one `*`.
fn pure_prefix(pattern: &str) -> Option<&str> {
    pattern
        .strip_suffix('*')
        .filter(|p| glob::is_literal(p) && !p.is_empty())
}

fn facts(rules: &[RuleDef], field: Field) -> FieldFacts<'_> {
    let mut out = FieldFacts {
        universal: BitSet::empty(rules.len()),
        exact: FnvMap::default(),
        prefixes: FnvMap::default(),
    };
    for (i, rule) in rules.iter().enumerate() {
        match rule.matches.iter().find(|m| m.field == field) {
            None => out.universal.insert(i),
            Some(m) => {
                // An agent pattern, even `*`, does not match a call without an agent.
                if field != Field::Agent && m.patterns.iter().any(|p| p.text == "*") {
                    out.universal.insert(i);
                }
                for p in &m.patterns {
                    out.exact.entry(p.text.as_str()).or_default().push(i);
                    if let Some(prefix) = pure_prefix(&p.text) {
                        out.prefixes.entry(prefix).or_default().push(i);
                    }
                }
            }
        }
    }
    out
}

/// The earlier rules that certainly accept everything `pattern` accepts.
fn covering(index: &RuleIndex, facts: &FieldFacts<'_>, field: Field, pattern: &str) -> BitSet {
    if glob::is_literal(pattern) {
        return index.field_matches(field, pattern);
    }
    let mut out = facts.universal.clone();
    for rule in facts.exact.get(pattern).into_iter().flatten() {
        out.insert(*rule);
    }
    if let Some(prefix) = pure_prefix(pattern) {
        // Every shorter prefix pattern covers it: `read_*` covers `read_file*`.
        for end in (1..=prefix.len()).filter(|e| prefix.is_char_boundary(*e)) {
            let shorter = prefix.get(..end).unwrap_or_default();
            for rule in facts.prefixes.get(shorter).into_iter().flatten() {
                out.insert(*rule);
            }
        }
    }
    out
}

/// Adds a warning for each rule that an earlier unconditional rule shadows.
// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
pub(crate) fn warn_shadowed(reader: &mut Reader<'_, '_>, rules: &[RuleDef], index: &RuleIndex) {
    if rules.len() != index.len() {
        return;
    }
    let mut unconditional = BitSet::empty(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        if rule.conditions.is_empty() {
            unconditional.insert(i);
        }
    }
    let fields: Vec<(Field, FieldFacts<'_>)> =
        Field::ALL.iter().map(|f| (*f, facts(rules, *f))).collect();
    for (j, later) in rules.iter().enumerate() {
        let never = later.matches.iter().any(|m| m.patterns.is_empty());
        if never || j == 0 {
            continue;
        }
        // Only earlier rules can shadow; the search stops when no
        // candidate is left.
        let mut shadowing = unconditional.prefix(j);
        for (field, facts) in &fields {
            if shadowing.is_empty() {
                break;
            }
            match later.matches.iter().find(|m| m.field == *field) {
                None => shadowing.intersect_with(&facts.universal),
                Some(m) => {
                    for pattern in &m.patterns {
                        shadowing.intersect_with(&covering(index, facts, *field, &pattern.text));
                    }
                }
            }
        }
        let Some(earlier) = shadowing.first_below(j).and_then(|e| rules.get(e)) else {
            continue;
        };
        let help = if earlier.outcome.approval == later.outcome.approval {
            format!(
                "remove `{}` or move it above `{}`",
                later.name, earlier.name
            )
        } else {
            format!(
                "move `{}` above `{}`, or narrow `{}`; as written, `{}` decides with `approval: {}`",
                later.name,
                earlier.name,
                earlier.name,
                earlier.name,
                earlier.outcome.approval.as_str()
            )
        };
        reader.warning(
            DiagnosticKind::ShadowedRule,
            later.span,
            format!(
                "rule `{}` can never match: rule `{}` (line {}) matches every call it matches and comes first",
                later.name, earlier.name, earlier.span.line
            ),
            Some(help),
        );
    }
}
