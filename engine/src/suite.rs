//! Policy test suites as data: a policy and cases (a call, optionally a
//! time, and the verdict expected), or cases that expect the policy to fail
//! to load with given errors. The same YAML runs in Rust, in Node and in the
//! playground. The format is described in the README.

mod expect;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::call::ToolCall;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::evaluate::EvalOptions;
use crate::jsonrpc::MessageContext;
use crate::limits::Limits;
use crate::policy::Policy;
use crate::read::{Entries, Reader};
use crate::source::SourceMap;
use crate::suite::expect::{Expected, ExpectedDiagnostic};
use crate::time::Timestamp;
use crate::verdict::Verdict;
use crate::yaml::{self, Node, Value};

const SUITE_KEYS: [&str; 6] = [
    "name",
    "description",
    "policy",
    "policy_file",
    "time",
    "cases",
];
const CASE_KEYS: [&str; 11] = [
    "name",
    "policy",
    "policy_file",
    "call",
    "message",
    "server",
    "time",
    "expect",
    "expect_errors",
    "expect_warnings",
    "description",
];

/// Cases run at this moment when neither the suite nor the case gives a
/// `time`: Wednesday 2026-01-07, 12:00 UTC.
const DEFAULT_TIME: &str = "2026-01-07T12:00:00Z";

/// Where a policy comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PolicySource {
    Inline(String),
    File(String),
}

/// What a case sends.
#[derive(Debug, Clone, PartialEq)]
enum Input {
    Call(Box<ToolCall>),
    Message {
        text: String,
        server: Option<String>,
    },
    None,
}

#[derive(Debug, Clone, PartialEq)]
struct Case {
    name: String,
    line: u32,
    policy: Option<PolicySource>,
    input: Input,
    time: Option<Timestamp>,
    expect: Vec<Expected>,
    expect_errors: Option<Vec<ExpectedDiagnostic>>,
    expect_warnings: Option<Vec<ExpectedDiagnostic>>,
}

/// A test suite, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    name: String,
    policy: Option<PolicySource>,
    time: Option<Timestamp>,
    cases: Vec<Case>,
}

/// The problems that stopped a suite from being read, all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteErrors {
    /// Each problem with its position in the suite text.
    pub errors: Vec<Diagnostic>,
}

impl fmt::Display for SuiteErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the test suite has {} error(s)", self.errors.len())?;
        for error in &self.errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SuiteErrors {}

/// The outcome of one case.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// The 1-based line of the case in the suite.
    pub line: u32,
    /// Whether every expectation held.
    pub passed: bool,
    /// What did not hold, one sentence each.
    pub failures: Vec<String>,
    /// The verdicts the case produced (one per tool call; none for policy-error cases).
    pub verdicts: Vec<Verdict>,
}

/// The outcome of a suite.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuiteReport {
    /// The suite's name.
    pub name: String,
    /// Every case, in order.
    pub cases: Vec<CaseResult>,
}

impl SuiteReport {
    /// The number of cases that passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }

    /// The number of cases that failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

impl Suite {
    /// Reads a suite.
    ///
    /// # Errors
    ///
    /// Returns every problem with its position: YAML syntax, unknown keys,
    /// calls that are not tool calls, bad times, unknown decisions.
    pub fn from_yaml(source: &str) -> Result<Self, SuiteErrors> {
        let map = SourceMap::new(source);
        let mut diagnostics = Diagnostics::default();
        let suite = yaml::parse(&map, &Limits::default(), &mut diagnostics).and_then(|root| {
            let mut reader = Reader {
                map: &map,
                diagnostics: &mut diagnostics,
            };
            read_suite(&mut reader, &root)
        });
        let (errors, _) = diagnostics.split();
        match suite {
            Some(suite) if errors.is_empty() => Ok(suite),
            _ => Err(SuiteErrors { errors }),
        }
    }

    /// The suite's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The number of cases.
    #[must_use]
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether the suite has no cases.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The policy files the suite refers to (relative to the suite), so a
    /// runner with IO can load them.
    #[must_use]
    pub fn policy_files(&self) -> Vec<String> {
        let mut files: Vec<String> = std::iter::once(&self.policy)
            .chain(self.cases.iter().map(|c| &c.policy))
            .filter_map(|p| match p {
                Some(PolicySource::File(f)) => Some(f.clone()),
                _ => None,
            })
            .collect();
        files.dedup();
        files
    }

    /// Runs every case. `load` returns the text of a policy file named in
    /// the suite (the engine itself does no IO).
    #[must_use]
    pub fn run(&self, load: &dyn Fn(&str) -> Result<String, String>) -> SuiteReport {
        let suite_policy = self.policy.as_ref().map(|p| source_text(p, load));
        self.run_cases(|case| match &case.policy {
            Some(own) => Some(source_text(own, load)),
            None => suite_policy.clone(),
        })
    }

