//! Policy loading: any text is either a policy or a list of errors with
//! positions inside the text; a policy that loads decides calls.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis::{Policy, Timestamp, ToolCall};

fuzz_target!(|text: &str| {
    let report = Policy::check(text);
    for diagnostic in report.errors.iter().chain(&report.warnings) {
        let span = diagnostic.span;
        assert!(span.start <= span.end && span.end <= text.len(), "{diagnostic:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert_eq!(text.get(span.start..span.end), Some(diagnostic.text.as_str()));
        assert!(diagnostic.line() >= 1 && diagnostic.column() >= 1);
    }
    match Policy::from_yaml(text) {
        Ok(policy) => {
            assert!(report.errors.is_empty(), "check found errors in a policy that loads");
            for tool in ["read_file", "delete_file", "run_command"] {
                let mut call = ToolCall::new(tool);
                call.server = Some("prod-db".into());
                let verdict = policy.evaluate(&call, Timestamp::from_unix_millis(0));
                portcullis_fuzz::check(&verdict);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            assert_eq!(errors.errors(), report.errors.as_slice());
        }
    }
});
