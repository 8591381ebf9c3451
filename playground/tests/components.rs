//! Component tests: the playground's components mounted in headless
//! Chromium (wasm-bindgen-test), driven through their state and the DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use portcullis::{Decision, RiskLevel};
use portcullis_playground::Layout;
use portcullis_playground::components::badge::DecisionBadge;
use portcullis_playground::components::gauge::ScoreGauge;
use portcullis_playground::model::Snapshot;
use portcullis_playground::presets;
use portcullis_playground::state::Playground;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh element of the page and returns that element.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .unwrap_or_else(|| unreachable!("a browser page has a document"));
    let host: web_sys::HtmlElement = document
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .unwrap_or_else(|| unreachable!("a div is an HtmlElement"));
    let _ = document.body().map(|b| b.append_child(&host));
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

fn find(host: &web_sys::HtmlElement, testid: &str) -> Option<web_sys::Element> {
    host.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
}

fn all(host: &web_sys::HtmlElement, selector: &str) -> Vec<web_sys::Element> {
    let Ok(list) = host.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

fn attr(host: &web_sys::HtmlElement, testid: &str, name: &str) -> Option<String> {
    find(host, testid).and_then(|e| e.get_attribute(name))
}

fn text(host: &web_sys::HtmlElement, testid: &str) -> String {
    find(host, testid)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn preset(id: &str) -> Snapshot {
    presets::find(id).map(|p| p.snapshot()).unwrap_or_default()
}

async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn the_badge_says_the_decision_in_words_and_data() {
    let decision = RwSignal::new(Decision::Allow);
    let host = mount(move || view! { <DecisionBadge decision=decision /> });
    assert_eq!(
        attr(&host, "decision", "data-decision").as_deref(),
        Some("allow")
    );
    assert_eq!(text(&host, "decision"), "✓Allow");
    decision.set(Decision::RequireApproval);
    settle().await;
    assert_eq!(
        attr(&host, "decision", "data-decision").as_deref(),
        Some("require_approval")
    );
    assert!(text(&host, "decision").ends_with("Require approval"));
}

#[wasm_bindgen_test]
async fn the_gauge_reports_score_and_level_to_screen_readers() {
    let score = RwSignal::new(20u8);
    let level = RwSignal::new(RiskLevel::Low);
    let host = mount(move || view! { <ScoreGauge score=score level=level /> });
    let meter = all(&host, "[role=meter]");
    let meter = meter.first();
    assert_eq!(
        meter
            .and_then(|m| m.get_attribute("aria-valuenow"))
            .as_deref(),
        Some("20")
    );
    score.set(95);
    level.set(RiskLevel::Critical);
    settle().await;
    assert_eq!(text(&host, "score"), "95");
    assert_eq!(text(&host, "risk-level"), "critical");
    assert_eq!(
        meter
            .and_then(|m| m.get_attribute("aria-valuetext"))
            .as_deref(),
        Some("95 of 100, critical risk")
    );
}

#[wasm_bindgen_test]
async fn the_layout_shows_the_quickstart_verdict_trace_and_scenarios() {
    let state = Playground::new(preset("aegis-quickstart"));
    let host = mount(move || view! { <Layout state /> });
    settle().await;
    let verdict = find(&host, "verdict");
    assert_eq!(
        verdict
            .and_then(|v| v.query_selector("[data-testid=decision]").ok().flatten())
            .and_then(|d| d.get_attribute("data-decision"))
            .as_deref(),
        Some("allow")
    );
    assert_eq!(text(&host, "rule"), "mcp_read");
    assert_eq!(text(&host, "score"), "20");
    assert_eq!(all(&host, "[data-testid=trace-step]").len(), 1);
    assert_eq!(all(&host, "[data-testid=trace-unreached]").len(), 4);
    assert_eq!(
        all(&host, "[data-testid=scenario-row][data-passed=true]").len(),
        6
    );
    assert_eq!(text(&host, "scenario-summary"), "All 6 scenarios pass");
    assert_eq!(
        all(&host, "[data-testid=policy-highlight] .l.rule").len(),
        4
    );
}

#[wasm_bindgen_test]
async fn an_invalid_policy_keeps_the_last_verdict_marked_stale() {
    let state = Playground::new(preset("aegis-quickstart"));
    let host = mount(move || view! { <Layout state /> });
    settle().await;
    state
        .policy
        .update(|p| *p = p.replace("approval: auto", "approval: sometimes"));
    settle().await;
    let diagnostics = all(&host, "[data-testid=diagnostic]");
    assert_eq!(diagnostics.len(), 2, "both mcp_read and mcp_list are wrong");
    assert_eq!(
        diagnostics
            .first()
            .and_then(|d| d.get_attribute("data-line"))
            .as_deref(),
        Some("10")
    );
    assert_eq!(
        attr(&host, "verdict", "data-stale").as_deref(),
        Some("true")
    );
    assert_eq!(text(&host, "rule"), "mcp_read");
    assert!(find(&host, "stale-banner").is_some());
    assert_eq!(
        attr(&host, "scenarios", "data-stale").as_deref(),
        Some("true")
    );
    assert_eq!(all(&host, "[data-testid=policy-gutter] .g.err").len(), 2);

    state.policy.update(|p| {
        *p = p
            .replacen("approval: sometimes", "approval: block", 1)
            .replace("approval: sometimes", "approval: auto")
    });
    settle().await;
    assert_eq!(
        attr(&host, "verdict", "data-stale").as_deref(),
        Some("false")
    );
    assert_eq!(text(&host, "verdict-code"), "rule_block");
    assert_eq!(
        all(&host, "[data-testid=scenario-row][data-passed=false]").len(),
        1
    );
}

#[wasm_bindgen_test]
async fn typing_in_the_editor_updates_the_policy_and_the_verdict() {
    let state = Playground::new(preset("aegis-quickstart"));
    let host = mount(move || view! { <Layout state /> });
    settle().await;
    let Some(area) =
        find(&host, "policy-input").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        unreachable!("the editor is a textarea");
    };
    area.set_value(
        &area
            .value()
            .replace("type: \"read_file\"", "type: \"read_*\""),
    );
    let _ = web_sys::Event::new("input").map(|e| area.dispatch_event(&e));
    settle().await;
    assert!(state.policy.get_untracked().contains("read_*"));
    assert_eq!(text(&host, "rule"), "mcp_read");
    state.call.update(|c| c.tool = "read_everything".to_owned());
    settle().await;
    assert_eq!(
        text(&host, "rule"),
        "mcp_read",
        "read_* now matches read_everything"
    );
}

#[wasm_bindgen_test]
async fn pasting_a_batch_decides_each_message_and_tools_list_imports_tools() {
    let state = Playground::new(preset("aegis-quickstart"));
    let host = mount(move || view! { <Layout state /> });
    state.paste.set(
        r#"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"/x"}}},
            {"jsonrpc":"2.0","id":2,"method":"tools/list"}]"#
            .to_owned(),
    );
    settle().await;
    let rows = all(&host, "[data-testid=paste-result]");
    let decisions: Vec<Option<String>> = rows
        .iter()
        .map(|r| r.get_attribute("data-decision"))
        .collect();
    assert_eq!(
        decisions,
        [Some("deny".to_owned()), Some("none".to_owned())]
    );

    let Some(area) =
        find(&host, "paste-input").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        unreachable!("the paste box is a textarea");
    };
    area.set_value(r#"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"peek","annotations":{"readOnlyHint":true}}]}}"#);
    let _ = web_sys::Event::new("input").map(|e| area.dispatch_event(&e));
    settle().await;
    assert_eq!(state.tools.get_untracked().len(), 1);
    assert_eq!(all(&host, "#known-tools option[value=peek]").len(), 1);
}

#[wasm_bindgen_test]
async fn adding_the_current_call_adds_a_passing_scenario() {
    let state = Playground::new(preset("sensitive-files"));
    let host = mount(move || view! { <Layout state /> });
    state.call.update(|c| {
        c.tool = "write_file".to_owned();
        c.arguments = r#"{"path": "/etc/hosts"}"#.to_owned();
    });
    settle().await;
    let before = all(&host, "[data-testid=scenario-row]").len();
    state.add_current_call();
    settle().await;
    let rows = all(&host, "[data-testid=scenario-row]");
    assert_eq!(rows.len(), before + 1);
    assert_eq!(
        rows.last()
            .and_then(|r| r.get_attribute("data-passed"))
            .as_deref(),
        Some("true")
    );
    assert!(text(&host, "notice-text").contains("write_file on filesystem → deny"));
}
