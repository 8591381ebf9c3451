//! The rule index: every field's patterns of all rules compiled into one
//! matcher per field, so finding the rules a call matches costs a few hash
//! lookups per field and some word-wide bit operations, not a loop over
//! rules.
//!
//! Most patterns have a simple shape: a literal (`read_file`), a prefix
//! (`read_*`), a suffix (`*.env`) or `*`. Those are looked up in hash maps
//! keyed by the literal part; `*lit*` uses a prebuilt substring finder;
//! only the remaining patterns are matched one by one.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::bitset::BitSet;
use crate::glob;
use crate::policy::model::{Field, RuleDef};

/// Rules grouped by the literal part of their patterns, with the distinct
/// lengths of those literals (for prefix and suffix lookups).
#[derive(Debug, Default)]
struct ByText {
    rules: HashMap<Box<str>, Ids, BuildHasherDefault<Fnv>>,
    lengths: Vec<Length>,
}

/// One length of the literals in a [`ByText`], with the bytes they start
/// and end with: a candidate whose first or last byte is not among them
/// cannot be a key, and is not hashed.
#[derive(Debug)]
struct Length {
    len: usize,
    first: ByteSet,
    last: ByteSet,
}

/// A set of bytes.
#[derive(Debug, Default, Clone, Copy)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert(&mut self, byte: u8) {
        if let Some(word) = self.0.get_mut(usize::from(byte / 64)) {
            *word |= 1 << (byte % 64);
        }
    }

    fn contains(&self, byte: u8) -> bool {
        self.0
            .get(usize::from(byte / 64))
            .is_some_and(|word| word & (1 << (byte % 64)) != 0)
    }
}

impl Length {
    /// Whether `candidate` (of this length) could be a key.
    fn admits(&self, candidate: &str) -> bool {
        let bytes = candidate.as_bytes();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => self.first.contains(*first) && self.last.contains(*last),
            _ => true,
        }
    }
}

/// The ids one pattern stands for. A long list is also kept as a bitset,
/// which merges into a result word by word instead of id by id.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    list: Vec<u32>,
    bits: Option<Box<BitSet>>,
}

/// No ids (what a lookup that finds nothing yields).
static NO_IDS: Ids = Ids {
    list: Vec::new(),
    bits: None,
};

impl Ids {
    fn one(id: u32) -> Self {
        Self {
            list: vec![id],
            bits: None,
        }
    }

    fn push(&mut self, id: u32) {
        self.list.push(id);
    }

    /// The ids, in the order they were added.
    pub(crate) fn as_slice(&self) -> &[u32] {
        &self.list
    }

    /// Keeps the ids also as a bitset of `len` positions when merging that
    /// is cheaper than inserting each id (a handful of words against many
    /// ids).
    fn densify(&mut self, len: usize) {
        if self.list.len() >= 8 && self.list.len() * 2 >= len.div_ceil(64) {
            let mut bits = BitSet::empty(len);
            for id in &self.list {
                bits.insert(*id as usize);
            }
            self.bits = Some(Box::new(bits));
        }
    }

    /// Adds the ids to `set` (of the same `len` as given to `densify`).
    fn add_to(&self, set: &mut BitSet) {
        match &self.bits {
            Some(bits) => set.union_with(bits),
            None => {
                for id in &self.list {
                    set.insert(*id as usize);
                }
            }
        }
    }
}

/// FNV-1a: the keys are short pattern texts chosen by the policy's author,
/// so a fast hash beats SipHash's protection against crafted keys.
#[derive(Debug)]
pub(crate) struct Fnv(u64);

/// A map hashed with FNV, for keys from the policy or a fixed vocabulary.
pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl ByText {
    fn add(&mut self, text: &str, rule: u32) {
        let at = match self.lengths.iter().position(|l| l.len == text.len()) {
            Some(at) => at,
            None => {
                self.lengths.push(Length {
                    len: text.len(),
                    first: ByteSet::default(),
                    last: ByteSet::default(),
                });
                self.lengths.len() - 1
            }
        };
        if let (Some(length), Some(first), Some(last)) = (
            self.lengths.get_mut(at),
            text.as_bytes().first(),
            text.as_bytes().last(),
        ) {
            length.first.insert(*first);
            length.last.insert(*last);
        }
        self.rules.entry(text.into()).or_default().push(rule);
    }

    fn get(&self, text: &str) -> &Ids {
        self.rules.get(text).unwrap_or(&NO_IDS)
    }
}

