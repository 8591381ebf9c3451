//! Typed reading of a YAML node tree with every problem reported at its
//! place: wrong types, unknown keys (with "did you mean"), duplicate keys.
//! Shared by the policy and the test-suite formats.

use std::fmt;

use crate::diagnostic::{DiagnosticKind, Diagnostics, Severity};
use crate::source::{SourceMap, Span};
use crate::suggest::closest;
use crate::yaml::{Node, Resolved, Value};

/// What a value is, as messages name it (``the `match` of rule `deploy` ``).
/// Its pieces are joined only when a message is written, so reading a valid
/// policy writes none of these texts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum What<'w> {
    /// One text.
    Text(&'w str),
    /// Pieces written one after the other.
    Joined(&'w [&'w str]),
    /// A text, then another description (`the \`match\` of ` + a rule's).
    Then(&'w str, &'w What<'w>),
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Text(text) => f.write_str(text),
            What::Joined(pieces) => pieces.iter().try_for_each(|p| f.write_str(p)),
            What::Then(text, rest) => {
                f.write_str(text)?;
                rest.fmt(f)
            }
        }
    }
}

impl<'w> From<&'w str> for What<'w> {
    fn from(text: &'w str) -> Self {
        What::Text(text)
    }
}

impl<'w> From<&'w String> for What<'w> {
    fn from(text: &'w String) -> Self {
        What::Text(text)
    }
}

/// One key of a mapping with its value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'n> {
    pub(crate) key: &'n str,
    pub(crate) key_node: &'n Node,
    pub(crate) value: &'n Node,
}

/// The checked entries of a mapping, in document order.
#[derive(Debug, Default)]
pub(crate) struct Entries<'n> {
    pub(crate) items: Vec<Entry<'n>>,
}

impl<'n> Entries<'n> {
    /// The value under `key`, if present and not null.
    pub(crate) fn get(&self, key: &str) -> Option<&'n Node> {
        self.entry(key).map(|e| e.value).filter(|v| !v.is_null())
    }

    pub(crate) fn entry(&self, key: &str) -> Option<Entry<'n>> {
        self.items.iter().find(|e| e.key == key).copied()
    }
}

/// Reads nodes, collecting diagnostics.
pub(crate) struct Reader<'a, 's> {
    pub(crate) map: &'a SourceMap<'s>,
    pub(crate) diagnostics: &'a mut Diagnostics,
}

impl Reader<'_, '_> {
    pub(crate) fn error(
        &mut self,
        kind: DiagnosticKind,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let text = span.text(self.map.source()).to_owned();
        self.diagnostics
            .push(Severity::Error, kind, span, &text, message, help);
    }

    pub(crate) fn warning(
        &mut self,
        kind: DiagnosticKind,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let text = span.text(self.map.source()).to_owned();
        self.diagnostics
            .push(Severity::Warning, kind, span, &text, message, help);
    }

    fn type_error(&mut self, node: &Node, what: What<'_>, expected: &str) {
        self.error(
            DiagnosticKind::Type,
            node.span,
            format!("{what} must be {expected}, found {}", node.type_name()),
            None,
        );
    }

    /// Reads a mapping whose keys must be among `known`. Unknown keys are
    /// errors with a suggestion; `placement` may say where a misplaced key
    /// belongs. A null node reads as an empty mapping.
    pub(crate) fn mapping<'n, 'w>(
        &mut self,
        node: &'n Node,
        what: impl Into<What<'w>>,
        known: &[&str],
        placement: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Entries<'n>> {
        self.mapping_of(node, what.into(), known, placement)
    }

