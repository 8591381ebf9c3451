//! A compiled policy: read once from YAML, then asked about tool calls.

pub(crate) mod compile;
pub(crate) mod decode;
pub(crate) mod error;
pub(crate) mod model;
mod shadow;

use std::sync::Arc;

use crate::call::ToolCall;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::evaluate::{self, EvalOptions};
use crate::jsonrpc::{self, MessageContext, MessageVerdict};
use crate::limits::Limits;
use crate::policy::compile::Compiled;
pub use crate::policy::error::{PolicyErrors, Report};
use crate::read::Reader;
use crate::source::SourceMap;
use crate::time::Timestamp;
use crate::verdict::{Verdict, VerdictCode};
use crate::yaml;

/// A compiled policy. Cheap to clone and safe to share between threads.
///
/// ```
/// use portcullis::{Decision, Policy, Timestamp, ToolCall};
///
/// let policy = Policy::from_yaml(r#"
/// version: "1"
/// rules:
///   - name: mcp_read
///     match: { type: "read_file" }
///     risk_level: low
///     approval: auto
/// "#)?;
/// let verdict = policy.evaluate(&ToolCall::new("read_file"), Timestamp::from_unix_seconds(0));
/// assert_eq!(verdict.decision, Decision::Allow);
/// assert_eq!(verdict.rule.as_deref(), Some("mcp_read"));
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    inner: Arc<Compiled>,
    warnings: Arc<[Diagnostic]>,
}

impl Policy {
    /// Reads and compiles a policy with the default [`Limits`].
    ///
    /// # Errors
    ///
    /// Returns every problem at once, each with its line, column, the
    /// offending text and help where useful: YAML syntax, wrong types,
    /// unknown keys, invalid globs and regular expressions, bad times and
    /// weekdays, duplicate rule names, exceeded limits.
    pub fn from_yaml(source: &str) -> Result<Self, PolicyErrors> {
        Self::from_yaml_with_limits(source, &Limits::default())
    }

    /// Reads and compiles a policy with the given limits.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_yaml`].
    pub fn from_yaml_with_limits(source: &str, limits: &Limits) -> Result<Self, PolicyErrors> {
        let (compiled, diagnostics) = build(source, limits);
        let (errors, warnings) = diagnostics.split();
        match compiled {
            Some(compiled) if errors.is_empty() => Ok(Self {
                inner: Arc::new(compiled),
                warnings: warnings.into(),
            }),
            _ => Err(PolicyErrors::new(errors, warnings)),
        }
    }

    /// Checks a policy without keeping it: every error and warning, for
    /// editors and CI.
    #[must_use]
    pub fn check(source: &str) -> Report {
        let (_, diagnostics) = build(source, &Limits::default());
        let (errors, warnings) = diagnostics.split();
        Report { errors, warnings }
    }

    /// Warnings found while reading (shadowed rules, empty match lists).
    #[must_use]
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The rules' names, in order.
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.inner.rules.iter().map(|r| &*r.name)
    }

    /// Decides on a call at the moment `now`. Never fails: a malformed
    /// call, an exceeded limit or an internal problem is a deny whose
    /// reason says so.
    #[must_use]
    pub fn evaluate(&self, call: &ToolCall, now: Timestamp) -> Verdict {
        self.evaluate_with(call, now, &EvalOptions::default())
    }

    /// As [`Policy::evaluate`], with options (for example without the trace).
    #[must_use]
    pub fn evaluate_with(&self, call: &ToolCall, now: Timestamp, options: &EvalOptions) -> Verdict {
        guard(|| evaluate::evaluate(&self.inner, call, now, options))
    }

    /// Decides on a call given as JSON text (`{"tool": ..., "arguments": ...}`);
    /// text that is not a valid call is a deny that says why.
    #[must_use]
    pub fn evaluate_json(&self, call: &str, now: Timestamp) -> Verdict {
        self.evaluate_json_with(call, now, &EvalOptions::default())
    }

    /// As [`Policy::evaluate_json`], with options (for example without the
    /// trace).
    #[must_use]
    pub fn evaluate_json_with(&self, call: &str, now: Timestamp, options: &EvalOptions) -> Verdict {
        let limits = &self.inner.limits;
        if call.len() > limits.max_message_bytes {
            return Verdict::denied(
                VerdictCode::LimitExceeded,
                format!(
                    "Denied: the call is {} bytes of JSON, more than the limit of {} bytes.",
                    call.len(),
                    limits.max_message_bytes
                ),
            );
        }
        match crate::json::parse_strict(call, limits).and_then(ToolCall::from_value) {
            Ok(call) => self.evaluate_with(&call, now, options),
            Err(error) => Verdict::denied(
                error.code(),
                format!("Denied: the call could not be read: {}.", error.message),
            ),
        }
    }

    /// Decides on a raw MCP JSON-RPC message or batch: one result per
    /// message, a verdict for each `tools/call`.
    #[must_use]
    pub fn evaluate_message(
        &self,
        message: &str,
        context: &MessageContext,
        now: Timestamp,
    ) -> Vec<MessageVerdict> {
        self.evaluate_message_with(message, context, now, &EvalOptions::default())
    }

    /// As [`Policy::evaluate_message`], with options (for example without
    /// the trace).
    #[must_use]
    pub fn evaluate_message_with(
        &self,
        message: &str,
        context: &MessageContext,
        now: Timestamp,
        options: &EvalOptions,
    ) -> Vec<MessageVerdict> {
        jsonrpc::read_messages(message, context, &self.inner.limits)
            .into_iter()
            .map(|(mut result, call)| {
                if let Some(call) = call {
                    result.verdict = Some(self.evaluate_with(&call, now, options));
                }
                result
            })
            .collect()
    }
}

fn build(source: &str, limits: &Limits) -> (Option<Compiled>, Diagnostics) {
    let map = SourceMap::new(source);
    let mut diagnostics = Diagnostics::default();
    let Some(root) = yaml::parse(&map, limits, &mut diagnostics) else {
        return (None, diagnostics);
    };
    let mut reader = Reader {
        map: &map,
        diagnostics: &mut diagnostics,
    };
    let def = decode::decode(&mut reader, &root, limits);
    let compiled = compile::compile(&mut reader, def, limits);
    let ok = !diagnostics.has_errors();
    (ok.then_some(compiled), diagnostics)
}

/// Runs an evaluation, turning a panic (a bug) into a deny where the
/// platform can catch it.
fn guard(run: impl FnOnce() -> Verdict) -> Verdict {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(verdict) => verdict,
        Err(_) => Verdict::denied(
            VerdictCode::InternalError,
            "Denied: the engine hit an internal error while deciding, so it fails closed.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Decision;

    #[test]
    fn a_panic_inside_evaluation_is_a_deny() {
        let verdict = guard(|| -> Verdict {
            #[expect(clippy::panic, reason = "the test simulates an engine bug")]
            {
                panic!("simulated bug")
            }
        });
        assert_eq!(verdict.decision, Decision::Deny);
        assert_eq!(verdict.code, VerdictCode::InternalError);
    }
}
