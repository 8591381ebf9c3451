//! Canonical forms of what tool calls name: paths, tool and server names,
//! shell command lines and URLs. Rules match these forms, so the spellings
//! of one thing are one thing.

pub mod name;
pub mod path;
pub mod shell;
pub mod url;
