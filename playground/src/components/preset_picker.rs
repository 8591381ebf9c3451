//! The example picker.

use leptos::prelude::*;

use crate::presets::{self, PRESETS};
use crate::state::{Notice, Playground};

/// A select that loads an example policy with its scenarios. The state
/// before is kept, so the change can be undone.
#[component]
pub fn PresetPicker(
    /// The playground's state; choosing replaces all of it.
    state: Playground,
) -> impl IntoView {
    let choose = move |ev| {
        let id = event_target_value(&ev);
        let Some(preset) = presets::find(&id) else {
            return;
        };
        let before = state.snapshot_untracked();
        state.apply(preset.snapshot());
        state.notice.set(Some(Notice {
            text: format!("Loaded “{}”: {}", preset.title, preset.summary),
            undo: Some((before, "Undo")),
            error: false,
        }));
    };
    view! {
        <label class="preset-picker">
            <span>"Example"</span>
            <select data-testid="preset-select" prop:value=move || state.preset.get().unwrap_or_default() on:change=choose>
                <option value="" disabled=true>"Your own policy"</option>
                {PRESETS.iter().map(|p| view! { <option value=p.id title=p.summary>{p.title}</option> }).collect_view()}
            </select>
        </label>
    }
}
