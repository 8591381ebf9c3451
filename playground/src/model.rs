//! The playground's data: the call being built in the form, the scenarios,
//! the tools imported from a server, and the whole state that is shared,
//! saved and restored.

use portcullis::{Annotations, Timestamp, ToolCall};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

/// The tool call as the form holds it: text fields, so a half-typed value
/// is never lost.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CallForm {
    /// The MCP server the call goes to (empty: none).
    pub server: String,
    /// The tool's name.
    pub tool: String,
    /// The arguments, as JSON text (empty: none).
    pub arguments: String,
    /// The calling agent (empty: none).
    pub agent: String,
    /// The tool's annotations.
    pub annotations: Annotations,
    /// When the call happens, RFC 3339 (empty: now).
    pub time: String,
    /// Fields of a loaded call that the form has no input for
    /// (`namespace`, `verb`, `resource`, `session`, ...); kept as they are.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Json>,
}

/// A form field that does not hold a usable value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// Which field (`tool`, `arguments`, `time`).
    pub field: &'static str,
    /// What is wrong, for a person.
    pub message: String,
}

impl CallForm {
    /// The call as the JSON object of the engine's call format.
    ///
    /// # Errors
    ///
    /// A [`FormError`] when the tool is missing or the arguments are not a
    /// JSON object.
    pub fn to_json(&self) -> Result<Map<String, Json>, FormError> {
        let tool = self.tool.trim();
        if tool.is_empty() {
            return Err(FormError {
                field: "tool",
                message: "name a tool to evaluate a call".to_owned(),
            });
        }
        let mut call = Map::new();
        call.insert("tool".to_owned(), Json::from(tool));
        if !self.server.trim().is_empty() {
            call.insert("server".to_owned(), Json::from(self.server.trim()));
        }
        let arguments = self.parsed_arguments()?;
        if !arguments.is_empty() {
            call.insert("arguments".to_owned(), Json::Object(arguments));
        }
        if !self.agent.trim().is_empty() {
            call.insert("agent".to_owned(), Json::from(self.agent.trim()));
        }
        if self.annotations != Annotations::default()
            && let Ok(hints) = serde_json::to_value(&self.annotations)
        {
            call.insert("annotations".to_owned(), hints);
        }
        for (key, value) in &self.extra {
            call.entry(key.clone()).or_insert_with(|| value.clone());
        }
        Ok(call)
    }

    /// The call the engine evaluates.
    ///
    /// # Errors
    ///
    /// As [`CallForm::to_json`], and when a kept extra field is not part of
    /// a tool call.
    pub fn to_call(&self) -> Result<ToolCall, FormError> {
        ToolCall::from_value(Json::Object(self.to_json()?)).map_err(|e| FormError {
            field: "call",
            message: e.message,
        })
    }

    /// The arguments as a JSON object (empty text is no arguments).
    ///
    /// # Errors
    ///
    /// A [`FormError`] naming the line and column of invalid JSON, or saying
    /// that the value is not an object.
    pub fn parsed_arguments(&self) -> Result<Map<String, Json>, FormError> {
        if self.arguments.trim().is_empty() {
            return Ok(Map::new());
        }
        match serde_json::from_str::<Json>(&self.arguments) {
            Ok(Json::Object(map)) => Ok(map),
            Ok(Json::Null) => Ok(Map::new()),
            Ok(other) => Err(FormError {
                field: "arguments",
                message: format!(
                    "the arguments must be a JSON object like {{\"path\": \"/tmp/x\"}}, not {}",
                    json_kind(&other)
                ),
            }),
            Err(e) => Err(FormError {
                field: "arguments",
                message: format!(
                    "the arguments are not valid JSON (line {}, column {}): {}",
                    e.line(),
                    e.column(),
                    strip_position(&e.to_string())
                ),
            }),
        }
    }

    /// The moment of the call: the form's time, or `now` when it is empty.
    ///
    /// # Errors
    ///
    /// A [`FormError`] when the time is not RFC 3339.
    pub fn timestamp(&self, now: Timestamp) -> Result<Timestamp, FormError> {
        if self.time.trim().is_empty() {
            return Ok(now);
        }
        Timestamp::parse_rfc3339(&self.time).map_err(|e| FormError {
            field: "time",
            message: e.to_string(),
        })
    }

    /// A form holding a call in the engine's JSON form (as a scenario has it).
    #[must_use]
    pub fn from_call_json(call: &Map<String, Json>, time: Option<&str>) -> Self {
        let text = |key: &str| {
            call.get(key)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let arguments = match call.get("arguments") {
            Some(Json::Object(args)) if !args.is_empty() => {
                serde_json::to_string_pretty(args).unwrap_or_default()
            }
            _ => String::new(),
        };
        let annotations = call
            .get("annotations")
            .and_then(|a| serde_json::from_value(a.clone()).ok())
            .unwrap_or_default();
        let extra = call
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "tool" | "server" | "arguments" | "agent" | "annotations"
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Self {
            server: text("server"),
            tool: text("tool"),
            arguments,
            agent: text("agent"),
            annotations,
            time: time.unwrap_or_default().to_owned(),
            extra,
        }
    }
}

fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// serde_json appends " at line L column C"; the message names them already.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .and_then(|i| message.get(..i))
        .unwrap_or(message)
}

