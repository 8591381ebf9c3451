//! The rule index: every field's patterns of all rules compiled into one
//! `GlobSet`, so finding the rules a call matches costs one set lookup per
//! field and a few word-wide bit operations, not a loop over rules.

use std::collections::HashMap;

use globset::{Candidate, GlobSet, GlobSetBuilder};

use crate::bitset::BitSet;
use crate::glob;
use crate::policy::model::{Field, RuleDef};

/// One field's patterns across all rules.
#[derive(Debug)]
struct FieldIndex {
    field: Field,
    set: GlobSet,
    /// For each pattern of `set`, the rules that use it.
    rules_of_pattern: Vec<Vec<u32>>,
    /// Rules that do not constrain this field.
    unconstrained: BitSet,
}

/// The compiled match fields of all rules.
#[derive(Debug)]
pub(crate) struct RuleIndex {
    fields: Vec<FieldIndex>,
    len: usize,
}

/// The values of a call that rules match on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldValues<'a> {
    pub(crate) tool: &'a str,
    /// A call without a server matches as the empty name.
    pub(crate) server: &'a str,
    /// A call without an agent matches no `agent` pattern.
    pub(crate) agent: Option<&'a str>,
    pub(crate) namespace: &'a str,
    pub(crate) verb: &'a str,
    pub(crate) resource: &'a str,
}

impl FieldValues<'_> {
    pub(crate) fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::Tool => Some(self.tool),
            Field::Server => Some(self.server),
            Field::Agent => self.agent,
            Field::Namespace => Some(self.namespace),
            Field::Verb => Some(self.verb),
            Field::Resource => Some(self.resource),
        }
    }
}

/// Which rules a call matches, field by field and in all.
#[derive(Debug)]
pub(crate) struct Candidates {
    /// For each constrained field, the rules whose patterns for it match.
    pub(crate) per_field: Vec<(Field, BitSet)>,
    /// The rules whose every field matches.
    pub(crate) all: BitSet,
}

impl Candidates {
    /// The first field (in `Field::ALL` order) on which `rule` did not match.
    pub(crate) fn failed_field(&self, rule: usize) -> Option<Field> {
        Field::ALL.into_iter().find(|field| {
            self.per_field
                .iter()
                .any(|(f, bits)| f == field && !bits.contains(rule))
        })
    }
}

impl RuleIndex {
    /// Builds the index. Patterns were checked when the policy was read;
    /// one that still fails to compile matches nothing.
    pub(crate) fn build(rules: &[RuleDef], case_insensitive: bool) -> Self {
        let len = rules.len();
        let mut fields = Vec::new();
        for field in Field::ALL {
            let constrained = rules
                .iter()
                .any(|r| r.matches.iter().any(|m| m.field == field));
            if !constrained {
                continue;
            }
            let mut builder = GlobSetBuilder::new();
            let mut pattern_ids: HashMap<&str, usize> = HashMap::new();
            let mut rules_of_pattern: Vec<Vec<u32>> = Vec::new();
            let mut unconstrained = BitSet::empty(len);
            for (i, rule) in rules.iter().enumerate() {
                let rule_id = u32::try_from(i).unwrap_or(u32::MAX);
                let Some(found) = rule.matches.iter().find(|m| m.field == field) else {
                    unconstrained.insert(i);
                    continue;
                };
                for pattern in &found.patterns {
                    let id = match pattern_ids.get(pattern.text.as_str()) {
                        Some(id) => *id,
                        None => {
                            let Ok(compiled) = glob::compile(&pattern.text, case_insensitive)
                            else {
                                continue;
                            };
                            builder.add(compiled);
                            let id = rules_of_pattern.len();
                            rules_of_pattern.push(Vec::new());
                            pattern_ids.insert(pattern.text.as_str(), id);
                            id
                        }
                    };
                    if let Some(list) = rules_of_pattern.get_mut(id) {
                        list.push(rule_id);
                    }
                }
            }
            let set = builder.build().unwrap_or_else(|_| GlobSet::empty());
            fields.push(FieldIndex {
                field,
                set,
                rules_of_pattern,
                unconstrained,
            });
        }
        Self { fields, len }
    }

    /// The rules a call matches.
    pub(crate) fn candidates(&self, values: &FieldValues<'_>) -> Candidates {
        let mut all = BitSet::full(self.len);
        let mut per_field = Vec::with_capacity(self.fields.len());
        let mut hits = Vec::new();
        for index in &self.fields {
            let mut bits = index.unconstrained.clone();
            if let Some(value) = values.get(index.field) {
                index
                    .set
                    .matches_candidate_into(&Candidate::from_bytes(value.as_bytes()), &mut hits);
                for pattern in &hits {
                    for rule in index.rules_of_pattern.get(*pattern).into_iter().flatten() {
                        bits.insert(*rule as usize);
                    }
                }
            }
            all.intersect_with(&bits);
            per_field.push((index.field, bits));
        }
        Candidates { per_field, all }
    }
}
