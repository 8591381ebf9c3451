//! Evaluation of arbitrary JSON text as a tool call: never a panic, and
//! text that is not a call is a deny that says why.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis::{Decision, Timestamp, ToolCall, VerdictCode};
use portcullis_fuzz::{POLICIES, TIMES, check};

fuzz_target!(|text: &str| {
    let readable = ToolCall::from_json(text).is_ok();
    for policy in POLICIES.iter() {
        let verdict = policy.evaluate_json(text, Timestamp::from_unix_millis(TIMES[0]));
        check(&verdict);
        if !readable {
            assert_eq!(verdict.decision, Decision::Deny);
            assert_eq!(verdict.code, VerdictCode::InvalidCall);
        }
    }
});