/// What a scenario sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioInput {
    /// A tool call in the engine's JSON form.
    Call(Map<String, Json>),
    /// A raw JSON-RPC message or batch, sent to `server`.
    Message {
        /// The message text.
        text: String,
        /// The server it goes to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        server: Option<String>,
    },
}

/// One scenario: a case of the engine's test-suite format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// What the case checks, in words.
    pub name: String,
    /// The call or message.
    pub input: ScenarioInput,
    /// When it happens (RFC 3339); the suite's time otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The `expect` of the case: a mapping, or a list (one per message of a batch).
    pub expect: Json,
}

impl Scenario {
    /// The expected decisions, for the table (`allow`, or `deny, allow` for a batch).
    #[must_use]
    pub fn expected_decision(&self) -> Option<String> {
        let decision = |e: &Json| e.get("decision").and_then(Json::as_str).map(str::to_owned);
        match &self.expect {
            Json::Array(items) => {
                let all: Vec<String> = items
                    .iter()
                    .map(|e| decision(e).unwrap_or_else(|| "any".to_owned()))
                    .collect();
                (!all.is_empty()).then(|| all.join(", "))
            }
            other => decision(other),
        }
    }

    /// The expected rule, when the case names one (`Some(None)`: no rule).
    #[must_use]
    pub fn expected_rule(&self) -> Option<Option<String>> {
        self.expect
            .get("rule")
            .map(|r| r.as_str().map(str::to_owned))
    }

    /// A one-line summary of what the scenario sends.
    #[must_use]
    pub fn summary(&self) -> String {
        match &self.input {
            ScenarioInput::Call(call) => {
                let tool = call.get("tool").and_then(Json::as_str).unwrap_or("?");
                match call.get("server").and_then(Json::as_str) {
                    Some(server) => format!("{tool} on {server}"),
                    None => tool.to_owned(),
                }
            }
            ScenarioInput::Message { server, .. } => match server {
                Some(server) => format!("JSON-RPC message to {server}"),
                None => "JSON-RPC message".to_owned(),
            },
        }
    }
}

/// The scenarios of the playground: a test suite without its policy (the
/// editor's policy is the one under test).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Scenarios {
    /// The suite's name.
    pub name: String,
    /// The default time of the cases (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The cases, in order.
    pub cases: Vec<Scenario>,
}

/// A tool a server announced in its `tools/list` response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportedTool {
    /// The tool's name.
    pub name: String,
    /// What the server says the tool does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The tool's annotations.
    pub annotations: Annotations,
    /// Example arguments built from the tool's input schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example_arguments: Option<Map<String, Json>>,
}

/// Everything a share link or the autosave holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    /// Format version of the snapshot.
    pub v: u32,
    /// The preset the state started from, when one was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// The policy text.
    pub policy: String,
    /// The scenarios.
    pub scenarios: Scenarios,
    /// The call in the form.
    pub call: CallForm,
    /// Tools imported from a `tools/list` response.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ImportedTool>,
}

/// The snapshot format this build writes.
pub const SNAPSHOT_VERSION: u32 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    fn form(tool: &str, arguments: &str) -> CallForm {
        CallForm {
            tool: tool.to_owned(),
            arguments: arguments.to_owned(),
            ..CallForm::default()
        }
    }

    #[test]
    fn a_form_becomes_a_call() -> Result<(), FormError> {
        let mut f = form("read_file", r#"{"path": "/tmp/x"}"#);
        f.server = " dev-fs ".to_owned();
        f.annotations.read_only_hint = Some(true);
        let call = f.to_call()?;
        assert_eq!(call.tool, "read_file");
        assert_eq!(call.server.as_deref(), Some("dev-fs"));
        assert_eq!(call.arguments.get("path"), Some(&Json::from("/tmp/x")));
        assert_eq!(call.annotations.and_then(|a| a.read_only_hint), Some(true));
        Ok(())
    }

    #[test]
    fn form_errors_say_which_field() {
        let cases = [
            (form("", ""), "tool", "name a tool"),
            (form("x", "{"), "arguments", "line 1, column 1"),
            (form("x", "[1]"), "arguments", "not a list"),
        ];
        for (f, field, says) in cases {
            let error = f.to_json().err();
            assert_eq!(error.as_ref().map(|e| e.field), Some(field), "{f:?}");
            assert!(
                error.is_some_and(|e| e.message.contains(says)),
                "{f:?} should say {says}"
            );
        }
    }

    #[test]
    fn a_call_round_trips_through_the_form() -> Result<(), FormError> {
        let json = serde_json::json!({
            "tool": "query", "server": "db", "arguments": {"sql": "SELECT 1"},
            "agent": "bot", "namespace": "database"
        });
        let Json::Object(call) = json else {
            return Err(FormError {
                field: "test",
                message: "not an object".to_owned(),
            });
        };
        let f = CallForm::from_call_json(&call, Some("2026-01-07T12:00:00Z"));
        assert_eq!(f.extra.get("namespace"), Some(&Json::from("database")));
        assert_eq!(f.to_json()?, call);
        Ok(())
    }

    #[test]
    fn time_is_now_unless_given() {
        let now = Timestamp::from_unix_seconds(5);
        assert_eq!(form("x", "").timestamp(now), Ok(now));
        let mut f = form("x", "");
        f.time = "2026-01-07T12:00:00Z".to_owned();
        assert_ne!(f.timestamp(now), Ok(now));
        f.time = "noon".to_owned();
        assert!(f.timestamp(now).is_err_and(|e| e.field == "time"));
    }
}
