//! The portcullis engine for JavaScript: the wasm-bindgen layer of the npm
//! package `portcullis`.
//!
//! [`api`] holds the operations on plain strings and engine types (the
//! native twins that `cargo test` checks); `wasm` converts JavaScript values
//! to and from them.

pub mod api;
#[cfg(feature = "marshal-compare")]
mod compare;
pub mod fields;
mod js;
pub mod options;
mod wasm;

pub use wasm::{JsPolicy, JsSuite};
