//! The playground's reactive state: the texts a person edits are signals;
//! the compiled policy, the verdict and the scenario results are derived
//! from them (memos), so every keystroke re-evaluates exactly what changed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;
use portcullis::{
    CaseResult, Diagnostic, EvalOptions, Policy, Suite, SuiteErrors, Timestamp, Verdict,
};
use serde_json::{Map, Value as Json};

use crate::browser;
use crate::model::{
    CallForm, FormError, ImportedTool, SNAPSHOT_VERSION, Scenario, ScenarioInput, Scenarios,
    Snapshot,
};
use crate::suite_io;

/// The policy text as the engine read it.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The compiled policy, when it has no errors.
    pub policy: Option<Policy>,
    /// Errors, in source order.
    pub errors: Arc<[Diagnostic]>,
    /// Warnings, in source order.
    pub warnings: Arc<[Diagnostic]>,
    /// How long reading and compiling took, in milliseconds.
    pub ms: f64,
}

/// The policy verdicts are computed with: the current one, or the last one
/// that compiled while the text has errors.
#[derive(Debug, Clone)]
pub struct Live {
    /// The compiled policy.
    pub policy: Policy,
    /// Whether the text has changed into something that does not compile.
    pub stale: bool,
    id: u64,
}

impl PartialEq for Live {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.stale == other.stale
    }
}

/// The verdict on the form's call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome {
    /// The verdict, or what is wrong with the form.
    pub verdict: Result<Verdict, FormError>,
    /// Computed with the last good policy, not the text in the editor.
    pub stale: bool,
}

/// One scenario's result.
#[derive(Debug, Clone, PartialEq)]
pub enum RowResult {
    /// The case ran.
    Ran(CaseResult),
    /// The case itself is invalid (its errors).
    Invalid(Vec<Diagnostic>),
}

/// Every scenario's result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// One per scenario, in order.
    pub rows: Vec<RowResult>,
    /// Computed with the last good policy.
    pub stale: bool,
    /// How long running them took, in milliseconds.
    pub ms: f64,
}

impl Results {
    /// How many scenarios passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r, RowResult::Ran(c) if c.passed))
            .count()
    }
}

/// A message for the person, with an optional way back.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// What happened.
    pub text: String,
    /// The state before, when the change can be undone, and the button's label.
    pub undo: Option<(Snapshot, &'static str)>,
    /// Whether it reports a problem.
    pub error: bool,
}

/// The whole state of the playground. `Copy`: every field is a handle.
#[derive(Debug, Clone, Copy)]
pub struct Playground {
    /// The policy text in the editor.
    pub policy: RwSignal<String>,
    /// The scenarios.
    pub scenarios: RwSignal<Scenarios>,
    /// The call in the form.
    pub call: RwSignal<CallForm>,
    /// Tools imported from a `tools/list` response.
    pub tools: RwSignal<Vec<ImportedTool>>,
    /// The preset the state started from.
    pub preset: RwSignal<Option<String>>,
    /// The text in the JSON-RPC paste box.
    pub paste: RwSignal<String>,
    /// A message for the person.
    pub notice: RwSignal<Option<Notice>>,
    /// A request to show a line of the policy in the editor (line, nonce).
    pub jump: RwSignal<Option<(u32, u64)>>,
    /// The policy as the engine read it.
    pub checked: Memo<Checked>,
    /// The policy verdicts are computed with.
    pub live: Memo<Option<Live>>,
    /// The verdict on the form's call.
    pub outcome: Memo<Option<CallOutcome>>,
    /// How long the form's call took to decide, in milliseconds.
    pub outcome_ms: Memo<f64>,
    /// The scenarios read as one-case suites.
    pub suites: Memo<Arc<Vec<Result<Suite, SuiteErrors>>>>,
    /// The scenarios' results.
    pub results: Memo<Results>,
}

static GENERATION: AtomicU64 = AtomicU64::new(1);

