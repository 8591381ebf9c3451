//! Reading YAML into a tree whose every node knows where it was written.
//!
//! This is the only module that talks to the YAML parser (`saphyr-parser`,
//! an event-level YAML 1.2 parser). Building the tree ourselves gives every
//! node its own span, so the policy reader can report all errors at once,
//! each at its place, and it lets us bound alias expansion and nesting.
//! Texts within the common subset policies are written in are read by
//! [`subset`] instead, into the same tree, several times faster; it declines
//! everything else, errors included, which the parser then reads.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as ParserSpan};

use crate::diagnostic::{Diagnostic, DiagnosticKind, Diagnostics, Severity};
use crate::limits::Limits;
use crate::source::{SourceMap, Span, to_u32};

mod subset;

/// The YAML scanner's own bound on nesting `[` and `{` (its level counter
/// is a byte).
const MAX_FLOW_DEPTH: usize = 255;

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) span: Span,
    /// Number of nodes in this subtree (itself included); bounds alias expansion.
    weight: usize,
}

/// The content of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A scalar as written, resolved lazily by the reader that knows what it expects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scalar {
    pub(crate) text: String,
    /// Plain (unquoted, not a block) scalars are the only ones that can be
    /// null, booleans or numbers.
    pub(crate) plain: bool,
    /// A core-schema tag (`!!str`, `!!int`, ...) when one was written.
    pub(crate) tag: Option<CoreTag>,
}

/// The YAML core-schema tags the reader honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoreTag {
    Str,
    Int,
    Float,
    Bool,
    Null,
}

/// A scalar resolved by the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Scalar {
    /// Whether the scalar is null (`~`, `null`, empty, or tagged `!!null`),
    /// without resolving anything else.
    fn is_null(&self) -> bool {
        match self.tag {
            Some(CoreTag::Null) => true,
            Some(_) => false,
            None => self.plain && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL"),
        }
    }

    /// Resolves the scalar by the YAML 1.2 core schema. `yes`/`no`/`on`/`off`
    /// stay text (YAML 1.1 made them booleans; PyYAML still does).
    pub(crate) fn resolve(&self) -> Resolved<'_> {
        let text = self.text.as_str();
        match self.tag {
            Some(CoreTag::Str) => return Resolved::Str(text),
            Some(CoreTag::Null) => return Resolved::Null,
            Some(CoreTag::Bool) => return resolve_bool(text).unwrap_or(Resolved::Str(text)),
            Some(CoreTag::Int) => return resolve_int(text).unwrap_or(Resolved::Str(text)),
            Some(CoreTag::Float) => {
                return resolve_float(text)
                    .or_else(|| resolve_int(text))
                    .unwrap_or(Resolved::Str(text));
            }
            None => {}
        }
        if !self.plain {
            return Resolved::Str(text);
        }
        if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
            return Resolved::Null;
        }
        resolve_bool(text)
            .or_else(|| resolve_int(text))
            .or_else(|| resolve_float(text))
            .unwrap_or(Resolved::Str(text))
    }
}

fn resolve_bool(text: &str) -> Option<Resolved<'_>> {
    match text {
        "true" | "True" | "TRUE" => Some(Resolved::Bool(true)),
        "false" | "False" | "FALSE" => Some(Resolved::Bool(false)),
        _ => None,
    }
}

fn resolve_int(text: &str) -> Option<Resolved<'_>> {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => (-1, text.get(1..)?),
        Some(b'+') => (1, text.get(1..)?),
        _ => (1, text),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(Resolved::Int(sign * value))
}

fn resolve_float(text: &str) -> Option<Resolved<'_>> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Resolved::Float(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Resolved::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Resolved::Float(f64::NAN)),
        _ => {}
    }
    // A decimal with a point or an exponent; one with neither is an
    // integer (or text), resolved before this.
    if text.contains(['.', 'e', 'E']) {
        crate::number::parse_f64(text).map(Resolved::Float)
    } else {
        None
    }
}

/// A collection's span: from where it opens (`start`) to the end of `last`.
fn spanning(start: Span, last: Span) -> Span {
    Span {
        end: last.end.max(start.start),
        end_line: last.end_line,
        end_column: last.end_column,
        ..start
    }
}

/// A block collection's span: it ends where its last child ends, not at the
/// next token, so it covers exactly what was written.
fn block_span(start: Span, value: &Value) -> Span {
    let last = match value {
        Value::Seq(items) => items.last().map(|n| n.span),
        Value::Map(entries) => entries.last().map(|(_, v)| v.span),
        Value::Scalar(_) => None,
    };
    spanning(start, last.unwrap_or(start))
}

