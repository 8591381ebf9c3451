//! The playground's components, one per file.

pub mod badge;
pub mod call_form;
pub mod diagnostics;
pub mod editor;
pub mod factors;
pub mod gauge;
pub mod notice_bar;
pub mod paste_box;
pub mod preset_picker;
pub mod scenario_row;
pub mod scenario_table;
pub mod share_button;
pub mod status_bar;
pub mod suite_io;
pub mod trace;
pub mod verdict_panel;