    fn mapping_of<'n>(
        &mut self,
        node: &'n Node,
        what: What<'_>,
        known: &[&str],
        placement: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Entries<'n>> {
        if node.is_null() {
            return Some(Entries::default());
        }
        let Value::Map(pairs) = &node.value else {
            self.type_error(node, what, "a mapping");
            return None;
        };
        let mut entries = Entries {
            items: Vec::with_capacity(pairs.len()),
        };
        for (key_node, value) in pairs {
            let Some(key) = key_node.as_text() else {
                self.type_error(key_node, What::Then("a key in ", &what), "text");
                continue;
            };
            if entries.items.iter().any(|e| e.key == key) {
                self.error(
                    DiagnosticKind::DuplicateKey,
                    key_node.span,
                    format!("duplicate key `{key}` in {what}"),
                    Some("a key may appear once; remove one of them".to_owned()),
                );
                continue;
            }
            if !known.contains(&key) {
                let help = placement(key)
                    .or_else(|| closest(key, known).map(|k| format!("did you mean `{k}`?")));
                let help = help.or_else(|| Some(format!("{what} accepts: {}", known.join(", "))));
                self.error(
                    DiagnosticKind::UnknownKey,
                    key_node.span,
                    format!("unknown key `{key}` in {what}"),
                    help,
                );
                continue;
            }
            entries.items.push(Entry {
                key,
                key_node,
                value,
            });
        }
        Some(entries)
    }

    /// Reads a list; a null node reads as an empty list.
    pub(crate) fn list<'n, 'w>(
        &mut self,
        node: &'n Node,
        what: impl Into<What<'w>>,
    ) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            _ if node.is_null() => Some(&[]),
            _ => {
                self.type_error(node, what.into(), "a list");
                None
            }
        }
    }

    /// Reads text. Numbers and booleans are read as written (`version: 1`
    /// is the text `1`); lists, mappings and null are errors.
    pub(crate) fn text<'w>(&mut self, node: &Node, what: impl Into<What<'w>>) -> Option<String> {
        self.borrowed_text(node, what.into()).map(str::to_owned)
    }

    /// [`Reader::text`], borrowed from the node.
    fn borrowed_text<'n>(&mut self, node: &'n Node, what: What<'_>) -> Option<&'n str> {
        match node.as_text() {
            Some(text) if matches!(node.value, Value::Scalar(_)) => Some(text),
            _ => {
                self.type_error(node, what, "text");
                None
            }
        }
    }

    /// Reads one of a fixed set of words, suggesting the closest on a typo.
    pub(crate) fn choice<'w, T>(
        &mut self,
        node: &Node,
        what: impl Into<What<'w>>,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let what = what.into();
        let text = self.borrowed_text(node, what)?;
        if let Some(value) = parse(text) {
            return Some(value);
        }
        let help = closest(text, names).map_or_else(
            || format!("use one of: {}", names.join(", ")),
            |c| {
                format!(
                    "did you mean `{c}`? ({what} is one of: {})",
                    names.join(", ")
                )
            },
        );
        self.error(
            DiagnosticKind::InvalidValue,
            node.span,
            format!("`{text}` is not a valid {what}"),
            Some(help),
        );
        None
    }

    /// Reads a whole number within `min..=max`.
    pub(crate) fn integer<'w>(
        &mut self,
        node: &Node,
        what: impl Into<What<'w>>,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        self.integer_of(node, what.into(), min, max)
    }

    fn integer_of(&mut self, node: &Node, what: What<'_>, min: i64, max: i64) -> Option<i64> {
        let value = match &node.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Int(i) => Some(i),
                Resolved::Str(t) => t.trim().parse::<i64>().ok(),
                _ => None,
            },
            _ => None,
        };
        match value {
            Some(v) if (min..=max).contains(&v) => Some(v),
            Some(v) => {
                self.error(
                    DiagnosticKind::InvalidValue,
                    node.span,
                    format!("{what} must be between {min} and {max}, found {v}"),
                    None,
                );
                None
            }
            None => {
                self.type_error(node, what, &format!("a whole number from {min} to {max}"));
                None
            }
        }
    }

    /// Reads one text or a list of texts; returns the texts with their
    /// spans and whether a list was written.
    pub(crate) fn texts<'w>(
        &mut self,
        node: &Node,
        what: impl Into<What<'w>>,
    ) -> Option<(Vec<(String, Span)>, bool)> {
        let what = what.into();
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.text(item, What::Then("an item of ", &what)) {
                        Some(t) => out.push((t, item.span)),
                        None => ok = false,
                    }
                }
                ok.then_some((out, true))
            }
            _ => self.text(node, what).map(|t| (vec![(t, node.span)], false)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::yaml;

    fn messages(source: &str, known: &[&str]) -> Vec<String> {
        let map = SourceMap::new(source);
        let mut diagnostics = Diagnostics::default();
        if let Some(node) = yaml::parse(&map, &Limits::default(), &mut diagnostics) {
            let mut reader = Reader {
                map: &map,
                diagnostics: &mut diagnostics,
            };
            let _ = reader.mapping(&node, "the rule", known, &|_| None);
        }
        diagnostics
            .items
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} [{}] {}",
                    d.span.line,
                    d.span.column,
                    d.message,
                    d.text,
                    d.help.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn unknown_and_duplicate_keys_are_all_reported() {
        let found = messages(
            "name: a\naproval: auto\nname: b\nzzz: 1\n",
            &["name", "approval"],
        );
        assert_eq!(
            found,
            [
                "2:1 unknown key `aproval` in the rule [aproval] did you mean `approval`?",
                "3:1 duplicate key `name` in the rule [name] a key may appear once; remove one of them",
                "4:1 unknown key `zzz` in the rule [zzz] the rule accepts: name, approval",
            ]
        );
    }
}
