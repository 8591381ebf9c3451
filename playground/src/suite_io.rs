//! Scenarios to and from the engine's test-suite YAML.
//!
//! Import checks the text with the engine first ([`Suite::from_yaml`]), so
//! every error is reported at its line, then reads the cases. Export writes
//! one case per block, each call on one line, so the file reads like the
//! hand-written suites in `tests/`.

use portcullis::{Diagnostic, Suite};
use serde_json::{Map, Value as Json};

use crate::model::{Scenario, ScenarioInput, Scenarios};
use crate::yaml_json;

/// A suite that was read, and what of it the playground could not keep.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The scenarios.
    pub scenarios: Scenarios,
    /// The names of cases left out (they test policy errors, which the
    /// playground shows in the editor instead).
    pub skipped: Vec<String>,
}

/// Why a suite could not be imported.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// The engine's errors, each at its line.
    Invalid(Vec<Diagnostic>),
    /// The suite is valid but has no case the playground can run.
    Empty,
}

/// Reads a test suite into scenarios.
///
/// # Errors
///
/// [`ImportError::Invalid`] with the engine's diagnostics when the suite is
/// not valid; [`ImportError::Empty`] when no case sends a call or message.
pub fn import(text: &str) -> Result<Imported, ImportError> {
    Suite::from_yaml(text).map_err(|e| ImportError::Invalid(e.errors))?;
    let value = yaml_json::parse(text).map_err(|message| {
        ImportError::Invalid(vec![Diagnostic {
            severity: portcullis::Severity::Error,
            kind: portcullis::DiagnosticKind::Syntax,
            message,
            span: portcullis::Span::default(),
            text: String::new(),
            help: None,
        }])
    })?;
    let name = value
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or("scenarios")
        .to_owned();
    let time = value.get("time").and_then(Json::as_str).map(str::to_owned);
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    let empty = Vec::new();
    let items = value
        .get("cases")
        .and_then(Json::as_array)
        .unwrap_or(&empty);
    for (i, case) in items.iter().enumerate() {
        let case_name = case
            .get("name")
            .and_then(Json::as_str)
            .map_or_else(|| format!("case {}", i + 1), str::to_owned);
        match scenario(case, &case_name) {
            Some(s) => cases.push(s),
            None => skipped.push(case_name),
        }
    }
    if cases.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(Imported {
        scenarios: Scenarios { name, time, cases },
        skipped,
    })
}

fn scenario(case: &Json, name: &str) -> Option<Scenario> {
    let server = case.get("server").and_then(Json::as_str).map(str::to_owned);
    let input = if let Some(Json::Object(call)) = case.get("call") {
        let mut call = call.clone();
        if let Some(server) = server
            && !call.contains_key("server")
        {
            call.insert("server".to_owned(), Json::from(server));
        }
        ScenarioInput::Call(call)
    } else {
        let text = match case.get("message")? {
            Json::String(text) => text.clone(),
            other => other.to_string(),
        };
        ScenarioInput::Message { text, server }
    };
    Some(Scenario {
        name: name.to_owned(),
        input,
        time: case.get("time").and_then(Json::as_str).map(str::to_owned),
        expect: case
            .get("expect")
            .cloned()
            .unwrap_or(Json::Object(Map::new())),
    })
}

/// The whole suite as YAML.
#[must_use]
pub fn export(scenarios: &Scenarios) -> String {
    let mut out = header(&scenarios.name, scenarios.time.as_deref());
    for case in &scenarios.cases {
        out.push('\n');
        write_case(case, &mut out);
    }
    out
}

/// A suite of one case, for running that case on its own (so one broken
/// scenario never hides the results of the others).
#[must_use]
pub fn single(time: Option<&str>, case: &Scenario) -> String {
    let mut out = header("scenario", time);
    write_case(case, &mut out);
    out
}

fn header(name: &str, time: Option<&str>) -> String {
    let mut out = format!("name: {}\n", yaml_json::text(name));
    if let Some(time) = time {
        out.push_str(&format!("time: {}\n", yaml_json::text(time)));
    }
    out.push_str("cases:\n");
    out
}

fn write_case(case: &Scenario, out: &mut String) {
    out.push_str(&format!("  - name: {}\n", yaml_json::text(&case.name)));
    match &case.input {
        ScenarioInput::Call(call) => {
            out.push_str(&format!(
                "    call: {}\n",
                yaml_json::flow(&Json::Object(call.clone()))
            ));
        }
        ScenarioInput::Message { text, server } => {
            if let Some(server) = server {
                out.push_str(&format!("    server: {}\n", yaml_json::text(server)));
            }
            out.push_str(&format!("    message: {}\n", Json::from(text.as_str())));
        }
    }
    if let Some(time) = &case.time {
        out.push_str(&format!("    time: {}\n", yaml_json::text(time)));
    }
    out.push_str(&format!("    expect: {}\n", yaml_json::flow(&case.expect)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis::Policy;

    const SUITE: &str = r#"
name: sample
time: "2026-01-07T12:00:00Z"
cases:
  - name: reads are fine
    call: { tool: read_file, server: dev, arguments: { path: /a } }
    expect: { decision: allow, rule: reads }
  - name: a batch
    server: dev
    message: '[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file"}},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]'
    expect: [{ decision: allow }, { kind: not_a_tool_call }]
  - name: a broken policy
    policy: "rules: 3"
    expect_errors: [{ line: 1 }]
"#;

    #[test]
    fn imports_calls_and_messages_and_skips_policy_error_cases() -> Result<(), String> {
        let imported = import(SUITE).map_err(|e| format!("{e:?}"))?;
        assert_eq!(imported.skipped, vec!["a broken policy".to_owned()]);
        let cases = &imported.scenarios.cases;
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases.first().map(Scenario::summary).as_deref(),
            Some("read_file on dev")
        );
        assert_eq!(
            cases
                .get(1)
                .and_then(Scenario::expected_decision)
                .as_deref(),
            Some("allow, any")
        );
        Ok(())
    }

    #[test]
    fn export_reads_back_the_same_and_runs_the_same() -> Result<(), String> {
        let imported = import(SUITE).map_err(|e| format!("{e:?}"))?;
        let text = export(&imported.scenarios);
        let again = import(&text).map_err(|e| format!("{e:?}\n{text}"))?;
        assert_eq!(again.scenarios, imported.scenarios);
        let policy = Policy::from_yaml(
            "version: \"1\"\nrules:\n  - name: reads\n    match: { type: read_file }\n    approval: auto\n",
        )
        .map_err(|e| e.to_string())?;
        let suite = Suite::from_yaml(&text).map_err(|e| e.to_string())?;
        let report = suite.run_against(&policy);
        assert_eq!((report.passed(), report.failed()), (2, 0), "{report:?}");
        Ok(())
    }

    #[test]
    fn invalid_suites_report_their_lines() -> Result<(), String> {
        let error =
            import("name: x\ncases:\n  - name: y\n    call: { tol: read_file }\n    expect: {}\n");
        let Err(ImportError::Invalid(errors)) = error else {
            return Err(format!("expected errors, got {error:?}"));
        };
        assert!(
            errors
                .iter()
                .any(|e| e.span.line == 4 && e.message.contains("tol")),
            "{errors:?}"
        );
        Ok(())
    }
}
