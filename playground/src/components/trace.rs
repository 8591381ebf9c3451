//! The trace: every rule checked, in order, which clause failed, and the
//! one that matched.

use leptos::prelude::*;
use portcullis::TraceStep;

/// What a failed clause says, for people: `match.type wants read_file, the call has write_file`.
#[must_use]
pub fn explain_failure(step: &TraceStep) -> String {
    let Some(failed) = &step.failed else {
        return "did not match".to_owned();
    };
    let actual = failed.actual.as_deref().map_or_else(
        || "the call has none".to_owned(),
        |a| format!("the call has `{a}`"),
    );
    format!("{} wants `{}`; {actual}", failed.field, failed.pattern)
}

/// The rules checked for a verdict; rules after the deciding one are
/// listed as not reached, so first-match order is visible.
#[component]
pub fn TraceList(
    /// The trace steps of the verdict.
    #[prop(into)]
    trace: Signal<Vec<TraceStep>>,
    /// The names of all the policy's rules, in order.
    #[prop(into)]
    rules: Signal<Vec<String>>,
    /// Called with a rule's line to show it in the editor.
    on_jump: Callback<u32>,
) -> impl IntoView {
    let not_reached = move || {
        let checked = trace.with(Vec::len);
        rules.with(|r| r.iter().skip(checked).cloned().collect::<Vec<_>>())
    };
    let decided_by_defaults = move || trace.with(|t| !t.iter().any(|s| s.matched));
    view! {
        <ol class="trace" data-testid="trace">
            {move || {
                trace
                    .get()
                    .into_iter()
                    .map(|step| {
                        let line = step.line;
                        let matched = step.matched;
                        let why = if matched { "matched — this rule decides".to_owned() } else { explain_failure(&step) };
                        view! {
                            <li class="step" class:matched=matched data-testid="trace-step" data-rule=step.rule.to_string() data-matched=matched.to_string()>
                                <span class="mark" aria-hidden="true">{if matched { "✓" } else { "✕" }}</span>
                                <button type="button" class="linkish rule-name" title="Show in the editor" on:click=move |_| on_jump.run(line)>
                                    {step.rule.to_string()}
                                </button>
                                <span class="line">{format!(" line {line}")}</span>
                                <span class="why">{why}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
            {move || {
                not_reached()
                    .into_iter()
                    .map(|name| view! {
                        <li class="step unreached" data-testid="trace-unreached">
                            <span class="mark" aria-hidden="true">"·"</span>
                            <span class="rule-name">{name}</span>
                            <span class="why">"not checked: an earlier rule decided"</span>
                        </li>
                    })
                    .collect_view()
            }}
            <Show when=decided_by_defaults>
                <li class="step defaults" data-testid="trace-defaults">
                    <span class="mark" aria-hidden="true">"→"</span>
                    <span class="why">"no rule matched, so the policy's defaults decide"</span>
                </li>
            </Show>
        </ol>
    }
}