    /// Runs every case against `policy`, except cases that name their own
    /// policy (the playground's scenarios run against the editor's policy).
    #[must_use]
    pub fn run_against(&self, policy: &Policy) -> SuiteReport {
        self.run_against_with(policy, &EvalOptions::default())
    }

    /// As [`Suite::run_against`], evaluating with `options` (for example
    /// without the trace, which is cheaper when scenarios re-run on every
    /// keystroke). A case that expects a trace still gets one.
    #[must_use]
    pub fn run_against_with(&self, policy: &Policy, options: &EvalOptions) -> SuiteReport {
        SuiteReport {
            name: self.name.clone(),
            cases: self
                .cases
                .iter()
                .map(|case| self.run_case(case, Ok(policy.clone()), None, options))
                .collect(),
        }
    }

    fn run_cases(
        &self,
        policy_of: impl Fn(&Case) -> Option<Result<String, String>>,
    ) -> SuiteReport {
        let cases = self
            .cases
            .iter()
            .map(|case| match policy_of(case) {
                None => failed(
                    case,
                    "the case has no policy (give `policy` or `policy_file`)".to_owned(),
                ),
                Some(Err(problem)) => failed(case, problem),
                Some(Ok(text)) => {
                    let (compiled, report) = match Policy::from_yaml(&text) {
                        Ok(policy) => {
                            let warnings = policy.warnings().to_vec();
                            (Ok(policy), (Vec::new(), warnings))
                        }
                        Err(errors) => {
                            let report = (errors.errors().to_vec(), errors.warnings().to_vec());
                            (Err(errors), report)
                        }
                    };
                    self.run_case(
                        case,
                        compiled.map_err(|e| e.to_string()),
                        Some(report),
                        &EvalOptions::default(),
                    )
                }
            })
            .collect();
        SuiteReport {
            name: self.name.clone(),
            cases,
        }
    }

