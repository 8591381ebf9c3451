//! The scenarios: a test suite re-run on every keystroke.

use leptos::prelude::*;

use crate::components::diagnostics::plural;
use crate::components::scenario_row::ScenarioRow;
use crate::components::suite_io::SuiteIo;
use crate::state::Playground;

/// The scenario table with its summary and actions.
#[component]
pub fn ScenarioTable(
    /// The playground's state; the table shows `state.scenarios` and `state.results`.
    state: Playground,
) -> impl IntoView {
    let count = move || state.scenarios.with(|s| s.cases.len());
    let summary = move || {
        let total = count();
        let passed = state.results.with(|r| r.passed());
        if total == 0 {
            "No scenarios yet".to_owned()
        } else if passed == total {
            format!(
                "All {total} {} pass",
                plural(total, "scenario", "scenarios")
            )
        } else {
            format!("{passed} of {total} pass · {} failing", total - passed)
        }
    };
    let all_pass = move || state.results.with(|r| r.passed()) == count() && count() > 0;
    let failing = move || !all_pass() && count() > 0;
    let stale = move || state.results.with(|r| r.stale);

    view! {
        <div class="scenarios" data-testid="scenarios" data-stale=move || stale().to_string()>
            <div class="pane-head">
                <h2 id="scenarios-h">"Scenarios"</h2>
                <span class="summary" class:ok=all_pass class:bad=failing
                    data-testid="scenario-summary" role="status" aria-live="polite">
                    {summary}
                </span>
                <div class="actions">
                    <button type="button" data-testid="add-current" on:click=move |_| state.add_current_call()>
                        "Add current call"
                    </button>
                </div>
            </div>
            <Show when=stale>
                <p class="stale-banner" data-testid="scenarios-stale" role="status">
                    "The policy has errors: these are the results of the last version that loaded."
                </p>
            </Show>
            <div class="table-scroll">
                <table class="scenario-table" aria-labelledby="scenarios-h" class:stale=stale>
                    <thead>
                        <tr>
                            <th scope="col" class="num">"#"</th>
                            <th scope="col">"Scenario"</th>
                            <th scope="col">"Expected"</th>
                            <th scope="col">"Actual"</th>
                            <th scope="col">"Result"</th>
                            <th scope="col"><span class="sr-only">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || 0..count() key=|i| *i let:index>
                            <ScenarioRow state index />
                        </For>
                    </tbody>
                </table>
            </div>
            <SuiteIo state />
        </div>
    }
}
