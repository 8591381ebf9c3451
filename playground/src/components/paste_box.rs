//! Paste raw MCP JSON-RPC: `tools/call` requests and batches are decided
//! message by message; a `tools/list` response imports its tools.

use std::collections::HashMap;

use leptos::prelude::*;
use portcullis::{MessageContext, MessageKind, MessageVerdict, Timestamp};

use crate::browser;
use crate::components::badge::DecisionBadge;
use crate::rpc::{self, Pasted};
use crate::state::Playground;

const EXAMPLE_CALL: &str = r#"{"jsonrpc": "2.0", "id": 7, "method": "tools/call",
 "params": {"name": "write_file", "arguments": {"path": "/srv/app/.env", "content": "KEY=1"}}}"#;
const EXAMPLE_BATCH: &str = r#"[
  {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "read_file", "arguments": {"path": "/data/report.csv"}}},
  {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "delete_file", "arguments": {"path": "/data/report.csv"}}},
  {"jsonrpc": "2.0", "method": "notifications/initialized"}
]"#;
const EXAMPLE_LIST: &str = r#"{"jsonrpc": "2.0", "id": 1, "result": {"tools": [
  {"name": "read_file", "description": "Read a file", "annotations": {"readOnlyHint": true},
   "inputSchema": {"type": "object", "properties": {"path": {"type": "string", "examples": ["/data/report.csv"]}}}},
  {"name": "write_file", "description": "Write a file", "annotations": {"destructiveHint": false, "idempotentHint": true},
   "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}}},
  {"name": "delete_file", "description": "Delete a file", "annotations": {"destructiveHint": true},
   "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}}}
]}}"#;

/// The paste box and its results.
#[component]
pub fn PasteBox(
    /// The playground's state; the box edits `state.paste`.
    state: Playground,
) -> impl IntoView {
    let on_input = move |text: String| {
        match rpc::classify(&text) {
            Pasted::ToolsList(tools) => {
                let names: Vec<String> = tools.iter().map(|t| t.name.clone()).collect();
                state.tools.set(tools);
                state.tell(
                    format!(
                        "Imported {} tools from tools/list: {}.",
                        names.len(),
                        names.join(", ")
                    ),
                    false,
                );
            }
            Pasted::Messages => {
                // One request: the form takes it, so its full verdict shows.
                if let [Some((tool, arguments))] = rpc::calls(&text).as_slice() {
                    load_call(state, tool, arguments);
                }
            }
            Pasted::Empty => {}
        }
        state.paste.set(text);
    };
    let results = Memo::new(move |_| {
        let text = state.paste.get();
        if !matches!(rpc::classify(&text), Pasted::Messages) {
            return Vec::new();
        }
        let form = state.call.get();
        let annotations: HashMap<_, _> = state.tools.with(|t| {
            t.iter()
                .map(|t| (t.name.clone(), t.annotations.clone()))
                .collect()
        });
        let context = MessageContext {
            server: Some(form.server.trim().to_owned()).filter(|s| !s.is_empty()),
            agent: Some(form.agent.trim().to_owned()).filter(|s| !s.is_empty()),
            annotations,
            ..MessageContext::default()
        };
        let now = form
            .timestamp(Timestamp::from_unix_millis(browser::now_ms()))
            .unwrap_or_else(|_| Timestamp::from_unix_millis(browser::now_ms()));
        state.live.with(|l| {
            l.as_ref()
                .map(|l| l.policy.evaluate_message(&text, &context, now))
                .unwrap_or_default()
        })
    });
    let example = move |text: &'static str| move |_| on_input(text.to_owned());

    view! {
        <div class="paste" data-testid="paste-box">
            <label class="block" for="paste-input">
                <span>"Paste MCP JSON-RPC: a tools/call request or batch, or a tools/list response"</span>
            </label>
            <textarea id="paste-input" class="json" rows="4" data-testid="paste-input" spellcheck="false"
                placeholder="{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/x\"}}}"
                prop:value=move || state.paste.get()
                on:input=move |ev| on_input(event_target_value(&ev))></textarea>
            <div class="actions small">
                <span class="muted">"Examples:"</span>
                <button type="button" class="chip" on:click=example(EXAMPLE_CALL)>"tools/call"</button>
                <button type="button" class="chip" on:click=example(EXAMPLE_BATCH)>"batch"</button>
                <button type="button" class="chip" on:click=example(EXAMPLE_LIST)>"tools/list"</button>
                <Show when=move || !state.paste.with(String::is_empty)>
                    <button type="button" class="chip" on:click=move |_| state.paste.set(String::new())>"Clear"</button>
                </Show>
            </div>
            <ol class="paste-results" data-testid="paste-results" aria-live="polite">
                {move || {
                    let text = state.paste.get();
                    let calls = rpc::calls(&text);
                    results.get().into_iter().map(|m| {
                        let call = calls.get(m.index).cloned().flatten();
                        view! { <PasteRow state message=m call=call /> }
                    }).collect_view()
                }}
            </ol>
        </div>
    }
}

fn load_call(
    state: Playground,
    tool: &str,
    arguments: &serde_json::Map<String, serde_json::Value>,
) {
    state.call.update(|c| {
        c.tool = tool.to_owned();
        c.arguments = if arguments.is_empty() {
            String::new()
        } else {
            serde_json::to_string_pretty(arguments).unwrap_or_default()
        };
        c.extra.clear();
        if let Some(hints) = state.tools.with_untracked(|t| {
            t.iter()
                .find(|t| t.name == tool)
                .map(|t| t.annotations.clone())
        }) {
            c.annotations = hints;
        }
    });
}

/// One message's result.
#[component]
fn PasteRow(
    /// The playground's state (to open the call in the form).
    state: Playground,
    /// The engine's result for the message.
    message: MessageVerdict,
    /// The message's tool name and arguments, when it is a readable call.
    call: Option<(String, serde_json::Map<String, serde_json::Value>)>,
) -> impl IntoView {
    let own = call;
    let kind = match message.kind {
        MessageKind::ToolCall => "tool call",
        MessageKind::NotAToolCall => "not a tool call",
        MessageKind::Invalid => "invalid",
    };
    let id = message
        .id
        .as_ref()
        .map(|i| format!("id {i} · "))
        .unwrap_or_default();
    let method = message
        .method
        .clone()
        .unwrap_or_else(|| "no method".to_owned());
    view! {
        <li class="paste-result" data-testid="paste-result" data-kind=kind
            data-decision=message.verdict.as_ref().map(|v| v.decision.as_str()).unwrap_or("none")>
            <div class="paste-head">
                <span class="muted">{format!("#{} · {id}{method}", message.index + 1)}</span>
                {message.verdict.as_ref().map(|v| {
                    let d = v.decision;
                    view! { <DecisionBadge decision=Signal::stored(d) small=true testid="paste-decision" /> }
                })}
                {message.verdict.as_ref().map(|v| view! {
                    <span class="muted">{format!("score {}{}", v.risk_score, v.rule.as_ref().map(|r| format!(" · rule {r}")).unwrap_or_default())}</span>
                })}
            </div>
            <div class="paste-note">{message.verdict.as_ref().map_or_else(|| message.note.clone(), |v| v.reason.clone())}</div>
            {own.map(|(tool, arguments)| view! {
                <button type="button" class="chip" on:click=move |_| load_call(state, &tool, &arguments)>"Open in the form"</button>
            })}
        </li>
    }
}
