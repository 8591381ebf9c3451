//! One scenario in the table: its name, call, expectation and result.

use leptos::prelude::*;
use portcullis::Decision;
use serde_json::Value as Json;

use crate::components::badge::DecisionBadge;
use crate::model::Scenario;
use crate::state::{Playground, RowResult};

/// What a row shows of its scenario's result.
#[derive(Debug, Clone, PartialEq)]
struct RowView {
    passed: bool,
    /// Decision, deciding rule (or `defaults`) and score of each verdict.
    actual: Vec<(Decision, String, u8)>,
    failures: Vec<String>,
    /// Why the scenario itself is invalid.
    invalid: Option<String>,
}

impl RowView {
    fn of(result: &RowResult) -> Self {
        match result {
            RowResult::Ran(case) => Self {
                passed: case.passed,
                actual: case
                    .verdicts
                    .iter()
                    .map(|v| {
                        let rule = v.rule.clone().unwrap_or_else(|| "defaults".to_owned());
                        (v.decision, rule, v.risk_score)
                    })
                    .collect(),
                failures: if case.passed {
                    Vec::new()
                } else {
                    case.failures.clone()
                },
                invalid: None,
            },
            RowResult::Invalid(errors) => Self {
                passed: false,
                actual: Vec::new(),
                failures: Vec::new(),
                invalid: Some(errors.first().map_or_else(
                    || "this scenario is invalid".to_owned(),
                    |e| format!("line {}: {}", e.span.line, e.message),
                )),
            },
        }
    }
}

/// The expectations besides the decision, as short chips (`rule: mcp_read`).
fn other_expectations(expect: &Json) -> Vec<String> {
    let Some(map) = expect.as_object() else {
        return Vec::new();
    };
    map.iter()
        .filter(|(k, _)| k.as_str() != "decision")
        .map(|(k, v)| match v {
            Json::String(s) => format!("{k}: {s}"),
            Json::Null => format!("{k}: none"),
            other => format!("{k}: {other}"),
        })
        .collect()
}

/// A row of the scenario table. The row reads its scenario and result by
/// position, so it keeps its inputs (and their focus) while results change.
#[component]
pub fn ScenarioRow(
    /// The playground's state.
    state: Playground,
    /// The scenario's position.
    index: usize,
) -> impl IntoView {
    let case = move || state.scenarios.with(|s| s.cases.get(index).cloned());
    // What the row shows of its result, compared before the DOM is touched:
    // rows whose outcome did not change are left alone on a keystroke.
    let view_of = Memo::new(move |_| state.results.with(|r| r.rows.get(index).map(RowView::of)));
    let passed = move || view_of.with(|v| v.as_ref().is_some_and(|v| v.passed));
    let with_case =
        move |f: fn(&Scenario) -> String| move || case().map(|c| f(&c)).unwrap_or_default();
    let batch = move || case().is_some_and(|c| c.expect.is_array());
    let set_expected = move |ev| {
        let value = event_target_value(&ev);
        state.scenarios.update(|s| {
            if let Some(Json::Object(expect)) = s.cases.get_mut(index).map(|c| &mut c.expect) {
                if value.is_empty() {
                    expect.remove("decision");
                } else {
                    expect.insert("decision".to_owned(), Json::from(value));
                }
            }
        });
    };
    let rename = move |ev| {
        let value = event_target_value(&ev);
        state.scenarios.update(|s| {
            if let Some(c) = s.cases.get_mut(index) {
                c.name = value;
            }
        });
    };
    let remove = move |_| {
        let removed = state
            .scenarios
            .with_untracked(|s| s.cases.get(index).map(|c| c.name.clone()));
        let before = state.snapshot_untracked();
        state.scenarios.update(|s| {
            if index < s.cases.len() {
                s.cases.remove(index);
            }
        });
        if let Some(name) = removed {
            state.notice.set(Some(crate::state::Notice {
                text: format!("Removed the scenario “{name}”."),
                undo: Some((before, "Undo")),
                error: false,
            }));
        }
    };
    let actual = move || {
        match view_of.get() {
        Some(RowView { invalid: Some(problem), .. }) => {
            view! { <span class="field-error">{problem}</span> }.into_any()
        }
        Some(view) => view! {
            <span class="actuals">
                {view.actual.into_iter().map(|(decision, rule, score)| view! {
                    <span class="actual">
                        <DecisionBadge decision=Signal::stored(decision) small=true testid="scenario-actual" />
                        <span class="muted small">{format!(" {rule} · {score}")}</span>
                    </span>
                }).collect_view()}
            </span>
        }
        .into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
    };
    let failures =
        move || view_of.with(|v| v.as_ref().map(|v| v.failures.clone()).unwrap_or_default());

    view! {
        <tr data-testid="scenario-row" data-passed=move || passed().to_string() class:fail=move || !passed()>
            <td class="num">{index + 1}</td>
            <td class="name">
                <input type="text" class="plain" aria-label=format!("Name of scenario {}", index + 1)
                    data-testid="scenario-name" prop:value=with_case(|c| c.name.clone()) on:change=rename />
                <div class="muted small" data-testid="scenario-call">{with_case(Scenario::summary)}</div>
                <ul class="failures">
                    {move || failures().into_iter().map(|f| view! { <li data-testid="scenario-failure">{f}</li> }).collect_view()}
                </ul>
            </td>
            <td class="expected">
                {move || if batch() {
                    view! { <span data-testid="scenario-expected">{with_case(|c| c.expected_decision().unwrap_or_default())()}</span> }.into_any()
                } else {
                    view! {
                        <select data-testid="scenario-expected" aria-label=format!("Expected decision of scenario {}", index + 1)
                            prop:value=with_case(|c| c.expected_decision().unwrap_or_default()) on:change=set_expected>
                            <option value="">"any"</option>
                            {[Decision::Allow, Decision::RequireApproval, Decision::Deny].into_iter().map(|d| view! {
                                <option value=d.as_str()>{crate::components::badge::label(d).1}</option>
                            }).collect_view()}
                        </select>
                    }.into_any()
                }}
                <div class="chips">
                    {move || case().map(|c| other_expectations(&c.expect)).unwrap_or_default().into_iter().map(|e| view! { <span class="chip static">{e}</span> }).collect_view()}
                </div>
            </td>
            <td class="actual-cell">{actual}</td>
            <td class="result">
                <span class=move || if passed() { "pass" } else { "fail" } data-testid="scenario-result">
                    {move || if passed() { "✓ pass" } else { "✕ fail" }}
                </span>
            </td>
            <td class="row-actions">
                <button type="button" class="chip" data-testid="scenario-load" title="Load this call into the form"
                    aria-label=format!("Load scenario {} into the form", index + 1) on:click=move |_| state.load_scenario(index)>"Load"</button>
                <button type="button" class="chip danger" data-testid="scenario-delete" title="Remove this scenario"
                    aria-label=format!("Remove scenario {}", index + 1) on:click=remove>"✕"</button>
            </td>
        </tr>
    }
}
