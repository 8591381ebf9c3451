//! Errors and warnings about a user's text (a policy or a test suite),
//! each with its position, the offending text and, where useful, help.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// How serious a [`Diagnostic`] is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The text cannot be used.
    Error,
    /// The text loads, but probably does not do what its author meant.
    Warning,
}

/// What kind of problem a [`Diagnostic`] reports.
#[non_exhaustive]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// The YAML itself does not parse.
    Syntax,
    /// A value has the wrong type (a list where text was expected, ...).
    Type,
    /// A key that the format does not know.
    UnknownKey,
    /// A key the format requires is missing.
    MissingKey,
    /// The same key twice in one mapping.
    DuplicateKey,
    /// A value of the right type that is not one of the allowed values.
    InvalidValue,
    /// A glob pattern that cannot be compiled.
    InvalidGlob,
    /// A regular expression that cannot be compiled.
    InvalidRegex,
    /// A time of day that is not `HH:MM`.
    InvalidTime,
    /// A weekday that is not 1 (Monday) to 7 (Sunday).
    InvalidWeekday,
    /// Two rules with the same name.
    DuplicateRule,
    /// An input limit was exceeded (size, depth, count).
    Limit,
    /// A YAML feature the policy format does not accept (tags, ...).
    Unsupported,
    /// Warning: a rule that can never match because an earlier rule
    /// without conditions matches everything it matches.
    ShadowedRule,
    /// Warning: a rule whose match field is an empty list, so it never matches.
    EmptyMatch,
    /// Warning: `approval: risk` with a `risk_level` whose band the
    /// thresholds decide one way only, so the score never matters.
    FixedByLevel,
}

/// One error or warning, with where it is and what to do about it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem this is.
    pub kind: DiagnosticKind,
    /// What is wrong, in lowercase, user input in backticks.
    pub message: String,
    /// Where it is.
    #[serde(flatten)]
    pub span: Span,
    /// The offending text, as written.
    pub text: String,
    /// What to do about it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub help: Option<String>,
}

impl Diagnostic {
    /// 1-based line of the problem.
    #[must_use]
    pub fn line(&self) -> u32 {
        self.span.line
    }

    /// 1-based column (in characters) of the problem.
    #[must_use]
    pub fn column(&self) -> u32 {
        self.span.column
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{label} at line {}, column {}: {}",
            self.span.line, self.span.column, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Collects diagnostics while reading a text, so all of them are reported at once.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    pub(crate) items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        kind: DiagnosticKind,
        span: Span,
        text: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.items.push(Diagnostic {
            severity,
            kind,
            message: message.into(),
            span,
            text: text.to_owned(),
            help,
        });
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Splits into (errors, warnings), each in source order.
    pub(crate) fn split(mut self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        self.items.sort_by_key(|d| (d.span.start, d.span.end));
        self.items
            .into_iter()
            .partition(|d| d.severity == Severity::Error)
    }
}
