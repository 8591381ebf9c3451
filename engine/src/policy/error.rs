//! The errors of reading a policy: all of them at once.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// Every error that stopped a policy from loading, in source order, plus the
/// warnings found on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyErrors {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl PolicyErrors {
    pub(crate) fn new(errors: Vec<Diagnostic>, warnings: Vec<Diagnostic>) -> Self {
        Self { errors, warnings }
    }

    /// The errors, in source order (never empty).
    #[must_use]
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// Warnings found while reading.
    #[must_use]
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The number of errors.
    #[must_use]
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether there are no errors (never true for a returned value).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Iterates over the errors.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors.iter()
    }
}

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        write!(
            f,
            "the policy has {count} error{}",
            if count == 1 { "" } else { "s" }
        )?;
        for error in &self.errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyErrors {}

/// The result of checking a policy: errors and warnings, none of them fatal
/// to the check itself.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Problems that stop the policy from loading.
    pub errors: Vec<Diagnostic>,
    /// Problems that do not stop it, but likely make it wrong.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// Whether the policy loads.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}