fn always(_: Option<&impl Sized>, _: Option<&impl Sized>) -> bool {
    true
}

impl Playground {
    /// Creates the state from a snapshot.
    #[must_use]
    pub fn new(initial: Snapshot) -> Self {
        let policy = RwSignal::new(initial.policy);
        let scenarios = RwSignal::new(initial.scenarios);
        let call = RwSignal::new(initial.call);
        let checked = Memo::new_with_compare(
            move |_| {
                let started = browser::perf_ms();
                policy.with(|text| {
                    let (compiled, errors, warnings) = match Policy::from_yaml(text) {
                        Ok(p) => {
                            let warnings = p.warnings().to_vec();
                            (Some(p), Vec::new(), warnings)
                        }
                        Err(e) => (None, e.errors().to_vec(), e.warnings().to_vec()),
                    };
                    Checked {
                        policy: compiled,
                        errors: errors.into(),
                        warnings: warnings.into(),
                        ms: browser::perf_ms() - started,
                    }
                })
            },
            always,
        );
        let live = Memo::new(move |previous: Option<&Option<Live>>| {
            checked.with(|c| match &c.policy {
                Some(policy) => Some(Live {
                    policy: policy.clone(),
                    stale: false,
                    id: GENERATION.fetch_add(1, Ordering::Relaxed),
                }),
                None => previous
                    .cloned()
                    .flatten()
                    .map(|l| Live { stale: true, ..l }),
            })
        });
        let timed_outcome = Memo::new(move |_| {
            // Read what this depends on first, so the time is this memo's own.
            live.track();
            call.track();
            let started = browser::perf_ms();
            let outcome = live.with(|live| {
                live.as_ref().map(|live| CallOutcome {
                    verdict: call.with(|form| evaluate_form(&live.policy, form)),
                    stale: live.stale,
                })
            });
            (outcome, browser::perf_ms() - started)
        });
        let suites = Memo::new_with_compare(
            move |_| {
                scenarios.with(|s| {
                    Arc::new(
                        s.cases
                            .iter()
                            .map(|case| {
                                Suite::from_yaml(&suite_io::single(s.time.as_deref(), case))
                            })
                            .collect::<Vec<_>>(),
                    )
                })
            },
            always,
        );
        let results = Memo::new_with_compare(
            move |_| {
                live.track();
                suites.track();
                let started = browser::perf_ms();
                let Some((policy, stale)) =
                    live.with(|l| l.as_ref().map(|l| (l.policy.clone(), l.stale)))
                else {
                    return Results::default();
                };
                // Rows show decision, rule and score, never the trace: leaving
                // it out keeps a keystroke cheap on long policies.
                let mut options = EvalOptions::new();
                options.trace(false);
                let rows = suites.with(|suites| {
                    suites
                        .iter()
                        .map(|suite| match suite {
                            Ok(suite) => suite
                                .run_against_with(&policy, &options)
                                .cases
                                .into_iter()
                                .next()
                                .map_or_else(|| RowResult::Invalid(Vec::new()), RowResult::Ran),
                            Err(errors) => RowResult::Invalid(errors.errors.clone()),
                        })
                        .collect()
                });
                Results {
                    rows,
                    stale,
                    ms: browser::perf_ms() - started,
                }
            },
            always,
        );
        Self {
            policy,
            scenarios,
            call,
            tools: RwSignal::new(initial.tools),
            preset: RwSignal::new(initial.preset),
            paste: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            jump: RwSignal::new(None),
            checked,
            live,
            outcome: Memo::new(move |_| timed_outcome.with(|(o, _)| o.clone())),
            outcome_ms: Memo::new(move |_| timed_outcome.with(|(_, ms)| *ms)),
            suites,
            results,
        }
    }

