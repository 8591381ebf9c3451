//! Import and export of the scenarios as the engine's test-suite YAML.

use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

use crate::browser;
use crate::state::{Notice, Playground};
use crate::suite_io::{self, ImportError};

/// Which panel is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Closed,
    Export,
    Import,
}

/// Buttons to export the scenarios (download, copy) and to import a suite
/// (paste or open a file), with the engine's errors at their lines.
#[component]
pub fn SuiteIo(
    /// The playground's state; import replaces `state.scenarios`.
    state: Playground,
) -> impl IntoView {
    let panel = RwSignal::new(Panel::Closed);
    let draft = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<String>::new());
    let exported = move || state.scenarios.with(suite_io::export);
    let file_name = move || {
        let name = state.scenarios.with(|s| s.name.clone());
        let slug: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        format!("{}.suite.yaml", slug.trim_matches('-'))
    };
    let apply = move |_| {
        let text = draft.get_untracked();
        match suite_io::import(&text) {
            Ok(imported) => {
                let before = state.snapshot_untracked();
                let count = imported.scenarios.cases.len();
                state.scenarios.set(imported.scenarios);
                let skipped = if imported.skipped.is_empty() {
                    String::new()
                } else {
                    format!(
                        " Left out {} that test policy errors (the editor shows those): {}.",
                        imported.skipped.len(),
                        imported.skipped.join(", ")
                    )
                };
                state.notice.set(Some(Notice {
                    text: format!("Imported {count} scenarios.{skipped}"),
                    undo: Some((before, "Undo")),
                    error: false,
                }));
                errors.set(Vec::new());
                panel.set(Panel::Closed);
            }
            Err(ImportError::Invalid(list)) => errors.set(
                list.iter()
                    .map(|d| {
                        let help = d
                            .help
                            .as_deref()
                            .map(|h| format!(" (help: {h})"))
                            .unwrap_or_default();
                        format!(
                            "Line {}, column {}: {}{help}",
                            d.span.line, d.span.column, d.message
                        )
                    })
                    .collect(),
            ),
            Err(ImportError::Empty) => errors.set(vec![
                "The suite has no case with a `call` or `message` to run.".to_owned(),
            ]),
        }
    };
    let open_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => draft.set(text.as_string().unwrap_or_default()),
                Err(_) => errors.set(vec!["The file could not be read.".to_owned()]),
            }
        });
    };
    let toggle = move |which: Panel| {
        move |_| {
            if which == Panel::Export {
                draft.set(exported());
            }
            errors.set(Vec::new());
            panel.update(|p| *p = if *p == which { Panel::Closed } else { which });
        }
    };

    view! {
        <div class="suite-io">
            <div class="actions">
                <button type="button" data-testid="export-suite" aria-expanded=move || (panel.get() == Panel::Export).to_string()
                    on:click=toggle(Panel::Export)>"Export YAML"</button>
                <button type="button" data-testid="import-suite" aria-expanded=move || (panel.get() == Panel::Import).to_string()
                    on:click=toggle(Panel::Import)>"Import YAML"</button>
            </div>
            <Show when=move || panel.get() != Panel::Closed>
                <div class="suite-panel" data-testid="suite-panel">
                    <label class="block" for="suite-text">
                        <span>{move || if panel.get() == Panel::Export {
                            "The scenarios as a test suite (the format of tests/**/*.suite.yaml; add `policy_file:` to run it with the engine's runners)"
                        } else {
                            "Paste a test suite (YAML), or open a file"
                        }}</span>
                    </label>
                    <textarea id="suite-text" class="json" rows="12" data-testid="suite-text" spellcheck="false"
                        readonly=move || panel.get() == Panel::Export
                        prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    <ul class="import-errors" data-testid="import-errors">
                        {move || errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                    </ul>
                    <div class="actions">
                        <Show when=move || panel.get() == Panel::Export
                            fallback=move || view! {
                                <label class="file">
                                    <span>"Open a file…"</span>
                                    <input type="file" accept=".yaml,.yml,text/yaml" data-testid="suite-file" on:change=open_file />
                                </label>
                                <button type="button" data-testid="import-apply" on:click=apply>"Replace the scenarios"</button>
                            }>
                            <button type="button" data-testid="download-suite" on:click=move |_| browser::download(&file_name(), &draft.get_untracked())>
                                "Download"
                            </button>
                            <button type="button" on:click=move |_| browser::copy(&draft.get_untracked())>"Copy"</button>
                        </Show>
                    </div>
                </div>
            </Show>
        </div>
    }
}
