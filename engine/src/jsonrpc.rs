//! Raw MCP JSON-RPC messages: a `tools/call` request, or a batch of
//! messages, each `tools/call` in it decided on its own. Anything else gets
//! a result that says it is not a tool call, never an allow.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::call::{Annotations, ToolCall};
use crate::json;
use crate::limits::Limits;
use crate::normalize::name::canonical_name;
use crate::verdict::{Verdict, VerdictCode};

/// What a message turned out to be.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A `tools/call` request; it has a verdict.
    ToolCall,
    /// A valid message that is not a tool call (`tools/list`, a
    /// notification, a response); it has no verdict and passes as it is.
    NotAToolCall,
    /// Not a valid JSON-RPC message; it has a deny verdict.
    Invalid,
}

/// The result for one message (of a batch, or the only one).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageVerdict {
    /// Position of the message in its batch (0 for a single message).
    pub index: usize,
    /// The message's JSON-RPC `id`, when it has one.
    pub id: Option<Json>,
    /// The message's method, when it has one.
    pub method: Option<String>,
    /// What the message is.
    pub kind: MessageKind,
    /// The verdict, for tool calls and invalid messages.
    pub verdict: Option<Verdict>,
    /// A sentence about the message.
    pub note: String,
}

/// What the caller knows about where messages go.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageContext {
    /// The MCP server the messages are sent to.
    pub server: Option<String>,
    /// The calling agent.
    pub agent: Option<String>,
    /// The MCP session.
    pub session: Option<String>,
    /// The MCP client.
    pub client: Option<String>,
    /// Annotations of the server's tools, by tool name (from `tools/list`).
    pub annotations: HashMap<String, Annotations>,
}

/// Reads a message or batch into tool calls (or the reason each is not one).
pub(crate) fn read_messages(
    text: &str,
    context: &MessageContext,
    limits: &Limits,
) -> Vec<(MessageVerdict, Option<ToolCall>)> {
    if text.len() > limits.max_message_bytes {
        return vec![invalid(
            0,
            None,
            VerdictCode::LimitExceeded,
            format!(
                "The message is {} bytes, more than the limit of {} bytes; none of it is let through.",
                text.len(),
                limits.max_message_bytes
            ),
        )];
    }
    let value = match json::parse_strict(text, limits) {
        Ok(value) => value,
        Err(error) => {
            return vec![invalid(
                0,
                None,
                error.code(),
                format!(
                    "The message could not be read{}: {}.",
                    error.place(),
                    error.message
                ),
            )];
        }
    };
    match value {
        Json::Array(items) if items.is_empty() => {
            vec![invalid(
                0,
                None,
                VerdictCode::InvalidCall,
                "The batch is empty, which JSON-RPC does not allow.".to_owned(),
            )]
        }
        Json::Array(items) if items.len() > limits.max_batch_len => vec![invalid(
            0,
            None,
            VerdictCode::LimitExceeded,
            format!(
                "The batch has {} messages, more than the limit of {}; none of it is let through.",
                items.len(),
                limits.max_batch_len
            ),
        )],
        Json::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| read_one(i, item, context))
            .collect(),
        other => vec![read_one(0, other, context)],
    }
}

fn invalid(
    index: usize,
    id: Option<Json>,
    code: VerdictCode,
    reason: String,
) -> (MessageVerdict, Option<ToolCall>) {
    let verdict = Verdict::denied(code, format!("Denied: {reason}"));
    (
        MessageVerdict {
            index,
            id,
            method: None,
            kind: MessageKind::Invalid,
            verdict: Some(verdict),
            note: reason,
        },
        None,
    )
}

fn read_one(
    index: usize,
    message: Json,
    context: &MessageContext,
) -> (MessageVerdict, Option<ToolCall>) {
    let Json::Object(mut message) = message else {
        return invalid(
            index,
            None,
            VerdictCode::InvalidCall,
            "The message is not a JSON object.".to_owned(),
        );
    };
    let id = message.get("id").cloned();
    let Some(method) = message.get("method") else {
        if message.contains_key("result") || message.contains_key("error") {
            return passes(
                index,
                id,
                None,
                "A response, not a tool call; it passes without a decision.".to_owned(),
            );
        }
        return invalid(
            index,
            id,
            VerdictCode::InvalidCall,
            "The message has no `method`.".to_owned(),
        );
    };
    let Some(method) = method.as_str().map(str::to_owned) else {
        return invalid(
            index,
            id,
            VerdictCode::InvalidCall,
            "The message's `method` is not text.".to_owned(),
        );
    };
    // A server that reads methods loosely must not see a tool call we
    // missed: the method is compared like a tool name (case, blanks,
    // invisible characters and look-alikes folded).
    if canonical_name(&method) != "tools/call" {
        let note = format!("`{method}` is not a tool call; it passes without a decision.");
        return passes(index, id, Some(method), note);
    }
    let params = match message.remove("params") {
        Some(Json::Object(params)) => params,
        None | Some(Json::Null) => Map::new(),
        Some(_) => return tool_call_invalid(index, id, method, "its `params` is not an object"),
    };
    let name = match params.get("name") {
        Some(Json::String(name)) if !name.trim().is_empty() => name.clone(),
        Some(Json::String(_)) | None => {
            return tool_call_invalid(index, id, method, "it names no tool (`params.name`)");
        }
        Some(_) => return tool_call_invalid(index, id, method, "its `params.name` is not text"),
    };
    let arguments = match params.get("arguments") {
        None | Some(Json::Null) => Map::new(),
        Some(Json::Object(arguments)) => arguments.clone(),
        Some(_) => {
            return tool_call_invalid(index, id, method, "its `params.arguments` is not an object");
        }
    };
    let call = ToolCall {
        annotations: context.annotations.get(&name).cloned(),
        tool: name,
        server: context.server.clone(),
        arguments,
        agent: context.agent.clone(),
        session: context.session.clone(),
        client: context.client.clone(),
        ..ToolCall::default()
    };
    let note = if method == "tools/call" {
        format!("A call of `{}`.", call.tool)
    } else {
        format!("A call of `{}` (method written `{method}`).", call.tool)
    };
    (
        MessageVerdict {
            index,
            id,
            method: Some(method),
            kind: MessageKind::ToolCall,
            verdict: None,
            note,
        },
        Some(call),
    )
}

fn passes(
    index: usize,
    id: Option<Json>,
    method: Option<String>,
    note: String,
) -> (MessageVerdict, Option<ToolCall>) {
    (
        MessageVerdict {
            index,
            id,
            method,
            kind: MessageKind::NotAToolCall,
            verdict: None,
            note,
        },
        None,
    )
}

fn tool_call_invalid(
    index: usize,
    id: Option<Json>,
    method: String,
    problem: &str,
) -> (MessageVerdict, Option<ToolCall>) {
    let note = format!("A malformed tool call: {problem}.");
    (
        MessageVerdict {
            index,
            id,
            method: Some(method),
            kind: MessageKind::ToolCall,
            verdict: Some(Verdict::denied(
                VerdictCode::InvalidCall,
                format!("Denied: the tool call is malformed: {problem}."),
            )),
            note,
        },
        None,
    )
}
