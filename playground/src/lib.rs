//! The Portcullis playground: edit a YAML policy, simulate MCP tool calls
//! and see every decision and why, fully in the browser. The engine runs as
//! a Rust crate inside this app's WebAssembly; nothing goes over the network.
//!
//! `main.rs` mounts [`App`]; the components live in [`components`], one per
//! file; the state and what is derived from it in [`state`].

use leptos::prelude::*;

pub mod browser;
pub mod components;
pub mod highlight;
pub mod model;
pub mod persist;
pub mod presets;
pub mod rpc;
pub mod share;
pub mod state;
pub mod suite_io;
pub mod yaml_json;

use components::call_form::CallBuilder;
use components::diagnostics::Diagnostics;
use components::editor::PolicyEditor;
use components::notice_bar::NoticeBar;
use components::paste_box::PasteBox;
use components::preset_picker::PresetPicker;
use components::scenario_table::ScenarioTable;
use components::share_button::ShareButton;
use components::status_bar::StatusBar;
use components::verdict_panel::VerdictPanel;
use state::Playground;

/// The whole playground, starting from a share link, the autosave or the
/// first example, and keeping its state in sync with both.
#[component]
pub fn App() -> impl IntoView {
    let (initial, notice) = persist::restore();
    let state = Playground::new(initial);
    state.notice.set(notice);
    persist::keep_in_sync(state);
    view! { <Layout state /> }
}

/// The page layout around a given state (the component tests mount it
/// with a state of their own).
#[component]
pub fn Layout(
    /// The playground's state.
    state: Playground,
) -> impl IntoView {
    view! {
        <a class="skip" href="#policy-input-section">"Skip to the policy editor"</a>
        <header class="top">
            <h1>
                <span class="logo" aria-hidden="true">"▦"</span>
                " Portcullis "
                <span class="sub">"playground"</span>
            </h1>
            <p class="tagline">"Try a tool-call policy: every MCP call gets a decision, a 0–100 risk score and the reasons."</p>
            <div class="top-actions">
                <PresetPicker state />
                <ShareButton state />
            </div>
        </header>
        <NoticeBar state />
        <main class="grid">
            <section class="pane policy" id="policy-input-section" aria-labelledby="policy-h">
                <div class="pane-head"><h2 id="policy-h">"Policy"</h2></div>
                <PolicyEditor state />
                <Diagnostics state />
            </section>
            <section class="pane call" aria-labelledby="call-h">
                <div class="pane-head"><h2 id="call-h">"Tool call"</h2></div>
                <CallBuilder state />
                <PasteBox state />
            </section>
            <section class="pane verdict-pane" aria-labelledby="verdict-h">
                <div class="pane-head"><h2 id="verdict-h">"Verdict"</h2></div>
                <VerdictPanel state />
            </section>
            <section class="pane scenarios-pane" aria-labelledby="scenarios-h">
                <ScenarioTable state />
            </section>
        </main>
        <StatusBar state />
    }
}