impl Node {
    /// A scalar node.
    fn scalar(text: String, plain: bool, tag: Option<CoreTag>, span: Span) -> Self {
        Self {
            value: Value::Scalar(Scalar { text, plain, tag }),
            span,
            weight: 1,
        }
    }

    /// The scalar's text for any scalar that is not null; `None` otherwise.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if !s.is_null() => Some(s.text.as_str()),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.is_null())
    }

    /// A short name of the node's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => "null",
                Resolved::Bool(_) => "a boolean",
                Resolved::Int(_) | Resolved::Float(_) => "a number",
                Resolved::Str(_) => "text",
            },
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The node as a JSON value (for comparing with tool-call arguments).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Null => serde_json::Value::Null,
                Resolved::Bool(b) => serde_json::Value::Bool(b),
                Resolved::Int(i) => serde_json::Value::from(i),
                Resolved::Float(f) => serde_json::Number::from_f64(f)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number),
                Resolved::Str(t) => serde_json::Value::String(t.to_owned()),
            },
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| (k.as_text().unwrap_or_default().to_owned(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// Reads YAML text as a JSON value, exactly as the engine reads the YAML of
/// policies and suites: YAML 1.2 core scalars (`yes` is text, `0x10` is
/// 16), anchors and aliases within the default [`Limits`], and every
/// problem with its position. Mapping keys that are not text become `""`.
///
/// # Errors
///
/// The YAML syntax errors and exceeded limits, each with its position.
pub fn yaml_to_json(source: &str) -> Result<serde_json::Value, Vec<Diagnostic>> {
    let map = SourceMap::new(source);
    let mut diagnostics = Diagnostics::default();
    let root = parse(&map, &Limits::default(), &mut diagnostics);
    match root {
        Some(root) if !diagnostics.has_errors() => Ok(root.to_json()),
        _ => Err(diagnostics.split().0),
    }
}

/// Checks the quick reader of the common YAML subset against the full
/// parser on `source` (for the fuzz target `yaml` and the tests): `Ok(true)`
/// when the quick reader read it and built the very tree the full parser
/// builds, `Ok(false)` when it declined (the full parser reads such texts).
///
/// # Errors
///
/// Both trees, or the full parser's errors, when the quick reader accepted
/// the text and the two disagree.
#[doc(hidden)]
pub fn yaml_readers_agree(source: &str) -> Result<bool, String> {
    let limits = Limits::default();
    if source.len() > limits.max_policy_bytes {
        return Ok(false);
    }
    let Some(quick) = subset::read(source, &limits) else {
        return Ok(false);
    };
    let map = SourceMap::new(source);
    let mut diagnostics = Diagnostics::default();
    match parse_full(&map, &limits, &mut diagnostics) {
        Some(full) if full == quick && !diagnostics.has_errors() => Ok(true),
        full => Err(format!(
            "the quick reader read {quick:#?}\nthe full parser read {full:#?}\nwith {:?}",
            diagnostics.items
        )),
    }
}

/// Reads `source` into a node tree, reporting problems into `diagnostics`.
///
/// Returns `None` when the YAML cannot be read at all. An empty document is
/// a null node.
pub(crate) fn parse(
    map: &SourceMap<'_>,
    limits: &Limits,
    diagnostics: &mut Diagnostics,
) -> Option<Node> {
    let source = map.source();
    if source.len() > limits.max_policy_bytes {
        let span = map.span(0, 0);
        diagnostics.push(
            Severity::Error,
            DiagnosticKind::Limit,
            span,
            "",
            format!(
                "the text is {} bytes, more than the limit of {} bytes",
                source.len(),
                limits.max_policy_bytes
            ),
            Some("split the policy or raise the limit".to_owned()),
        );
        return None;
    }
    if let Some(root) = subset::read(source, limits) {
        return Some(root);
    }
    parse_full(map, limits, diagnostics)
}

/// Reads `source` with the full YAML parser (the text is within the size limit).
fn parse_full(map: &SourceMap<'_>, limits: &Limits, diagnostics: &mut Diagnostics) -> Option<Node> {
    let source = map.source();
    let mut builder = TreeBuilder {
        map,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        documents: 0,
        nodes: 0,
    };
    for event in Parser::new_from_str(source) {
        let step = match event {
            Ok((event, span)) => builder.on_event(event, span),
            Err(error) => Err(builder.scan_error(&error)),
        };
        if let Err(problem) = step {
            diagnostics.push(
                Severity::Error,
                problem.kind,
                problem.span,
                problem.span.text(source),
                problem.message,
                problem.help,
            );
            return None;
        }
    }
    Some(
        builder
            .root
            .unwrap_or_else(|| Node::scalar(String::new(), true, None, map.span(0, 0))),
    )
}

/// Why reading stopped.
struct Problem {
    kind: DiagnosticKind,
    span: Span,
    message: String,
    help: Option<String>,
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
        weight: usize,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        weight: usize,
    },
}

struct TreeBuilder<'m, 's> {
    map: &'m SourceMap<'s>,
    limits: &'m Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
    /// Nodes built so far, alias copies included.
    nodes: usize,
}

impl TreeBuilder<'_, '_> {
    /// The parser's markers carry line and column already; only the byte
    /// offsets need computing.
    fn span(&self, span: ParserSpan) -> Span {
        let (start, end) = (span.start, span.end);
        Span {
            start: self.map.byte_of_char(start.index()),
            end: self.map.byte_of_char(end.index()),
            line: to_u32(start.line()),
            column: to_u32(start.col() + 1),
            end_line: to_u32(end.line()),
            end_column: to_u32(end.col() + 1),
        }
    }

    /// The parser's scalar spans can run on over the blanks after a quoted
    /// scalar in flow context; the span of what was written stops at its
    /// last non-blank character.
    fn trim_trailing_space(&self, span: Span) -> Span {
        let written = span.text(self.map.source());
        let trimmed = written.trim_end_matches([' ', '\t', '\r', '\n']);
        if trimmed.len() == written.len() || trimmed.is_empty() {
            return span;
        }
        self.map.span(span.start, span.start + trimmed.len())
    }

    /// The parser's span of a quoted scalar can run on over the blanks and
    /// a comment after it; the span of what was written stops at its
    /// closing quote.
    fn quoted_span(&self, span: Span) -> Span {
        let source = self.map.source().as_bytes();
        // The span starts at the scalar's anchor or tag when it has them;
        // each is followed by blanks.
        let mut i = span.start;
        while matches!(source.get(i), Some(b'&' | b'!')) {
            while source.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
                i += 1;
            }
            while source.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
        }
        let Some(&quote) = source.get(i).filter(|b| matches!(b, b'\'' | b'"')) else {
            return span;
        };
        i += 1;
        while let Some(&b) = source.get(i) {
            // `\x` in double quotes and `''` in single quotes are two
            // characters of the text.
            let escaped = (b == b'\\' && quote == b'"')
                || (b == b'\'' && quote == b'\'' && source.get(i + 1) == Some(&b'\''));
            if escaped {
                i += 2;
            } else if b == quote {
                return self.map.span(span.start, i + 1);
            } else {
                i += 1;
            }
        }
        span
    }

    fn scan_error(&self, error: &ScanError) -> Problem {
        let at = self.map.byte_of_char(error.marker().index());
        let end = self
            .map
            .source()
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(at, |c| at + c.len_utf8());
        if error.info().contains("recursion limit") {
            // The scanner reads ahead of the events, so past its own bound
            // (255 levels of `[` and `{`) it stops before the depth limit is
            // checked; the document is deeper than both.
            return Problem {
                kind: DiagnosticKind::Limit,
                span: self.map.span(at, end),
                message: format!(
                    "the document is nested deeper than {} levels",
                    self.limits.max_yaml_depth.min(MAX_FLOW_DEPTH)
                ),
                help: None,
            };
        }
        Problem {
            kind: DiagnosticKind::Syntax,
            span: self.map.span(at, end),
            message: format!("invalid YAML: {}", error.info()),
            help: yaml_help(error.info()),
        }
    }

    fn on_event(&mut self, event: Event<'_>, span: ParserSpan) -> Result<(), Problem> {
        let span = self.span(span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Problem {
                        kind: DiagnosticKind::Unsupported,
                        span,
                        message: "only one YAML document is allowed".to_owned(),
                        help: Some("remove the second `---` and what follows it".to_owned()),
                    });
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = match tag {
                    None => None,
                    Some(tag) => Some(core_tag(&tag.handle, &tag.suffix).ok_or_else(|| {
                        Problem {
                            kind: DiagnosticKind::Unsupported,
                            span,
                            message: format!("the tag `{tag}` is not supported"),
                            help: Some(
                                "only the core tags `!!str`, `!!int`, `!!float`, `!!bool` and `!!null` are accepted"
                                    .to_owned(),
                            ),
                        }
                    })?),
                };
                let written = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => self.quoted_span(span),
                    _ => self.trim_trailing_space(span),
                };
                let node =
                    Node::scalar(text.into_owned(), style == ScalarStyle::Plain, tag, written);
                self.count(1, span)?;
                self.complete(node, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                self.reject_collection_tag(tag.is_some(), span)?;
                self.open(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                    weight: 1,
                })
            }
            Event::MappingStart(anchor, tag) => {
                self.reject_collection_tag(tag.is_some(), span)?;
                self.open(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    weight: 1,
                })
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id) else {
                    return Err(Problem {
                        kind: DiagnosticKind::Syntax,
                        span,
                        message: "this alias refers to an unknown anchor".to_owned(),
                        help: None,
                    });
                };
                let mut copy = node.clone();
                copy.span = span;
                self.count(copy.weight, span)?;
                self.complete(copy, 0)
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
        }
    }

    fn reject_collection_tag(&self, tagged: bool, span: Span) -> Result<(), Problem> {
        if tagged {
            return Err(Problem {
                kind: DiagnosticKind::Unsupported,
                span,
                message: "tags on lists and mappings are not supported".to_owned(),
                help: Some("remove the tag".to_owned()),
            });
        }
        Ok(())
    }

    fn count(&mut self, nodes: usize, span: Span) -> Result<(), Problem> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_yaml_nodes {
            return Err(Problem {
                kind: DiagnosticKind::Limit,
                span,
                message: format!(
                    "the document expands to more than {} nodes",
                    self.limits.max_yaml_nodes
                ),
                help: Some(
                    "aliases (`*name`) copy what they refer to; a chain of aliases grows very fast"
                        .to_owned(),
                ),
            });
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), Problem> {
        let span = match &frame {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        };
        if self.stack.len() >= self.limits.max_yaml_depth {
            return Err(Problem {
                kind: DiagnosticKind::Limit,
                span,
                message: format!(
                    "the document is nested deeper than {} levels",
                    self.limits.max_yaml_depth
                ),
                help: None,
            });
        }
        self.count(1, span)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), Problem> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (value, start, anchor, weight) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
                weight,
            } => (Value::Seq(items), start, anchor, weight),
            Frame::Map {
                start,
                anchor,
                entries,
                weight,
                ..
            } => (Value::Map(entries), start, anchor, weight),
        };
        // Flow collections (`[..]`, `{..}`) end at their closing bracket
        // (the parser's span of it can run on over the blanks and the
        // comment after it);
        // block collections end where their last child ends, not at the
        // next token, so the span covers exactly what was written.
        let closing = self.map.source().get(end.start..end.end).unwrap_or("");
        let span = if closing.starts_with([']', '}']) {
            let bracket = Span {
                end: end.start + 1,
                end_line: end.line,
                end_column: end.column + 1,
                ..end
            };
            spanning(start, bracket)
        } else {
            block_span(start, &value)
        };
        let node = Node {
            value,
            span,
            weight,
        };
        self.complete(node, anchor)
    }

    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), Problem> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, weight, .. }) => {
                *weight = weight.saturating_add(node.weight);
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries,
                key,
                weight,
                ..
            }) => {
                *weight = weight.saturating_add(node.weight);
                match key.take() {
                    None => {
                        *key = Some(node);
                    }
                    Some(k) => {
                        entries.push((k, node));
                    }
                }
                Ok(())
            }
        }
    }
}

