//! The package's operations on plain Rust strings: the native twins of the
//! wasm exports. The wasm layer only converts JavaScript values to and from
//! the JSON texts these take and return, so `cargo test` checks every JSON
//! shape JavaScript sees without a browser.

use portcullis::{
    Diagnostic, DiagnosticKind, JsonError, Limits, MessageKind, MessageVerdict, Policy, Severity,
    Span, Suite, ToolCall, Verdict, VerdictCode,
};
use serde::Serialize;

use crate::options::{self, EvaluateOptions, MessageOptions, Now};

/// Why a policy or a suite did not load: the fields of the `PolicyError`
/// and `SuiteError` JavaScript receives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadError {
    /// One line: how many errors, and the first.
    pub message: String,
    /// Every error, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

impl LoadError {
    fn new(what: &str, diagnostics: Vec<Diagnostic>, warnings: Vec<Diagnostic>) -> Self {
        let count = diagnostics.len();
        let first = diagnostics.first().map_or_else(String::new, |d| {
            format!(
                ": {} (line {}, column {})",
                d.message, d.span.line, d.span.column
            )
        });
        let plural = if count == 1 { "" } else { "s" };
        let more = if count > 1 {
            format!(", and {} more", count - 1)
        } else {
            String::new()
        };
        Self {
            message: format!("the {what} has {count} error{plural}{first}{more}"),
            diagnostics,
            warnings,
        }
    }

    /// The error for a value that is not text where YAML text was expected
    /// (`got` names what it was: `a number`, `undefined`, ...).
    #[must_use]
    pub fn not_text(what: &str, got: &str) -> Self {
        let diagnostic = whole_input_error(
            DiagnosticKind::Type,
            format!("the {what} must be YAML text, not {got}"),
        );
        Self::new(what, vec![diagnostic], Vec::new())
    }

    /// The error for a text longer than the engine reads, refused before it
    /// is copied into the wasm memory.
    #[must_use]
    pub fn too_long(what: &str, length: usize, limit: usize) -> Self {
        let diagnostic = whole_input_error(
            DiagnosticKind::Limit,
            format!("the {what} is {length} characters long, more than the limit of {limit} bytes"),
        );
        Self::new(what, vec![diagnostic], Vec::new())
    }
}

fn whole_input_error(kind: DiagnosticKind, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        kind,
        message,
        span: Span {
            start: 0,
            end: 0,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
        text: String::new(),
        help: None,
    }
}

/// Compiles a policy.
///
/// # Errors
///
/// Every error of the policy, with the warnings, when it does not load.
pub fn load_policy(source: &str) -> Result<Policy, LoadError> {
    Policy::from_yaml(source)
        .map_err(|e| LoadError::new("policy", e.errors().to_vec(), e.warnings().to_vec()))
}

