//! Where the state comes from on load (a share link, the autosave, or the
//! first preset) and how it is kept: in localStorage and in the URL
//! fragment, so a reload or a copied address gives the same page.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;

use crate::browser;
use crate::model::Snapshot;
use crate::presets::PRESETS;
use crate::share;
use crate::state::Playground;

/// How long the state must be still before it is written out.
const SAVE_DELAY: Duration = Duration::from_millis(250);

/// The state to start with, and a problem to tell the person about.
#[must_use]
pub fn restore() -> (Snapshot, Option<String>) {
    let mut problem = None;
    if let Some(encoded) = share::from_hash(&browser::hash()) {
        match share::decode(encoded) {
            Ok(snapshot) => return (snapshot, None),
            Err(e) => problem = Some(format!("The shared link could not be opened: {e}.")),
        }
    }
    if let Some(saved) = browser::load_saved()
        && let Ok(snapshot) = serde_json::from_str::<Snapshot>(&saved)
        && !snapshot.policy.is_empty()
    {
        return (snapshot, problem);
    }
    (default_snapshot(), problem)
}

/// The first preset's state.
#[must_use]
pub fn default_snapshot() -> Snapshot {
    PRESETS.first().map(|p| p.snapshot()).unwrap_or_default()
}

/// Writes the state to localStorage and the URL fragment a moment after
/// each change, and follows a share link pasted into the address bar.
pub fn keep_in_sync(state: Playground) {
    let generation = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        let snapshot = state.snapshot();
        let mine = generation.get() + 1;
        generation.set(mine);
        let latest = Rc::clone(&generation);
        set_timeout(
            move || {
                if latest.get() == mine {
                    write_out(&snapshot);
                }
            },
            SAVE_DELAY,
        );
    });
    let listener = window_event_listener(ev::hashchange, move |_| {
        let Some(encoded) = share::from_hash(&browser::hash()).map(str::to_owned) else {
            return;
        };
        match share::decode(&encoded) {
            Ok(snapshot) if snapshot != state.snapshot_untracked() => state.apply(snapshot),
            Ok(_) => {}
            Err(e) => state.tell(format!("The shared link could not be opened: {e}."), true),
        }
    });
    on_cleanup(move || listener.remove());
}

fn write_out(snapshot: &Snapshot) {
    if let Ok(json) = serde_json::to_string(snapshot) {
        browser::save(&json);
    }
    browser::replace_hash(&format!("{}{}", share::FRAGMENT_KEY, share::encode(snapshot)));
}

/// The link that opens this state.
#[must_use]
pub fn share_link(snapshot: &Snapshot) -> String {
    let encoded = share::encode(snapshot);
    browser::replace_hash(&format!("{}{encoded}", share::FRAGMENT_KEY));
    format!("{}#{}{encoded}", browser::page_url(), share::FRAGMENT_KEY)
}
