//! The verdict on the form's call: decision, score, factors, reason, trace.

use leptos::prelude::*;
use portcullis::{Decision, RiskLevel, Verdict};

use crate::components::badge::DecisionBadge;
use crate::components::factors::FactorList;
use crate::components::gauge::ScoreGauge;
use crate::components::trace::TraceList;
use crate::state::Playground;

/// The verdict panel.
#[component]
pub fn VerdictPanel(
    /// The playground's state; the panel shows `state.outcome`.
    state: Playground,
) -> impl IntoView {
    let verdict = Memo::new(move |_| state.outcome.get().and_then(|o| o.verdict.ok()));
    let problem = move || match state.outcome.get() {
        None => Some("Fix the policy's errors to see a verdict.".to_owned()),
        Some(o) => o
            .verdict
            .err()
            .map(|e| format!("No verdict yet: {}.", e.message)),
    };
    let stale = move || state.outcome.with(|o| o.as_ref().is_some_and(|o| o.stale));
    let field = move |f: fn(&Verdict) -> String| {
        move || verdict.with(|v| v.as_ref().map(f).unwrap_or_default())
    };
    let decision =
        Signal::derive(move || verdict.with(|v| v.as_ref().map_or(Decision::Deny, |v| v.decision)));
    let score = Signal::derive(move || verdict.with(|v| v.as_ref().map_or(0, |v| v.risk_score)));
    let level = Signal::derive(move || {
        verdict.with(|v| v.as_ref().map_or(RiskLevel::Low, |v| v.risk_level))
    });
    let factors = Signal::derive(move || {
        verdict.with(|v| v.as_ref().map(|v| v.factors.clone()).unwrap_or_default())
    });
    let trace = Signal::derive(move || {
        verdict.with(|v| v.as_ref().map(|v| v.trace.clone()).unwrap_or_default())
    });
    let rules = Signal::derive(move || {
        state.live.with(|l| {
            l.as_ref()
                .map(|l| l.policy.rule_names().map(str::to_owned).collect())
                .unwrap_or_default()
        })
    });
    let rule_line = move || {
        verdict.with(|v| {
            v.as_ref()
                .and_then(|v| v.trace.iter().find(|s| s.matched).map(|s| s.line))
        })
    };
    let jump = Callback::new(move |line: u32| state.show_line(line));

    view! {
        <div class="verdict" class:stale=stale data-testid="verdict" data-stale=move || stale().to_string()>
            <Show when=stale>
                <p class="stale-banner" data-testid="stale-banner" role="status">
                    "The policy has errors: this is the verdict of the last version that loaded."
                </p>
            </Show>
            {move || problem().map(|p| view! { <p class="no-verdict" data-testid="no-verdict">{p}</p> })}
            <Show when=move || verdict.with(Option::is_some)>
                <div class="verdict-head">
                    <div class="decision-wrap" aria-live="polite">
                        <DecisionBadge decision=decision />
                    </div>
                    <ScoreGauge score=score level=level />
                </div>
                <p class="reason" data-testid="reason">{field(|v| v.reason.clone())}</p>
                <dl class="facts">
                    <dt>"Rule"</dt>
                    <dd>
                        {move || match (verdict.with(|v| v.as_ref().and_then(|v| v.rule.clone())), rule_line()) {
                            (Some(rule), Some(line)) => view! {
                                <button type="button" class="linkish" data-testid="rule" title="Show in the editor" on:click=move |_| state.show_line(line)>
                                    {rule}
                                </button>
                                <span class="muted">{format!(" line {line}")}</span>
                            }.into_any(),
                            (Some(rule), None) => view! { <span data-testid="rule">{rule}</span> }.into_any(),
                            (None, _) => view! { <span data-testid="rule" class="muted">"none (defaults)"</span> }.into_any(),
                        }}
                    </dd>
                    <dt>"Code"</dt>
                    <dd><code data-testid="verdict-code">{field(|v| serde_json::to_value(v.code).ok().and_then(|c| c.as_str().map(str::to_owned)).unwrap_or_default())}</code></dd>
                    <dt>"Approval level"</dt>
                    <dd data-testid="approval-level">{field(|v| v.approval_level.map_or_else(|| "—".to_owned(), |l| format!("{l} of 5")))}</dd>
                    <dt>"Compliance"</dt>
                    <dd data-testid="compliance">{field(|v| if v.compliance.is_empty() { "—".to_owned() } else { v.compliance.join(", ") })}</dd>
                    <dt>"Understood as"</dt>
                    <dd data-testid="action">
                        {field(|v| {
                            let a = &v.action;
                            let trust = a.trust.as_deref().map(|t| format!(" · server {t}")).unwrap_or_default();
                            format!("{} · {} · {}{trust}", a.namespace, a.verb, a.resource)
                        })}
                    </dd>
                </dl>
                <h3>"Factors"</h3>
                <FactorList factors=factors />
                <h3>"Trace"</h3>
                <TraceList trace=trace rules=rules on_jump=jump />
            </Show>
        </div>
    }
}