    fn run_case(
        &self,
        case: &Case,
        policy: Result<Policy, String>,
        diagnostics: Option<(Vec<Diagnostic>, Vec<Diagnostic>)>,
        options: &EvalOptions,
    ) -> CaseResult {
        let mut traced;
        let options = if expect::wants_trace(&case.expect) {
            traced = options.clone();
            traced.trace(true);
            &traced
        } else {
            options
        };
        let mut failures = Vec::new();
        let (errors, warnings) = diagnostics.unwrap_or_default();
        if let Some(expected) = &case.expect_errors {
            expect::check_diagnostics("error", expected, &errors, &mut failures);
        }
        if let Some(expected) = &case.expect_warnings {
            expect::check_diagnostics("warning", expected, &warnings, &mut failures);
        }
        let mut verdicts = Vec::new();
        match policy {
            Err(problem) if case.expect_errors.is_none() => {
                failures.push(format!("the policy did not load: {problem}"));
            }
            Err(_) => {}
            Ok(_) if case.expect_errors.as_ref().is_some_and(|e| !e.is_empty()) => {
                failures.push("the policy loaded, but errors were expected".to_owned());
            }
            Ok(policy) => {
                let now = case
                    .time
                    .or(self.time)
                    .unwrap_or_else(|| Timestamp::parse_rfc3339(DEFAULT_TIME).unwrap_or_default());
                let (kinds, produced): (Vec<_>, Vec<_>) = match &case.input {
                    Input::Call(call) => (
                        vec![None],
                        vec![Some(policy.evaluate_with(call, now, options))],
                    ),
                    Input::Message { text, server } => {
                        let context = MessageContext {
                            server: server.clone(),
                            ..MessageContext::default()
                        };
                        policy
                            .evaluate_message_with(text, &context, now, options)
                            .into_iter()
                            .map(|m| (Some(m.kind), m.verdict))
                            .unzip()
                    }
                    Input::None => (Vec::new(), Vec::new()),
                };
                expect::check_verdicts(&case.expect, &kinds, &produced, &mut failures);
                verdicts = produced.into_iter().flatten().collect();
            }
        }
        CaseResult {
            name: case.name.clone(),
            line: case.line,
            passed: failures.is_empty(),
            failures,
            verdicts,
        }
    }
}

fn failed(case: &Case, failure: String) -> CaseResult {
    CaseResult {
        name: case.name.clone(),
        line: case.line,
        passed: false,
        failures: vec![failure],
        verdicts: Vec::new(),
    }
}

fn source_text(
    source: &PolicySource,
    load: &dyn Fn(&str) -> Result<String, String>,
) -> Result<String, String> {
    match source {
        PolicySource::Inline(text) => Ok(text.clone()),
        PolicySource::File(name) => {
            load(name).map_err(|e| format!("the policy file `{name}` could not be read: {e}"))
        }
    }
}

fn read_suite(reader: &mut Reader<'_, '_>, root: &Node) -> Option<Suite> {
    let top = reader.mapping(root, "the test suite", &SUITE_KEYS, &|_| None)?;
    let name = top
        .get("name")
        .and_then(|n| reader.text(n, "the suite's `name`"))
        .unwrap_or_else(|| "unnamed suite".to_owned());
    let policy = read_policy_source(reader, &top);
    let time = top.get("time").and_then(|n| read_time(reader, n));
    let mut cases = Vec::new();
    if let Some(list) = top.get("cases").and_then(|n| reader.list(n, "`cases`")) {
        for (i, node) in list.iter().enumerate() {
            if let Some(case) = read_case(reader, node, i) {
                cases.push(case);
            }
        }
    }
    Some(Suite {
        name,
        policy,
        time,
        cases,
    })
}

fn read_policy_source(reader: &mut Reader<'_, '_>, entries: &Entries<'_>) -> Option<PolicySource> {
    if let (Some(_), Some(file)) = (entries.get("policy"), entries.entry("policy_file")) {
        reader.error(
            DiagnosticKind::DuplicateKey,
            file.key_node.span,
            "`policy` and `policy_file` both given",
            Some("give the policy inline or by file, not both".to_owned()),
        );
    }
    if let Some(node) = entries.get("policy") {
        return reader.text(node, "`policy`").map(PolicySource::Inline);
    }
    entries
        .get("policy_file")
        .and_then(|n| reader.text(n, "`policy_file`"))
        .map(PolicySource::File)
}

fn read_time(reader: &mut Reader<'_, '_>, node: &Node) -> Option<Timestamp> {
    let text = reader.text(node, "`time`")?;
    match Timestamp::parse_rfc3339(&text) {
        Ok(t) => Some(t),
        Err(e) => {
            reader.error(
                DiagnosticKind::InvalidTime,
                node.span,
                e.to_string(),
                Some("write UTC as `2026-11-21T14:30:00Z`".to_owned()),
            );
            None
        }
    }
}

fn read_case(reader: &mut Reader<'_, '_>, node: &Node, index: usize) -> Option<Case> {
    let entries = reader.mapping(node, &format!("case {}", index + 1), &CASE_KEYS, &|_| None)?;
    let name = entries
        .get("name")
        .and_then(|n| reader.text(n, "a case's `name`"))
        .unwrap_or_else(|| format!("case {}", index + 1));
    let policy = read_policy_source(reader, &entries);
    let time = entries.get("time").and_then(|n| read_time(reader, n));
    let server = entries
        .get("server")
        .and_then(|n| reader.text(n, "`server`"));
    let input = match (entries.get("call"), entries.get("message")) {
        (Some(_), Some(message)) => {
            reader.error(
                DiagnosticKind::DuplicateKey,
                message.span,
                "a case sends either a `call` or a `message`, not both",
                None,
            );
            Input::None
        }
        (Some(call), None) => match ToolCall::from_value(call.to_json()) {
            Ok(mut parsed) => {
                if parsed.server.is_none() {
                    parsed.server.clone_from(&server);
                }
                Input::Call(Box::new(parsed))
            }
            Err(e) => {
                reader.error(DiagnosticKind::Type, call.span, e.message, None);
                Input::None
            }
        },
        (None, Some(message)) => Input::Message {
            text: match &message.value {
                Value::Scalar(_) => message.as_text().unwrap_or_default().to_owned(),
                _ => message.to_json().to_string(),
            },
            server,
        },
        (None, None) => Input::None,
    };
    let expect = match entries.get("expect") {
        Some(node) => expect::read_expected(reader, node),
        None => Vec::new(),
    };
    let expect_errors = entries
        .entry("expect_errors")
        .map(|e| expect::read_expected_diagnostics(reader, e.value));
    let expect_warnings = entries
        .entry("expect_warnings")
        .map(|e| expect::read_expected_diagnostics(reader, e.value));
    if matches!(input, Input::None) && expect_errors.is_none() && expect_warnings.is_none() {
        reader.error(
            DiagnosticKind::MissingKey,
            node.span,
            format!("case `{name}` has nothing to check"),
            Some(
                "give a `call` or `message` with `expect`, or `expect_errors`/`expect_warnings`"
                    .to_owned(),
            ),
        );
    }
    if !matches!(input, Input::None) && expect.is_empty() {
        reader.error(
            DiagnosticKind::MissingKey,
            node.span,
            format!("case `{name}` sends a call but expects nothing"),
            Some("add `expect: { decision: ... }`".to_owned()),
        );
    }
    Some(Case {
        name,
        line: node.span.line,
        policy,
        input,
        time,
        expect,
        expect_errors,
        expect_warnings,
    })
}
