//! The options JavaScript passes to `evaluate` and `evaluateMessage`, read
//! from their JSON form (unknown keys are errors, so a typo fails closed).

use std::collections::HashMap;

use portcullis::{Annotations, EvalOptions, MessageContext, Timestamp};
use serde::Deserialize;

/// The moment of a call as JavaScript gives it: milliseconds since the
/// epoch, or an RFC 3339 text (a `Date` arrives as its milliseconds).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Now {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    Millis(f64),
    /// An RFC 3339 date-time such as `2026-11-21T14:30:00Z`.
    Text(String),
}

/// Largest magnitude a JavaScript `Date` can hold, in milliseconds.
const MAX_DATE_MILLIS: f64 = 8.64e15;

impl Now {
    /// The timestamp this stands for.
    ///
    /// # Errors
    ///
    /// A sentence saying why, when the number is not a finite date or the
    /// text is not RFC 3339.
    pub fn timestamp(&self) -> Result<Timestamp, String> {
        match self {
            Self::Millis(ms) if ms.is_finite() && ms.abs() <= MAX_DATE_MILLIS =>
            {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "the value is finite and within ±8.64e15, so it fits an i64"
                )]
                Ok(Timestamp::from_unix_millis(ms.floor() as i64))
            }
            Self::Millis(ms) => Err(format!(
                "`now` is {ms}, which is not a date (give milliseconds since 1970, a Date or an RFC 3339 text)"
            )),
            Self::Text(text) => Timestamp::parse_rfc3339(text).map_err(|e| format!("`now`: {e}")),
        }
    }
}

/// Resolves `now`, reading the clock only when it is absent.
///
/// # Errors
///
/// As [`Now::timestamp`].
pub fn resolve_now(now: Option<&Now>, clock: impl FnOnce() -> f64) -> Result<Timestamp, String> {
    match now {
        Some(now) => now.timestamp(),
        None => Now::Millis(clock()).timestamp(),
    }
}

/// The engine's options for a `trace` option as JavaScript gives it: with
/// the trace unless it says `false`.
#[must_use]
pub fn eval_options(trace: Option<bool>) -> EvalOptions {
    let mut eval = EvalOptions::new();
    eval.trace(trace.unwrap_or(true));
    eval
}

/// Options of `policy.evaluate(call, options)`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvaluateOptions {
    /// When the call happens: a `Date`, milliseconds since 1970, or an RFC
    /// 3339 text. Defaults to the current time.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Date | number | string", optional))]
    pub now: Option<Now>,
    /// Whether the verdict carries the trace of the rules checked (default
    /// `true`); without it a decision is cheaper in long policies.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub trace: Option<bool>,
}

/// Options of `policy.evaluateMessage(message, options)`: where the
/// messages go and when.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageOptions {
    /// The MCP server the messages are sent to.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub server: Option<String>,
    /// The calling agent.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub agent: Option<String>,
    /// The MCP session.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub session: Option<String>,
    /// The MCP client (`claude-desktop`, ...).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub client: Option<String>,
    /// The server's tool annotations by tool name (as its `tools/list` declared them).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub annotations: Option<HashMap<String, Annotations>>,
    /// When the messages are sent; defaults to the current time.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Date | number | string", optional))]
    pub now: Option<Now>,
    /// Whether each verdict carries the trace of the rules checked (default
    /// `true`); without it a decision is cheaper in long policies.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub trace: Option<bool>,
}

impl MessageOptions {
    /// The engine's message context.
    #[must_use]
    pub fn context(&self) -> MessageContext {
        MessageContext {
            server: self.server.clone(),
            agent: self.agent.clone(),
            session: self.session.clone(),
            client: self.client.clone(),
            annotations: self.annotations.clone().unwrap_or_default(),
        }
    }
}

/// Reads options from their JSON text; `None` (no options given) is the defaults.
///
/// # Errors
///
/// A sentence naming the problem (unknown option, wrong type).
pub fn read<T: Default + for<'de> Deserialize<'de>>(json: Option<&str>) -> Result<T, String> {
    match json {
        None => Ok(T::default()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            format!("invalid options: {message}")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_reads_millis_text_and_the_clock() -> Result<(), String> {
        let at = |now: Option<Now>| resolve_now(now.as_ref(), || 1_000.0);
        assert_eq!(at(None)?.unix_millis(), 1_000);
        assert_eq!(at(Some(Now::Millis(5.9)))?.unix_millis(), 5);
        let text = Now::Text("2026-01-07T12:00:00.250Z".into());
        assert_eq!(at(Some(text))?.unix_millis(), 1_767_787_200_250);
        Ok(())
    }

    #[test]
    fn bad_now_is_an_error_that_says_why() {
        let nan = Now::Millis(f64::NAN).timestamp();
        assert!(nan.is_err_and(|e| e.contains("not a date")));
        let huge = Now::Millis(1e300).timestamp();
        assert!(huge.is_err_and(|e| e.contains("not a date")));
        let text = Now::Text("yesterday".into()).timestamp();
        assert!(text.is_err_and(|e| e.contains("`yesterday` is not an RFC 3339 date-time")));
    }

    #[test]
    fn options_refuse_unknown_keys_and_wrong_types() {
        let typo = read::<MessageOptions>(Some(r#"{"sever":"fs"}"#));
        assert!(typo.is_err_and(|e| e.contains("unknown field `sever`")));
        let wrong = read::<EvaluateOptions>(Some(r#"{"trace":"yes"}"#));
        assert!(wrong.is_err_and(|e| e.starts_with("invalid options: invalid type")));
    }

    #[test]
    fn message_options_become_the_engine_context() -> Result<(), String> {
        let options: MessageOptions = read(Some(
            r#"{"server":"fs","annotations":{"rm":{"destructiveHint":true}}}"#,
        ))?;
        let context = options.context();
        assert_eq!(context.server.as_deref(), Some("fs"));
        let rm = context
            .annotations
            .get("rm")
            .and_then(|a| a.destructive_hint);
        assert_eq!(rm, Some(true));
        assert_eq!(read::<MessageOptions>(None)?, MessageOptions::default());
        Ok(())
    }
}
