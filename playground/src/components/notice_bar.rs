//! A message for the person, with Undo where the change can be undone.

use leptos::prelude::*;

use crate::state::Playground;

/// The notice line under the header.
#[component]
pub fn NoticeBar(
    /// The playground's state; shows `state.notice`.
    state: Playground,
) -> impl IntoView {
    let undo = move |_| {
        if let Some((before, _)) = state.notice.get_untracked().and_then(|n| n.undo) {
            state.apply(before);
            state.tell("Undone.", false);
        }
    };
    view! {
        <div class="notice-slot" role="status" aria-live="polite">
            {move || state.notice.get().map(|n| view! {
                <div class="notice" class:error=n.error data-testid="notice">
                    <span data-testid="notice-text">{n.text.clone()}</span>
                    {n.undo.as_ref().map(|(_, label)| view! {
                        <button type="button" class="chip" data-testid="notice-undo" on:click=undo>{*label}</button>
                    })}
                    <button type="button" class="chip" aria-label="Dismiss" on:click=move |_| state.notice.set(None)>"✕"</button>
                </div>
            })}
        </div>
    }
}