/// Patterns compiled for matching, each pattern mapped to ids (rule
/// positions, or pattern positions). Simple shapes are hash lookups; the
/// rest are matched one by one.
#[derive(Debug)]
pub(crate) struct PatternTable {
    /// Patterns match ignoring case.
    folded: bool,
    literal: ByText,
    prefix: ByText,
    suffix: ByText,
    /// `*lit*` patterns: each literal with its ids.
    infix: Vec<(Box<[u8]>, Ids)>,
    /// With several `*lit*` patterns: the pairs of bytes they start with,
    /// so a text is scanned once and only where a literal could start.
    infix_starts: Option<Bigrams>,
    /// Ids with a `*` pattern.
    any: Ids,
    /// The other patterns, each with its ids, tried one by one.
    complex: Vec<(glob::Glob, Ids)>,
}

impl PatternTable {
    /// Compiles `(pattern, id)` pairs. A pattern that fails to compile
    /// (reported when the policy was read) matches nothing.
    pub(crate) fn new<'p>(
        patterns: impl IntoIterator<Item = (&'p str, u32)>,
        folded: bool,
    ) -> Self {
        let fold = |text: &str| {
            if folded {
                crate::text::lowercase(text)
            } else {
                text.to_owned()
            }
        };
        let mut table = Self {
            folded,
            literal: ByText::default(),
            prefix: ByText::default(),
            suffix: ByText::default(),
            infix: Vec::new(),
            infix_starts: None,
            any: Ids::default(),
            complex: Vec::new(),
        };
        let mut complex_slots: FnvMap<&'p str, usize> = FnvMap::default();
        for (pattern, id) in patterns {
            match shape(pattern) {
                Shape::Any => table.any.push(id),
                Shape::Literal(text) => table.literal.add(&fold(text), id),
                Shape::Prefix(text) => table.prefix.add(&fold(text), id),
                Shape::Suffix(text) => table.suffix.add(&fold(text), id),
                Shape::Infix(text) => {
                    let text = fold(text);
                    match table
                        .infix
                        .iter_mut()
                        .find(|(t, _)| **t == *text.as_bytes())
                    {
                        Some((_, ids)) => ids.push(id),
                        None => table.infix.push((text.as_bytes().into(), Ids::one(id))),
                    }
                }
                Shape::Complex => {
                    if let Some(slot) = complex_slots.get(pattern) {
                        if let Some((_, ids)) = table.complex.get_mut(*slot) {
                            ids.push(id);
                        }
                    } else if let Ok(compiled) = glob::compile(pattern, folded) {
                        complex_slots.insert(pattern, table.complex.len());
                        table.complex.push((compiled, Ids::one(id)));
                    }
                }
            }
        }
        if table.infix.len() >= 3 && table.infix.iter().all(|(needle, _)| needle.len() >= 2) {
            let mut starts = Bigrams::default();
            for (needle, _) in &table.infix {
                if let [a, b, ..] = **needle {
                    starts.insert(a, b);
                }
            }
            table.infix_starts = Some(starts);
        }
        table
    }

    /// Keeps long id lists also as bitsets of `len` positions (see
    /// [`Ids::densify`]); for tables whose ids are rule positions.
    fn densify(&mut self, len: usize) {
        let texts = [&mut self.literal, &mut self.prefix, &mut self.suffix];
        for ids in texts.into_iter().flat_map(|t| t.rules.values_mut()) {
            ids.densify(len);
        }
        self.any.densify(len);
        let infix = self.infix.iter_mut().map(|(_, ids)| ids);
        for ids in infix.chain(self.complex.iter_mut().map(|(_, ids)| ids)) {
            ids.densify(len);
        }
    }

    /// Calls `found` with the ids of every pattern that matches `value`.
    pub(crate) fn each_match(&self, value: &str, mut found: impl FnMut(&Ids)) {
        let lowered;
        let has_upper = || {
            if value.is_ascii() {
                value.bytes().any(|b| b.is_ascii_uppercase())
            } else {
                value.chars().any(char::is_uppercase)
            }
        };
        let value = if self.folded && has_upper() {
            lowered = crate::text::lowercase(value);
            lowered.as_str()
        } else {
            value
        };
        found(&self.any);
        found(self.literal.get(value));
        for length in &self.prefix.lengths {
            if let Some(head) = value.get(..length.len)
                && length.admits(head)
            {
                found(self.prefix.get(head));
            }
        }
        for length in &self.suffix.lengths {
            if let Some(tail) = value
                .len()
                .checked_sub(length.len)
                .and_then(|at| value.get(at..))
                && length.admits(tail)
            {
                found(self.suffix.get(tail));
            }
        }
        match &self.infix_starts {
            Some(starts) => {
                // One pass; a literal found twice reports its ids twice,
                // which every caller takes as once.
                let bytes = value.as_bytes();
                for (at, pair) in bytes.windows(2).enumerate() {
                    if let [a, b] = *pair
                        && starts.contains(a, b)
                    {
                        let rest = bytes.get(at..).unwrap_or_default();
                        for (needle, ids) in &self.infix {
                            if rest.starts_with(needle) {
                                found(ids);
                            }
                        }
                    }
                }
            }
            None => {
                for (needle, ids) in &self.infix {
                    if contains(value.as_bytes(), needle) {
                        found(ids);
                    }
                }
            }
        }
        for (glob, ids) in &self.complex {
            if glob.is_match(value) {
                found(ids);
            }
        }
    }