/// `Policy.check`: the report (`{ errors, warnings }`) as JSON.
#[must_use]
pub fn check(source: &str) -> String {
    to_json(&Policy::check(source), r#"{"errors":[],"warnings":[]}"#)
}

/// The report for input that could not be checked at all (not text, too long).
#[must_use]
pub fn check_failed(error: &LoadError) -> String {
    let report = portcullis::Report {
        errors: error.diagnostics.clone(),
        warnings: Vec::new(),
    };
    to_json(&report, r#"{"errors":[],"warnings":[]}"#)
}

/// A tool call as JSON text, and where the text came from.
#[derive(Debug, Clone, Copy)]
pub enum CallJson<'a> {
    /// Text a user wrote (`evaluateJson`): read strictly, a duplicate key is
    /// an error.
    Text(&'a str),
    /// `JSON.stringify` of a JavaScript object (`evaluate`), which cannot
    /// hold a duplicate key, so the strict reader's extra pass is skipped.
    Stringified(&'a str),
}

/// `policy.evaluate`: the verdict on a call given as JSON (written out by
/// [`verdict_json`] or as fields by [`crate::fields`]). Never fails: a call
/// or options that cannot be read are a deny that says why. `now` (as
/// JavaScript gave it) wins over the options' own; `clock` is read only
/// when neither gives one.
#[must_use]
pub fn evaluate(
    policy: &Policy,
    call: CallJson<'_>,
    options: Option<&str>,
    now: Option<Now>,
    clock: impl FnOnce() -> f64,
) -> Verdict {
    let options = options::read::<EvaluateOptions>(options).map(|mut options| {
        options.now = now.or(options.now);
        options
    });
    evaluate_read(policy, call, options, clock)
}

/// As [`evaluate`], with the options already read (JavaScript reads
/// a plain `{ trace, now }` itself, sparing their JSON) or the sentence
/// saying why they could not be.
#[must_use]
pub fn evaluate_read(
    policy: &Policy,
    call: CallJson<'_>,
    options: Result<EvaluateOptions, String>,
    clock: impl FnOnce() -> f64,
) -> Verdict {
    decide(policy, call, options, clock).unwrap_or_else(|(code, problem)| denied(code, &problem))
}

/// The message-size limit, checked in bytes here: JavaScript can only
/// check the length in UTF-16 units, which is smaller for non-ASCII text.
fn over_message_limit(what: &str, text: &str) -> Option<String> {
    let limit = Limits::default().max_message_bytes;
    (text.len() > limit).then(|| {
        format!(
            "the {what} is {} bytes of JSON, more than the limit of {limit} bytes",
            text.len()
        )
    })
}

fn decide(
    policy: &Policy,
    call: CallJson<'_>,
    options: Result<EvaluateOptions, String>,
    clock: impl FnOnce() -> f64,
) -> Result<Verdict, (VerdictCode, String)> {
    let invalid = |problem: String| (VerdictCode::InvalidCall, problem);
    let unread = |e: JsonError, place: String| {
        let problem = format!("the call could not be read{place}: {}", e.message);
        (e.code(), problem)
    };
    let text = match call {
        CallJson::Text(text) | CallJson::Stringified(text) => text,
    };
    if let Some(problem) = over_message_limit("call", text) {
        return Err((VerdictCode::LimitExceeded, problem));
    }
    let options = options.map_err(invalid)?;
    let now = options::resolve_now(options.now.as_ref(), clock).map_err(invalid)?;
    let call = match call {
        CallJson::Text(text) => ToolCall::from_json(text).map_err(|e| {
            let place = e.place();
            unread(e, place)
        })?,
        CallJson::Stringified(text) => serde_json::from_str::<ToolCall>(text).map_err(|e| {
            unread(
                JsonError::from_serde(&e, "invalid tool call"),
                String::new(),
            )
        })?,
    };
    Ok(policy.evaluate_with(&call, now, &options::eval_options(options.trace)))
}

/// A deny verdict for a call that never reached the engine.
#[must_use]
pub fn denied(code: VerdictCode, problem: &str) -> Verdict {
    Verdict::denied(code, format!("Denied: {problem}."))
}

/// `policy.evaluateMessage`: one result per JSON-RPC message, as a JSON
/// array. Options that cannot be read are one invalid result with a deny;
/// `now` works as in [`evaluate`].
#[must_use]
pub fn evaluate_message(
    policy: &Policy,
    message: &str,
    options: Option<&str>,
    now: Option<Now>,
    clock: impl FnOnce() -> f64,
) -> String {
    if let Some(problem) = over_message_limit("message", message) {
        return message_failed_json(VerdictCode::LimitExceeded, &problem);
    }
    let read = options::read::<MessageOptions>(options).and_then(|o| {
        let now = options::resolve_now(now.or(o.now.clone()).as_ref(), clock)?;
        Ok((now, o.context(), options::eval_options(o.trace)))
    });
    match read {
        Ok((now, context, eval)) => to_json(
            &policy.evaluate_message_with(message, &context, now, &eval),
            &message_failed_json(
                VerdictCode::InternalError,
                "the verdicts could not be written",
            ),
        ),
        Err(problem) => message_failed_json(VerdictCode::InvalidCall, &problem),
    }
}

/// The result of `evaluateMessage` for input that never reached the
/// engine: one invalid message with a deny whose code is `code`
/// (`invalid_call`, or `limit_exceeded` for a message over a limit).
#[must_use]
pub fn message_failed_json(code: VerdictCode, problem: &str) -> String {
    let result = MessageVerdict {
        index: 0,
        id: None,
        method: None,
        kind: MessageKind::Invalid,
        verdict: Some(denied(code, problem)),
        note: format!("The message was not evaluated: {problem}."),
    };
    to_json(&[result], "[]")
}

/// The policy's warnings, as a JSON array.
#[must_use]
pub fn warnings(policy: &Policy) -> String {
    to_json(&policy.warnings(), "[]")
}

/// The policy's rule names, in order, as a JSON array.
#[must_use]
pub fn rule_names(policy: &Policy) -> String {
    to_json(&policy.rule_names().collect::<Vec<_>>(), "[]")
}

/// Reads a test suite.
///
/// # Errors
///
/// Every problem of the suite when it does not read.
pub fn load_suite(source: &str) -> Result<Suite, LoadError> {
    Suite::from_yaml(source).map_err(|e| LoadError::new("test suite", e.errors, Vec::new()))
}

/// `suite.run`: the suite report as JSON; `load` returns the text of a
/// policy file the suite names.
#[must_use]
pub fn run_suite(suite: &Suite, load: &dyn Fn(&str) -> Result<String, String>) -> String {
    to_json(&suite.run(load), r#"{"name":"","cases":[]}"#)
}

/// `suite.runAgainst`: the report of every case against `policy`, as JSON.
#[must_use]
pub fn run_suite_against(suite: &Suite, policy: &Policy) -> String {
    to_json(&suite.run_against(policy), r#"{"name":"","cases":[]}"#)
}

/// The policy files a suite names, as a JSON array.
#[must_use]
pub fn policy_files(suite: &Suite) -> String {
    to_json(&suite.policy_files(), "[]")
}

/// The load error as JSON (the fields of `PolicyError`).
#[must_use]
pub fn load_error_json(error: &LoadError) -> String {
    to_json(error, r#"{"message":"","diagnostics":[],"warnings":[]}"#)
}

/// Written when a verdict could not be serialized (it cannot happen with
/// serde_json and these types, but the fallback is still a deny).
const INTERNAL_DENY: &str = r#"{"decision":"deny","code":"internal_error","riskScore":100,"riskLevel":"critical","rule":null,"reason":"Denied: the verdict could not be written.","factors":[],"approvalLevel":null,"compliance":[],"trace":[],"action":{"tool":"","server":null,"namespace":"","verb":"","resource":"","trust":null}}"#;

/// The verdict as JSON.
#[must_use]
pub fn verdict_json(verdict: &Verdict) -> String {
    to_json(verdict, INTERNAL_DENY)
}

fn to_json<T: Serialize + ?Sized>(value: &T, fallback: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| fallback.to_owned())
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
