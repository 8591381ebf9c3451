//! The footer: how long the last keystroke's work took, and where the
//! state lives.

use leptos::prelude::*;

use crate::state::Playground;

/// Timings of the last evaluation and a note on privacy.
#[component]
pub fn StatusBar(
    /// The playground's state.
    state: Playground,
) -> impl IntoView {
    let timings = move || {
        let compile = state.checked.with(|c| c.ms);
        let (scenarios, count) = state.results.with(|r| (r.ms, r.rows.len()));
        let call = state.outcome_ms.get();
        format!(
            "Policy compiled in {compile:.1} ms · {count} scenarios in {scenarios:.1} ms · call decided in {call:.1} ms"
        )
    };
    view! {
        <footer class="status">
            <span data-testid="timings">{timings}</span>
            <span class="muted">
                "Runs entirely in your browser: nothing is sent anywhere. Your work is saved in this browser and in the page's address."
            </span>
        </footer>
    }
}
