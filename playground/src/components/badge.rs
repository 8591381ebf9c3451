//! The decision as a badge people read at a glance.

use leptos::prelude::*;
use portcullis::Decision;

/// How a decision is written for people, with its symbol.
#[must_use]
pub fn label(decision: Decision) -> (&'static str, &'static str) {
    match decision {
        Decision::Allow => ("✓", "Allow"),
        Decision::RequireApproval => ("!", "Require approval"),
        Decision::Deny => ("✕", "Deny"),
    }
}

/// A decision badge: colour, symbol and words, so colour is never the
/// only signal.
#[component]
pub fn DecisionBadge(
    /// The decision to show.
    #[prop(into)]
    decision: Signal<Decision>,
    /// Smaller, for table cells.
    #[prop(optional)]
    small: bool,
    /// The test id of the badge.
    #[prop(default = "decision")]
    testid: &'static str,
) -> impl IntoView {
    view! {
        <span
            class=move || format!("badge {}{}", decision.get().as_str(), if small { " small" } else { "" })
            data-testid=testid
            data-decision=move || decision.get().as_str()
        >
            <span class="badge-icon" aria-hidden="true">{move || label(decision.get()).0}</span>
            <span class="badge-text">{move || label(decision.get()).1}</span>
        </span>
    }
}
