//! Prints the TypeScript declarations of the package's wire and option
//! types, generated from the Rust types (the package build appends them to
//! every entry's `.d.ts`).
//!
//! `cargo run -p portcullis-wasm --features ts --example typescript`

use portcullis_wasm::options::{EvaluateOptions, MessageOptions};
use ts_rs::{Config, TS};

fn main() {
    let cfg = Config::new().with_large_int("number");
    print!("{}", portcullis::typescript::declarations());
    for decl in [EvaluateOptions::decl(&cfg), MessageOptions::decl(&cfg)] {
        println!("export {decl}\n");
    }
}
