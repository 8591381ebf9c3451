//! The test-suite reader: any text is a suite or a list of errors; a suite
//! runs against a fixed policy and against policy files the loader serves.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis::Suite;
use portcullis_fuzz::POLICIES;

const POLICY: &str = include_str!("../policies/conditions.yaml");

fuzz_target!(|text: &str| {
    let Ok(suite) = Suite::from_yaml(text) else {
        return;
    };
    let _ = suite.policy_files();
    let report = suite.run(&|name| {
        if name.ends_with(".yaml") {
            Ok(POLICY.to_owned())
        } else {
            Err(format!("no file `{name}`"))
        }
    });
    assert_eq!(report.cases.len(), suite.len());
    assert_eq!(report.passed() + report.failed(), suite.len());
    for case in &report.cases {
        assert_eq!(case.passed, case.failures.is_empty());
    }
    if let Some(policy) = POLICIES.first() {
        let report = suite.run_against(policy);
        assert_eq!(report.cases.len(), suite.len());
    }
});
