//! The share button: the whole state in a link.

use leptos::html;
use leptos::prelude::*;

use crate::browser;
use crate::persist;
use crate::state::Playground;

/// A button that puts the state into the URL fragment and shows the link,
/// selected and copied. Nothing is uploaded: the fragment stays in the browser.
#[component]
pub fn ShareButton(
    /// The playground's state to share.
    state: Playground,
) -> impl IntoView {
    let link = RwSignal::new(None::<String>);
    let input: NodeRef<html::Input> = NodeRef::new();
    let share = move |_| {
        let url = persist::share_link(&state.snapshot_untracked());
        browser::copy(&url);
        link.set(Some(url));
        request_animation_frame(move || {
            if let Some(el) = input.get_untracked() {
                el.select();
                let _ = el.focus();
            }
        });
    };
    view! {
        <div class="share">
            <button type="button" class="primary" data-testid="share-button" on:click=share>"Share"</button>
            <Show when=move || link.with(Option::is_some)>
                <div class="share-panel" role="group" aria-label="Share link">
                    <label>
                        <span>"Link copied — it holds the policy, scenarios and call, nothing is uploaded"</span>
                        <input type="text" readonly=true node_ref=input data-testid="share-url" prop:value=move || link.get().unwrap_or_default() />
                    </label>
                    <button type="button" class="chip" aria-label="Close" on:click=move |_| link.set(None)>"✕"</button>
                </div>
            </Show>
        </div>
    }
}
