//! Evaluation of structured tool calls built from the engine's vocabulary
//! (tools, servers, argument keys, paths, commands, SQL) and raw bytes,
//! against fixed policies: every verdict keeps the engine's promises, and
//! evaluating twice gives the same verdict.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    if let Ok(call) = portcullis_fuzz::call(&mut u) {
        portcullis_fuzz::evaluate_everywhere(&call);
    }
});
