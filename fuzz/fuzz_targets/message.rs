//! JSON-RPC messages and batches: one result per message (or one for a
//! message that cannot be read), a verdict for every tool call and every
//! invalid message, none for anything else.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis::{Decision, MessageContext, MessageKind, Timestamp};
use portcullis_fuzz::{POLICIES, TIMES, check};

fuzz_target!(|text: &str| {
    let context = MessageContext {
        server: Some("prod-filesystem".into()),
        ..MessageContext::default()
    };
    for policy in POLICIES.iter() {
        let results = policy.evaluate_message(text, &context, Timestamp::from_unix_millis(TIMES[0]));
        assert!(!results.is_empty());
        for (i, result) in results.iter().enumerate() {
            assert!(results.len() == 1 || result.index == i);
            match result.kind {
                MessageKind::ToolCall => {
                    let verdict = result.verdict.as_ref();
                    assert!(verdict.is_some(), "a tool call without a verdict");
                    verdict.into_iter().for_each(check);
                }
                MessageKind::Invalid => {
                    assert!(result.verdict.as_ref().is_some_and(|v| v.decision == Decision::Deny));
                }
                MessageKind::NotAToolCall => assert!(result.verdict.is_none()),
            }
        }
    }
});
