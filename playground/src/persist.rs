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
use crate::state::{Notice, Playground};

/// How long the state must be still before it is written out.
const SAVE_DELAY: Duration = Duration::from_millis(250);

/// The state to start with, and something to tell the person: a link that
/// could not be read, or that opening a link replaced the autosaved work
/// (which the notice's Undo brings back).
#[must_use]
pub fn restore() -> (Snapshot, Option<Notice>) {
    let saved = browser::load_saved()
        .and_then(|text| serde_json::from_str::<Snapshot>(&text).ok())
        .filter(|s| !s.policy.is_empty());
    let mut notice = None;
    if let Some(encoded) = share::from_hash(&browser::hash()) {
        match share::decode(encoded) {
            Ok(snapshot) => {
                let notice = saved.filter(|s| *s != snapshot).map(|previous| Notice {
                    text: "Opened a shared link. Your own work from before is kept here:"
                        .to_owned(),
                    undo: Some((previous, "Restore my work")),
                    error: false,
                });
                return (snapshot, notice);
            }
            Err(e) => {
                notice = Some(Notice {
                    text: format!("The shared link could not be opened: {e}."),
                    undo: None,
                    error: true,
                });
            }
        }
    }
    (saved.unwrap_or_else(default_snapshot), notice)
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
            Ok(snapshot) => {
                let previous = state.snapshot_untracked();
                if snapshot != previous {
                    state.apply(snapshot);
                    state.notice.set(Some(Notice {
                        text: "Opened a shared link. Your own work from before is kept here:"
                            .to_owned(),
                        undo: Some((previous, "Restore my work")),
                        error: false,
                    }));
                }
            }
            Err(e) => state.tell(format!("The shared link could not be opened: {e}."), true),
        }
    });
    on_cleanup(move || listener.remove());
}

fn write_out(snapshot: &Snapshot) {
    if let Ok(json) = serde_json::to_string(snapshot) {
        browser::save(&json);
    }
    browser::replace_hash(&format!(
        "{}{}",
        share::FRAGMENT_KEY,
        share::encode(snapshot)
    ));
}

/// The link that opens this state.
#[must_use]
pub fn share_link(snapshot: &Snapshot) -> String {
    let encoded = share::encode(snapshot);
    browser::replace_hash(&format!("{}{encoded}", share::FRAGMENT_KEY));
    format!("{}#{}{encoded}", browser::page_url(), share::FRAGMENT_KEY)
}
