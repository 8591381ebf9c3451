//! The form that builds the tool call to decide on.

use leptos::prelude::*;
use portcullis::Annotations;
use serde_json::Value as Json;

use crate::model::{CallForm, ScenarioInput};
use crate::state::Playground;

/// The four MCP hints, with how the form labels them.
const HINTS: [(&str, &str); 4] = [
    ("readOnlyHint", "Read-only"),
    ("destructiveHint", "Destructive"),
    ("idempotentHint", "Idempotent"),
    ("openWorldHint", "Open world"),
];

fn hint(a: &Annotations, key: &str) -> Option<bool> {
    match key {
        "readOnlyHint" => a.read_only_hint,
        "destructiveHint" => a.destructive_hint,
        "idempotentHint" => a.idempotent_hint,
        _ => a.open_world_hint,
    }
}

fn set_hint(a: &mut Annotations, key: &str, value: Option<bool>) {
    match key {
        "readOnlyHint" => a.read_only_hint = value,
        "destructiveHint" => a.destructive_hint = value,
        "idempotentHint" => a.idempotent_hint = value,
        _ => a.open_world_hint = value,
    }
}

/// The call form: server, tool, arguments (JSON), agent, time and the
/// tool's annotations. Tools imported from `tools/list` are offered.
#[component]
pub fn CallBuilder(
    /// The playground's state; the form edits `state.call`.
    state: Playground,
) -> impl IntoView {
    let text_field = move |get: fn(&CallForm) -> String, set: fn(&mut CallForm, String)| {
        (
            move || state.call.with(get),
            move |ev| {
                let value = event_target_value(&ev);
                state.call.update(|c| set(c, value));
            },
        )
    };
    let (server, on_server) = text_field(|c| c.server.clone(), |c, v| c.server = v);
    let (arguments, on_arguments) = text_field(|c| c.arguments.clone(), |c, v| c.arguments = v);
    let (agent, on_agent) = text_field(|c| c.agent.clone(), |c, v| c.agent = v);
    let (time, on_time) = text_field(|c| c.time.clone(), |c, v| c.time = v);
    let on_tool = move |ev| {
        let name = event_target_value(&ev);
        let imported = state
            .tools
            .with_untracked(|tools| tools.iter().find(|t| t.name == name).cloned());
        state.call.update(|c| {
            c.tool = name;
            if let Some(tool) = imported {
                c.annotations = tool.annotations;
                if c.arguments.trim().is_empty() || c.arguments.trim() == "{}" {
                    c.arguments = tool
                        .example_arguments
                        .and_then(|a| serde_json::to_string_pretty(&a).ok())
                        .unwrap_or_default();
                }
            }
        });
    };
    let error = move |field: &'static str| {
        move || {
            state.outcome.with(|o| {
                o.as_ref()
                    .and_then(|o| o.verdict.as_ref().err())
                    .filter(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        }
    };
    let known_tools = move || {
        let mut names: Vec<(String, Option<String>)> = state.tools.with(|t| {
            t.iter()
                .map(|t| (t.name.clone(), t.description.clone()))
                .collect()
        });
        state.scenarios.with(|s| {
            for case in &s.cases {
                if let ScenarioInput::Call(call) = &case.input
                    && let Some(tool) = call.get("tool").and_then(Json::as_str)
                    && !names.iter().any(|(n, _)| n == tool)
                {
                    names.push((tool.to_owned(), None));
                }
            }
        });
        names
    };
    let known_servers = move || {
        let mut servers: Vec<String> = Vec::new();
        state.scenarios.with(|s| {
            for case in &s.cases {
                if let ScenarioInput::Call(call) = &case.input
                    && let Some(server) = call.get("server").and_then(Json::as_str)
                    && !servers.iter().any(|s| s == server)
                {
                    servers.push(server.to_owned());
                }
            }
        });
        servers
    };
    let imported_count = move || state.tools.with(Vec::len);
    let extra = move || {
        state.call.with(|c| {
            (!c.extra.is_empty()).then(|| {
                c.extra
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        })
    };

    view! {
        <form class="call-form" data-testid="call-form" on:submit=|ev| ev.prevent_default()>
            <div class="row2">
                <label>
                    <span>"Server"</span>
                    <input type="text" list="known-servers" data-testid="call-server" placeholder="e.g. prod-filesystem"
                        autocomplete="off" spellcheck="false" prop:value=server on:input=on_server />
                </label>
                <label>
                    <span>"Tool"</span>
                    <input type="text" list="known-tools" data-testid="call-tool" placeholder="e.g. write_file" required
                        autocomplete="off" spellcheck="false" aria-describedby="tool-error"
                        prop:value=move || state.call.with(|c| c.tool.clone()) on:input=on_tool />
                </label>
            </div>
            <datalist id="known-tools">
                {move || known_tools().into_iter().map(|(name, description)| view! {
                    <option value=name>{description.unwrap_or_default()}</option>
                }).collect_view()}
            </datalist>
            <datalist id="known-servers">
                {move || known_servers().into_iter().map(|s| view! { <option value=s></option> }).collect_view()}
            </datalist>
            <p id="tool-error" class="field-error" data-testid="tool-error">{error("tool")}</p>
            {move || (imported_count() > 0).then(|| view! {
                <p class="muted small" data-testid="imported-tools">
                    {format!("{} tools imported from tools/list are offered in the Tool field.", imported_count())}
                </p>
            })}
            <label class="block">
                <span>"Arguments (JSON)"</span>
                <textarea class="json" rows="5" data-testid="call-arguments" spellcheck="false"
                    aria-describedby="arguments-error" placeholder="{\"path\": \"/data/report.csv\"}"
                    prop:value=arguments on:input=on_arguments></textarea>
            </label>
            <p id="arguments-error" class="field-error" data-testid="arguments-error">{error("arguments")}</p>
            <div class="row2">
                <label>
                    <span>"Agent"</span>
                    <input type="text" data-testid="call-agent" placeholder="optional" autocomplete="off"
                        prop:value=agent on:input=on_agent />
                </label>
                <label>
                    <span>"Time (UTC, RFC 3339)"</span>
                    <input type="text" data-testid="call-time" placeholder="now" autocomplete="off" spellcheck="false"
                        aria-describedby="time-error" prop:value=time on:input=on_time />
                </label>
            </div>
            <p id="time-error" class="field-error" data-testid="time-error">{error("time")}</p>
            <fieldset class="hints">
                <legend>"Annotations"</legend>
                {HINTS.into_iter().map(|(key, text)| view! {
                    <label>
                        <span>{text}</span>
                        <select
                            data-testid=format!("hint-{key}")
                            prop:value=move || state.call.with(|c| match hint(&c.annotations, key) { Some(true) => "true", Some(false) => "false", None => "" })
                            on:change=move |ev| {
                                let value = match event_target_value(&ev).as_str() { "true" => Some(true), "false" => Some(false), _ => None };
                                state.call.update(|c| set_hint(&mut c.annotations, key, value));
                            }
                        >
                            <option value="">"not set"</option>
                            <option value="true">"true"</option>
                            <option value="false">"false"</option>
                        </select>
                    </label>
                }).collect_view()}
            </fieldset>
            {move || extra().map(|e| view! { <p class="muted small" data-testid="call-extra">{format!("Also sets {e}")}</p> })}
            <p id="call-error" class="field-error">{error("call")}</p>
            <div class="actions">
                <button type="button" data-testid="add-scenario" on:click=move |_| state.add_current_call()>
                    "Add as scenario"
                </button>
            </div>
        </form>
    }
}