    /// The smallest id of a pattern that matches `value`.
    pub(crate) fn first_match(&self, value: &str) -> Option<u32> {
        let mut first: Option<u32> = None;
        self.each_match(value, |ids| {
            if let Some(min) = ids.as_slice().iter().min() {
                first = Some(first.map_or(*min, |f| f.min(*min)));
            }
        });
        first
    }
}

/// A set of byte pairs (65,536 bits).
#[derive(Debug)]
struct Bigrams(Box<[u64]>);

impl Default for Bigrams {
    fn default() -> Self {
        Self(vec![0; 1024].into_boxed_slice())
    }
}

impl Bigrams {
    fn insert(&mut self, a: u8, b: u8) {
        let bit = usize::from(a) << 8 | usize::from(b);
        if let Some(word) = self.0.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
        }
    }

    fn contains(&self, a: u8, b: u8) -> bool {
        let bit = usize::from(a) << 8 | usize::from(b);
        self.0
            .get(bit / 64)
            .is_some_and(|word| word & (1 << (bit % 64)) != 0)
    }
}

/// Whether `needle` occurs in `haystack`. The texts are short (names,
/// paths), so a first-byte scan beats building a searcher per call.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    haystack
        .windows(needle.len())
        .any(|w| w.first() == Some(&first) && w.get(1..) == Some(rest))
}