fn core_tag(handle: &str, suffix: &str) -> Option<CoreTag> {
    if handle != "tag:yaml.org,2002:" && handle != "!!" {
        return None;
    }
    match suffix {
        "str" => Some(CoreTag::Str),
        "int" => Some(CoreTag::Int),
        "float" => Some(CoreTag::Float),
        "bool" => Some(CoreTag::Bool),
        "null" => Some(CoreTag::Null),
        _ => None,
    }
}

/// Help for the parser messages people meet most often.
fn yaml_help(info: &str) -> Option<String> {
    if info.contains("tabs") || info.contains("tab") {
        Some("indent with spaces; YAML does not allow tabs for indentation".to_owned())
    } else if info.contains("mapping values are not allowed") {
        Some("a value that contains `: ` must be quoted, and nested keys need more indentation than their parent".to_owned())
    } else if info.contains("did not find expected") {
        Some("check the indentation and that every `[`, `{` and quote is closed".to_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_reads_as_json_with_the_engine_scalars() {
        let value =
            yaml_to_json("a: &x \"12\"\nb: *x\nc: '0x10'\nd: 0x10\ne: yes\nf: [1.5, ~, true]\n");
        assert_eq!(
            value,
            Ok(
                serde_json::json!({"a": "12", "b": "12", "c": "0x10", "d": 16, "e": "yes", "f": [1.5, null, true]})
            )
        );
    }

    #[test]
    fn yaml_that_is_not_json_says_where() {
        let errors = yaml_to_json("a: 1\nb: [1, 2\n").err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors.iter().all(|e| e.line() >= 2), "{errors:?}");
    }

    fn read(source: &str) -> Result<Node, Vec<String>> {
        let map = SourceMap::new(source);
        let mut diagnostics = Diagnostics::default();
        parse(&map, &Limits::default(), &mut diagnostics).ok_or_else(|| {
            diagnostics
                .items
                .iter()
                .map(|d| format!("{}:{} {}", d.span.line, d.span.column, d.message))
                .collect()
        })
    }

    #[test]
    fn every_node_has_its_position() -> Result<(), Vec<String>> {
        let node = read("rules:\n  - name: a\n    approval: auto\n")?;
        let Value::Map(top) = &node.value else {
            return Err(vec!["not a map".into()]);
        };
        let Some((_, rules)) = top.first() else {
            return Err(vec!["no rules".into()]);
        };
        let Value::Seq(items) = &rules.value else {
            return Err(vec!["not a seq".into()]);
        };
        let Some(Node {
            value: Value::Map(rule),
            ..
        }) = items.first()
        else {
            return Err(vec!["no rule".into()]);
        };
        let Some((key, value)) = rule.get(1) else {
            return Err(vec!["no approval".into()]);
        };
        assert_eq!((key.span.line, key.span.column), (3, 5));
        assert_eq!(value.as_text(), Some("auto"));
        assert_eq!((value.span.line, value.span.column), (3, 15));
        Ok(())
    }

    #[test]
    fn scalars_resolve_by_the_core_schema() -> Result<(), Vec<String>> {
        let node = read("[1, -2, 1.5, true, ~, yes, '3', 0x10, 1e3]")?;
        let Value::Seq(items) = &node.value else {
            return Err(vec!["not a seq".into()]);
        };
        let resolved: Vec<_> = items
            .iter()
            .filter_map(|n| match &n.value {
                Value::Scalar(s) => Some(format!("{:?}", s.resolve())),
                _ => None,
            })
            .collect();
        assert_eq!(
            resolved,
            [
                "Int(1)",
                "Int(-2)",
                "Float(1.5)",
                "Bool(true)",
                "Null",
                "Str(\"yes\")",
                "Str(\"3\")",
                "Int(16)",
                "Float(1000.0)"
            ]
        );
        Ok(())
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let errors = read("rules:\n  - name: [a\n").err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors.first().is_some_and(|e| e.contains("invalid YAML")));
    }

    #[test]
    fn alias_bombs_stop_at_the_node_limit() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        let errors = read(&doc).err().unwrap_or_default();
        assert!(
            errors.iter().any(|e| e.contains("expands to more than")),
            "{errors:?}"
        );
    }

    #[test]
    fn deep_nesting_stops_at_the_depth_limit() {
        let doc = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let errors = read(&doc).err().unwrap_or_default();
        assert!(
            errors.iter().any(|e| e.contains("nested deeper")),
            "{errors:?}"
        );
        // Deeper still, the parser's own guard answers first, naming the limit too.
        let doc = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let errors = read(&doc).err().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("nested deeper than 64 levels")),
            "{errors:?}"
        );
    }

    #[test]
    fn spans_stop_at_the_closing_quote_and_bracket() -> Result<(), Vec<String>> {
        // Anchors keep this text away from the quick reader: these are the
        // full parser's spans.
        let source = "a: &q 'x'   # c\nb: &l [1, [2] ]   # c\n";
        let node = read(source)?;
        let Value::Map(top) = &node.value else {
            return Err(vec!["not a map".into()]);
        };
        let written: Vec<&str> = top.iter().map(|(_, v)| v.span.text(source)).collect();
        // A node's span starts at its anchor.
        assert_eq!(written, ["&q 'x'", "&l [1, [2] ]"]);
        Ok(())
    }

    #[test]
    fn a_second_document_is_refused() {
        let errors = read("a: 1\n---\nb: 2\n").err().unwrap_or_default();
        assert!(errors.iter().any(|e| e.contains("one YAML document")));
    }
}
