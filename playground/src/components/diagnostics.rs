//! The policy's errors and warnings, each at its line with its help.

use leptos::prelude::*;
use portcullis::{Diagnostic, Severity};

use crate::state::Playground;

/// The list of the policy's errors and warnings under the editor; each
/// entry shows its line in the editor when activated.
#[component]
pub fn Diagnostics(
    /// The playground's state; the list shows `state.checked`.
    state: Playground,
) -> impl IntoView {
    let summary = move || {
        state.checked.with(|c| {
            let rules = c.policy.as_ref().map_or(0, |p| p.rule_names().count());
            match (c.errors.len(), c.warnings.len()) {
                (0, 0) => format!("Valid policy · {rules} {}", plural(rules, "rule", "rules")),
                (0, w) => format!(
                    "Valid policy · {rules} {} · {w} {}",
                    plural(rules, "rule", "rules"),
                    plural(w, "warning", "warnings")
                ),
                (e, w) => format!(
                    "{e} {}{}",
                    plural(e, "error", "errors"),
                    if w > 0 {
                        format!(", {w} {}", plural(w, "warning", "warnings"))
                    } else {
                        String::new()
                    }
                ),
            }
        })
    };
    let all = move || {
        state.checked.with(|c| {
            let mut all: Vec<Diagnostic> =
                c.errors.iter().chain(c.warnings.iter()).cloned().collect();
            all.sort_by_key(|d| (d.span.start, d.span.end));
            all
        })
    };
    let valid = move || state.checked.with(|c| c.errors.is_empty());
    view! {
        <div id="policy-problems" class="problems" data-testid="diagnostics">
            <p
                class="policy-status"
                class:bad=move || !valid()
                data-testid="policy-status"
                role="status"
                aria-live="polite"
            >
                {summary}
            </p>
            <ul class="diagnostic-list">
                {move || {
                    all()
                        .into_iter()
                        .map(|d| {
                            let line = d.span.line;
                            let severity = match d.severity {
                                Severity::Error => "error",
                                Severity::Warning => "warning",
                            };
                            view! {
                                <li class=format!("diagnostic {severity}") data-testid="diagnostic" data-line=line data-severity=severity>
                                    <button
                                        type="button"
                                        class="linkish"
                                        title="Show in the editor"
                                        on:click=move |_| state.show_line(line)
                                    >
                                        {format!("Line {line}, column {}", d.span.column)}
                                    </button>
                                    <span class="sev">{format!(" {severity}: ")}</span>
                                    <span class="msg" data-testid="diagnostic-message">{d.message.clone()}</span>
                                    {d.help.clone().map(|h| view! { <div class="help" data-testid="diagnostic-help">"help: " {h}</div> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// The singular or plural word for a count.
#[must_use]
pub fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