/// One field's patterns across all rules.
#[derive(Debug)]
struct FieldIndex {
    field: Field,
    patterns: PatternTable,
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

/// The shape of a pattern, for indexing.
enum Shape<'p> {
    Any,
    Literal(&'p str),
    Prefix(&'p str),
    Suffix(&'p str),
    Infix(&'p str),
    Complex,
}

fn shape(pattern: &str) -> Shape<'_> {
    let stars = pattern.bytes().filter(|b| *b == b'*').count();
    let rest_literal = |p: &str| !p.contains(['*', '?', '[']);
    if !pattern.is_empty() && pattern.bytes().all(|b| b == b'*') {
        return Shape::Any;
    }
    if stars == 0 && rest_literal(pattern) {
        return Shape::Literal(pattern);
    }
    if stars == 1 {
        if let Some(prefix) = pattern.strip_suffix('*').filter(|p| rest_literal(p)) {
            return Shape::Prefix(prefix);
        }
        if let Some(suffix) = pattern.strip_prefix('*').filter(|p| rest_literal(p)) {
            return Shape::Suffix(suffix);
        }
    }
    if stars == 2 {
        let infix = pattern
            .strip_prefix('*')
            .and_then(|p| p.strip_suffix('*'))
            .filter(|p| !p.is_empty() && rest_literal(p));
        if let Some(infix) = infix {
            return Shape::Infix(infix);
        }
    }
    Shape::Complex
}

impl RuleIndex {
    /// Builds the index. Patterns were checked when the policy was read;
    /// one that still fails to compile matches nothing.
    // Out of line, for wasm cold start (see the crate docs).
    #[inline(never)]
    pub(crate) fn build(rules: &[RuleDef], folded: bool) -> Self {
        let len = rules.len();
        let mut fields = Vec::new();
        for field in Field::ALL {
            if !rules
                .iter()
                .any(|r| r.matches.iter().any(|m| m.field == field))
            {
                continue;
            }
            let mut unconstrained = BitSet::empty(len);
            let mut pairs: Vec<(&str, u32)> = Vec::new();
            for (i, rule) in rules.iter().enumerate() {
                match rule.matches.iter().find(|m| m.field == field) {
                    None => unconstrained.insert(i),
                    Some(found) => {
                        let id = u32::try_from(i).unwrap_or(u32::MAX);
                        pairs.extend(found.patterns.iter().map(|p| (p.text.as_str(), id)));
                    }
                }
            }
            let mut patterns = PatternTable::new(pairs, folded);
            patterns.densify(len);
            fields.push(FieldIndex {
                field,
                patterns,
                unconstrained,
            });
        }
        Self { fields, len }
    }

    /// The rules a call matches; with `per_field`, also which rules each
    /// field let through (what a trace shows), otherwise one scratch set
    /// serves every field.
    pub(crate) fn candidates(&self, values: &FieldValues<'_>, per_field: bool) -> Candidates {
        let mut all = BitSet::full(self.len);
        let mut fields = Vec::with_capacity(if per_field { self.fields.len() } else { 0 });
        let mut scratch: Option<BitSet> = None;
        for index in &self.fields {
            let value = values.get(index.field);
            if per_field {
                let bits = index.matches(value);
                all.intersect_with(&bits);
                fields.push((index.field, bits));
            } else {
                let bits = match scratch.as_mut() {
                    Some(bits) => {
                        bits.copy_from(&index.unconstrained);
                        bits
                    }
                    None => scratch.insert(index.unconstrained.clone()),
                };
                index.add_matches(value, bits);
                all.intersect_with(bits);
            }
        }
        Candidates {
            per_field: fields,
            all,
        }
    }

    /// The rules whose `field` accepts `value` (every rule when no rule
    /// constrains the field).
    pub(crate) fn field_matches(&self, field: Field, value: &str) -> BitSet {
        match self.fields.iter().find(|f| f.field == field) {
            Some(index) => index.matches(Some(value)),
            None => BitSet::full(self.len),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl FieldIndex {
    /// The rules this field lets through for `value` (`None`: the call has
    /// no such value, so only rules that do not constrain the field).
    fn matches(&self, value: Option<&str>) -> BitSet {
        let mut bits = self.unconstrained.clone();
        self.add_matches(value, &mut bits);
        bits
    }

    /// Adds to `bits` the rules whose patterns for this field match `value`.
    fn add_matches(&self, value: Option<&str>, bits: &mut BitSet) {
        if let Some(value) = value {
            self.patterns.each_match(value, |rules| rules.add_to(bits));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::model::{Approval, FieldMatch, Outcome, Pattern};

    fn rule(tool: &[&str]) -> RuleDef {
        RuleDef {
            name: String::new(),
            span: Default::default(),
            matches: vec![FieldMatch {
                field: Field::Tool,
                key: "tool",
                patterns: tool
                    .iter()
                    .map(|t| Pattern {
                        text: (*t).to_owned(),
                        span: Default::default(),
                    })
                    .collect(),
                listed: tool.len() != 1,
                span: Default::default(),
            }],
            conditions: Vec::new(),
            outcome: Outcome {
                approval: Approval::Auto,
                risk_level: None,
                level_span: None,
                reason: None,
                approval_level: None,
                compliance: Vec::new(),
            },
        }
    }

    #[test]
    fn every_shape_matches_like_the_glob() {
        let patterns = [
            "read_file",
            "read_*",
            "*_file",
            "*",
            "**",
            "re?d_file",
            "[rw]*_file",
            "*ea*",
            "",
            "read_file*",
            "*read_file",
        ];
        let rules: Vec<RuleDef> = patterns.iter().map(|p| rule(&[p])).collect();
        for folded in [false, true] {
            let index = RuleIndex::build(&rules, folded);
            for value in [
                "read_file",
                "write_file",
                "read_",
                "ReAd_FiLe",
                "",
                "x",
                "read_file_2",
            ] {
                let hits = index.field_matches(Field::Tool, value);
                for (i, pattern) in patterns.iter().enumerate() {
                    let expected = glob::compile(pattern, folded).is_ok_and(|g| g.is_match(value));
                    assert_eq!(
                        hits.contains(i),
                        expected,
                        "{pattern:?} ~ {value:?} (folded {folded})"
                    );
                }
            }
        }
    }

    #[test]
    fn several_infix_literals_match_like_the_glob() {
        let patterns = ["*ea*", "*_f*", "*ile*", "*zz*", "*a*", "*/.ssh/*"];
        for table_patterns in [&patterns[..4], &patterns[..]] {
            let table = PatternTable::new(
                table_patterns
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (*p, u32::try_from(i).unwrap_or(u32::MAX))),
                false,
            );
            for value in [
                "read_file",
                "zzz",
                "",
                "e",
                "ea",
                "/home/u/.ssh/id",
                "file_ile",
            ] {
                let mut hits = BitSet::empty(table_patterns.len());
                table.each_match(value, |ids| ids.add_to(&mut hits));
                for (i, pattern) in table_patterns.iter().enumerate() {
                    let expected = glob::compile(pattern, false).is_ok_and(|g| g.is_match(value));
                    assert_eq!(hits.contains(i), expected, "{pattern:?} ~ {value:?}");
                }
            }
        }
    }
}
