//! The tool call to decide on.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value as Json};

use crate::json::{self, JsonError};
use crate::limits::Limits;

/// An MCP tool call, with everything the policy may match on.
///
/// Only `tool` is required. `namespace`, `verb` and `resource` are derived
/// from the tool and its arguments when not given.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToolCall {
    /// The tool's name (`params.name` of a `tools/call` request).
    pub tool: String,
    /// The MCP server that offers the tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The tool's arguments (`params.arguments`); `null` reads as none.
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Map<String, Json>>", optional))]
    pub arguments: Map<String, Json>,
    /// The calling agent's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The MCP session id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The MCP client (`claude-desktop`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The user on whose behalf the agent acts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Map<String, Json>>,
    /// The namespace (`filesystem`, `database`, ...); derived when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The verb (`read`, `write_file`, ...); derived when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// The resource (a path, `database://name`, ...); derived when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The tool's MCP annotations, as its server declared them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
}

/// MCP tool annotations (hints a server declares about a tool). The spec's
/// defaults apply to absent hints: not read-only, destructive, not
/// idempotent, open world. Hints are untrusted unless the server is trusted.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotations {
    /// A human-readable title for the tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The tool does not modify its environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_hint: Option<bool>,
    /// The tool may perform destructive updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive_hint: Option<bool>,
    /// Calling the tool again with the same arguments has no further effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotent_hint: Option<bool>,
    /// The tool interacts with an open world of external entities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_world_hint: Option<bool>,
}

impl ToolCall {
    /// A call of `tool` with no server and no arguments.
    #[must_use]
    pub fn new(tool: impl Into<String>) -> Self {
        Self {
            tool: tool.into(),
            ..Self::default()
        }
    }

    /// Reads a call from its JSON form (`{"tool": ..., "server": ..., "arguments": {...}}`).
    ///
    /// # Errors
    ///
    /// Returns a [`JsonError`] with its line and column when the text is not
    /// JSON, has a duplicate key, exceeds a limit, or is not a tool call.
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        let value = json::parse_strict(text, &Limits::default())?;
        Self::from_value(value)
    }

    /// Reads a call from a JSON value.
    ///
    /// # Errors
    ///
    /// Returns a [`JsonError`] when the value is not a tool call (no `tool`,
    /// a field of the wrong type, an unknown field).
    pub fn from_value(value: Json) -> Result<Self, JsonError> {
        serde_json::from_value(value).map_err(|e| JsonError::new(format!("invalid tool call: {e}")))
    }
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Json>, D::Error> {
    Ok(Option::<Map<String, Json>>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_json_form() -> Result<(), JsonError> {
        let call = ToolCall::from_json(
            r#"{"tool":"read_file","server":"fs","arguments":{"path":"/x"},
                "annotations":{"readOnlyHint":true}}"#,
        )?;
        assert_eq!(call.tool, "read_file");
        assert_eq!(call.server.as_deref(), Some("fs"));
        assert_eq!(call.arguments.get("path"), Some(&Json::from("/x")));
        assert_eq!(call.annotations.and_then(|a| a.read_only_hint), Some(true));
        Ok(())
    }

    #[test]
    fn null_arguments_are_none_and_typos_are_errors() -> Result<(), JsonError> {
        let call = ToolCall::from_json(r#"{"tool":"x","arguments":null}"#)?;
        assert!(call.arguments.is_empty());
        let typo = ToolCall::from_json(r#"{"tool":"x","sever":"y"}"#);
        assert!(typo.is_err_and(|e| e.message.contains("unknown field `sever`")));
        let missing = ToolCall::from_json(r#"{"server":"y"}"#);
        assert!(missing.is_err_and(|e| e.message.contains("missing field `tool`")));
        Ok(())
    }
}
