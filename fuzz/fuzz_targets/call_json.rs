//! Evaluation of arbitrary JSON text as a tool call: never a panic, and
//! text that is not a call is a deny that says why (a limit when the text
//! nests deeper than the JSON reader goes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis::{Decision, Timestamp, ToolCall};
use portcullis_fuzz::{POLICIES, TIMES, check};

fuzz_target!(|text: &str| {
    let unreadable = ToolCall::from_json(text).err().map(|e| e.code());
    for policy in POLICIES.iter() {
        let verdict = policy.evaluate_json(text, Timestamp::from_unix_millis(TIMES[0]));
        check(&verdict);
        if let Some(code) = unreadable {
            assert_eq!(verdict.decision, Decision::Deny);
            assert_eq!(verdict.code, code);
        }
    }
});