    /// The state as a snapshot (tracked: an effect that calls this reruns
    /// on every change).
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            v: SNAPSHOT_VERSION,
            preset: self.preset.get(),
            policy: self.policy.get(),
            scenarios: self.scenarios.get(),
            call: self.call.get(),
            tools: self.tools.get(),
        }
    }

    /// The state as a snapshot, without tracking.
    #[must_use]
    pub fn snapshot_untracked(&self) -> Snapshot {
        untrack(|| self.snapshot())
    }

    /// Replaces the whole state.
    pub fn apply(&self, snapshot: Snapshot) {
        self.policy.set(snapshot.policy);
        self.scenarios.set(snapshot.scenarios);
        self.call.set(snapshot.call);
        self.tools.set(snapshot.tools);
        self.preset.set(snapshot.preset);
        self.paste.set(String::new());
    }

    /// Asks the editor to show a line.
    pub fn show_line(&self, line: u32) {
        self.jump
            .set(Some((line, GENERATION.fetch_add(1, Ordering::Relaxed))));
    }

    /// Tells the person something.
    pub fn tell(&self, text: impl Into<String>, error: bool) {
        self.notice.set(Some(Notice {
            text: text.into(),
            undo: None,
            error,
        }));
    }

    /// Adds the form's call as a scenario that expects what the policy
    /// decides now (so it pins today's behaviour; change the expectation
    /// in the table to state an intent instead).
    pub fn add_current_call(&self) {
        let form = self.call.get_untracked();
        let call = match form.to_json() {
            Ok(call) => call,
            Err(e) => {
                self.tell(format!("The call cannot be added: {}.", e.message), true);
                return;
            }
        };
        let time = Some(form.time.trim().to_owned()).filter(|t| !t.is_empty());
        let mut scenario = Scenario {
            name: String::new(),
            input: ScenarioInput::Call(call),
            time,
            expect: Json::Object(Map::new()),
        };
        let suite_time = self.scenarios.with_untracked(|s| s.time.clone());
        let verdict = self.live.with_untracked(|live| {
            let policy = &live.as_ref()?.policy;
            let suite =
                Suite::from_yaml(&suite_io::single(suite_time.as_deref(), &scenario)).ok()?;
            suite
                .run_against(policy)
                .cases
                .into_iter()
                .next()?
                .verdicts
                .into_iter()
                .next()
        });
        let mut expect = Map::new();
        if let Some(v) = &verdict {
            expect.insert("decision".to_owned(), Json::from(v.decision.as_str()));
            expect.insert(
                "rule".to_owned(),
                v.rule.clone().map_or(Json::Null, Json::from),
            );
        }
        scenario.name = match &verdict {
            Some(v) => format!(
                "{} → {}",
                scenario.summary(),
                v.decision.as_str().replace('_', " ")
            ),
            None => scenario.summary(),
        };
        scenario.expect = Json::Object(expect);
        let name = scenario.name.clone();
        self.scenarios.update(|s| s.cases.push(scenario));
        self.tell(format!("Added the scenario “{name}”."), false);
    }

    /// Loads a scenario's call into the form.
    pub fn load_scenario(&self, index: usize) {
        let Some(case) = self
            .scenarios
            .with_untracked(|s| s.cases.get(index).cloned())
        else {
            return;
        };
        match &case.input {
            ScenarioInput::Call(call) => {
                self.call
                    .set(CallForm::from_call_json(call, case.time.as_deref()));
            }
            ScenarioInput::Message { text, server } => {
                if let Some(server) = server {
                    self.call.update(|c| c.server.clone_from(server));
                }
                self.paste.set(text.clone());
            }
        }
    }
}

/// The verdict on a form's call.
///
/// # Errors
///
/// What is wrong with the form, when it holds no evaluable call.
pub fn evaluate_form(policy: &Policy, form: &CallForm) -> Result<Verdict, FormError> {
    let call = form.to_call()?;
    let now = form.timestamp(Timestamp::from_unix_millis(browser::now_ms()))?;
    Ok(policy.evaluate(&call, now))
}
