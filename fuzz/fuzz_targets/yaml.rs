//! The quick reader of the common YAML subset against the full parser: on
//! any text, it either declines (the full parser reads the text) or builds
//! the very tree the full parser builds, positions included.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(difference) = portcullis::yaml_readers_agree(text) {
        panic!("the YAML readers disagree on {text:?}\n{difference}");
    }
});
