//! The JavaScript API: `Policy` and `Suite`. Each method converts its
//! JavaScript arguments to text, calls its native twin in [`crate::api`]
//! and parses the JSON it returns. Only the loaders (`fromYaml`) throw, a
//! `PolicyError` or `SuiteError` with every diagnostic; everything else
//! returns data, and a call that cannot be read is a deny.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};

use js_sys::{Date, Function, Uint8Array, WebAssembly};
use portcullis::{Limits, Verdict, VerdictCode};
use wasm_bindgen::prelude::*;

use crate::api::{self, CallJson, LoadError};
use crate::js::{self, TextProblem};
use crate::options::{EvaluateOptions, Now};

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    /// Builds the `PolicyError` or `SuiteError` for a load error given as JSON.
    #[wasm_bindgen(js_name = loadError)]
    fn load_error(kind: &str, json: &str) -> JsValue;
}

#[wasm_bindgen(typescript_custom_section)]
const ERRORS_TS: &str = r#"
/** Thrown by `Policy.fromYaml` when the policy does not load. */
export class PolicyError extends Error {
  readonly name: "PolicyError";
  /** Every error, in source order, with its line, column and help. */
  readonly diagnostics: Diagnostic[];
  /** The warnings found on the way. */
  readonly warnings: Diagnostic[];
}
/** Thrown by `Suite.fromYaml` when the test suite cannot be read. */
export class SuiteError extends Error {
  readonly name: "SuiteError";
  /** Every problem, in source order, with its line and column. */
  readonly diagnostics: Diagnostic[];
  readonly warnings: Diagnostic[];
}
/**
 * Thrown by `Policy.fromYaml`, `Policy.check` and `Suite.fromYaml` when the
 * engine itself failed (the WebAssembly instance trapped on a bug): the
 * input may be fine. The instance has been replaced by a fresh one, so the
 * same call can be tried again. Decisions never throw it: they fail closed
 * with a deny (`code: "internal_error"`).
 */
export class EngineError extends Error {
  readonly name: "EngineError";
  /** What the engine threw (a `WebAssembly.RuntimeError`, usually). */
  readonly cause: unknown;
}
"#;

/// Calls left before the armed test panic fires (0: disarmed).
static PANIC_COUNTDOWN: AtomicU32 = AtomicU32::new(0);

/// A testing hook, not part of the API (left out of the TypeScript
/// declarations and not re-exported by the package's entries): the
/// `calls`-th call into a `Policy` or `Suite` method from now panics
/// (1 = the next; 0 disarms). On wasm32 a panic aborts, so the call traps
/// with a `WebAssembly.RuntimeError`, exactly as a real engine bug would;
/// the tests use it to prove the JavaScript layer fails closed and
/// replaces the instance. The counter lives in the instance's memory, so a
/// fresh instance starts disarmed.
#[doc(hidden)]
#[wasm_bindgen(js_name = __portcullisPanicAfter, skip_typescript)]
pub fn panic_after(calls: u32) {
    PANIC_COUNTDOWN.store(calls, Ordering::Relaxed);
}

/// A testing hook, not part of the API: verdicts cross to JavaScript as
/// fields (`true`, the default) or as JSON (`false`), so the tests can
/// check that both build the same object. Returns how many verdicts crossed
/// as fields since the previous call.
#[doc(hidden)]
#[wasm_bindgen(js_name = __portcullisVerdictFields, skip_typescript)]
pub fn verdict_fields(on: bool) -> u32 {
    js::verdicts_as_fields(on)
}

/// Counts one call into the engine and panics if it is the armed one.
fn tripwire() {
    let left = PANIC_COUNTDOWN.load(Ordering::Relaxed);
    if left == 0 {
        return;
    }
    PANIC_COUNTDOWN.store(left - 1, Ordering::Relaxed);
    if left == 1 {
        #[expect(
            clippy::panic,
            reason = "the armed testing hook simulates an engine bug (see panic_after)"
        )]
        {
            panic!("portcullis: simulated engine bug (__portcullisPanicAfter)")
        }
    }
}

thread_local! {
    /// Where JavaScript writes a call's JSON (`__callBuffer`).
    static CALL_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The size of the call buffer: the JSON of any ordinary call fits.
const CALL_BUFFER_BYTES: usize = 64 * 1024;

fn limits() -> Limits {
    Limits::default()
}

/// A call object's JSON (made by JavaScript or by the engine calling
/// `JSON.stringify`: the same checks either way) decided by `decide`; a call
/// with no JSON form, or too large a one, is a deny that says why.
fn decide_json(
    json: Result<String, js::JsonProblem>,
    decide: impl FnOnce(CallJson<'_>) -> Verdict,
) -> Verdict {
    match json {
        Ok(json) => decide(CallJson::Stringified(&json)),
        Err(problem) => api::denied(problem.code(), problem.message()),
    }
}

fn read_source(value: &JsValue, what: &str) -> Result<String, LoadError> {
    let limit = limits().max_policy_bytes;
    js::text(value, limit).map_err(|problem| match problem {
        TextProblem::NotText(got) => LoadError::not_text(what, &got),
        TextProblem::TooLong(length) => LoadError::too_long(what, length, limit),
    })
}

fn throw(kind: &str, error: &LoadError) -> JsValue {
    load_error(kind, &api::load_error_json(error))
}

fn clock() -> f64 {
    Date::now()
}

/// A compiled policy. Free it with `free()` (or `using`) when done; it is
/// also freed when garbage-collected.
#[wasm_bindgen(js_name = Policy)]
pub struct JsPolicy {
    policy: portcullis::Policy,
}

impl JsPolicy {
    /// The compiled policy.
    #[must_use]
    pub fn policy(&self) -> &portcullis::Policy {
        &self.policy
    }
}

#[wasm_bindgen(js_class = Policy)]
impl JsPolicy {
    /// Compiles a policy from its YAML text. Throws a `PolicyError` whose
    /// `diagnostics` list every error (message, line, column, help).
    #[wasm_bindgen(js_name = fromYaml)]
    pub fn from_yaml(
        #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
    ) -> Result<JsPolicy, JsValue> {
        tripwire();
        let text = read_source(&source, "policy").map_err(|e| throw("policy", &e))?;
        api::load_policy(&text)
            .map(|policy| JsPolicy { policy })
            .map_err(|e| throw("policy", &e))
    }

    /// Checks a policy without keeping it: every error and warning. Never throws.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn check(#[wasm_bindgen(unchecked_param_type = "string")] source: JsValue) -> JsValue {
        tripwire();
        let report = match read_source(&source, "policy") {
            Ok(text) => api::check(&text),
            Err(error) => api::check_failed(&error),
        };
        js::parse(&report)
    }

    /// Decides on a tool call. Never throws: a call that cannot be read
    /// (wrong types, cyclic, too large) is a deny that says why. `now`
    /// defaults to the current time.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ToolCall")] call: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: Option<JsValue>,
    ) -> JsValue {
        tripwire();
        let json = js::stringify_checked(&call, "call", limits().max_message_bytes);
        js::verdict(&decide_json(json, |json| {
            self.evaluate_text(json, options.as_ref())
        }))
    }

    /// `evaluate` with options JavaScript has read itself (failsafe.js does
    /// so when they are a plain `{ trace, now }` with a boolean and a
    /// number), sparing their JSON, and the call's JSON made by JavaScript
    /// too: `JSON.stringify(call)` returned this text, no longer than
    /// [`JsPolicy::call_limit`] UTF-16 units. One crossing instead of an
    /// imported `JSON.stringify` and a read of its result. Not part of the
    /// API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __evaluateStringified, skip_typescript)]
    pub fn evaluate_stringified(&self, json: &str, trace: bool, now: Option<f64>) -> JsValue {
        tripwire();
        js::verdict(&self.evaluate_plain(CallJson::Stringified(json), trace, now))
    }

    /// As `__evaluateStringified`, with the call's JSON written by
    /// JavaScript into the engine's call buffer (`__callBuffer`, with
    /// `TextEncoder.encodeInto`): its first `length` bytes. Spares the copy
    /// of the text into a fresh allocation, character by character. Not
    /// part of the API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __evaluateBuffered, skip_typescript)]
    pub fn evaluate_buffered(&self, length: usize, trace: bool, now: Option<f64>) -> JsValue {
        tripwire();
        let verdict = CALL_BUFFER.with_borrow(|buffer| {
            match buffer.get(..length).map(std::str::from_utf8) {
                Some(Ok(json)) => self.evaluate_plain(CallJson::Stringified(json), trace, now),
                // JavaScript wrote no more than the buffer holds, as UTF-8:
                // anything else is a bug in the JavaScript layer.
                _ => api::denied(
                    VerdictCode::InternalError,
                    "the call's JSON was not in the engine's call buffer",
                ),
            }
        });
        js::verdict(&verdict)
    }

    /// A view of the engine's call buffer, where JavaScript writes a call's
    /// JSON for `__evaluateBuffered` (a call whose JSON does not fit goes
    /// to `__evaluateStringified`). The buffer never moves; the view is
    /// detached (its length 0) when the memory grows, and JavaScript then
    /// asks for a new one. Not part of the API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __callBuffer, skip_typescript)]
    #[must_use]
    pub fn call_buffer() -> Uint8Array {
        CALL_BUFFER.with_borrow_mut(|buffer| {
            if buffer.len() != CALL_BUFFER_BYTES {
                buffer.resize(CALL_BUFFER_BYTES, 0);
            }
            let memory = wasm_bindgen::memory().unchecked_into::<WebAssembly::Memory>();
            // The address of the buffer in the wasm memory (32 bits on wasm32).
            let offset = u32::try_from(buffer.as_ptr() as usize).unwrap_or(0);
            let length = u32::try_from(buffer.len()).unwrap_or(0);
            Uint8Array::new_with_byte_offset_and_length(&memory.buffer(), offset, length)
        })
    }

    /// As `__evaluateStringified` for a call whose `JSON.stringify` (made by
    /// JavaScript) threw (`threw`, and `json` is what it threw) or gave
    /// something else than text within [`JsPolicy::call_limit`]: the same
    /// verdict as `evaluate` gives, a deny that says why (or, should the
    /// text be fine after all, the decision). Not part of the API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __evaluateUnstringified, skip_typescript)]
    pub fn evaluate_unstringified(
        &self,
        call: JsValue,
        json: JsValue,
        threw: bool,
        trace: bool,
        now: Option<f64>,
    ) -> JsValue {
        tripwire();
        let stringified = if threw { Err(json) } else { Ok(json) };
        let json = js::json_checked(&call, stringified, "call", limits().max_message_bytes);
        js::verdict(&decide_json(json, |json| {
            self.evaluate_plain(json, trace, now)
        }))
    }

    /// The longest call JSON, in UTF-16 units, that JavaScript passes to
    /// `__evaluateStringified` (longer ones are a deny, made by
    /// `__evaluateUnstringified`). Not part of the API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __callLimit, skip_typescript)]
    #[must_use]
    pub fn call_limit() -> usize {
        limits().max_message_bytes
    }

    /// Decides on a tool call given as JSON text (duplicate keys are
    /// errors). Never throws.
    #[wasm_bindgen(js_name = evaluateJson, unchecked_return_type = "Verdict")]
    pub fn evaluate_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] call: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: Option<JsValue>,
    ) -> JsValue {
        tripwire();
        let limit = limits().max_message_bytes;
        let verdict = match js::text(&call, limit) {
            Ok(json) => self.evaluate_text(CallJson::Text(&json), options.as_ref()),
            Err(TextProblem::NotText(got)) => api::denied(
                VerdictCode::InvalidCall,
                &format!("the call must be JSON text, not {got}"),
            ),
            Err(TextProblem::TooLong(length)) => api::denied(
                VerdictCode::LimitExceeded,
                &format!(
                    "the call is {length} characters long, more than the limit of {limit} bytes"
                ),
            ),
        };
        js::verdict(&verdict)
    }

    /// The verdict on a call's JSON with options JavaScript has read.
    fn evaluate_plain(&self, call: CallJson<'_>, trace: bool, now: Option<f64>) -> Verdict {
        let options = EvaluateOptions {
            now: now.map(Now::Millis),
            trace: Some(trace),
        };
        api::evaluate_read(&self.policy, call, Ok(options), clock)
    }

    fn evaluate_text(&self, call: CallJson<'_>, options: Option<&JsValue>) -> Verdict {
        match js::options(options, limits().max_message_bytes) {
            Ok(read) => api::evaluate(&self.policy, call, read.json.as_deref(), read.now, clock),
            Err(problem) => api::denied(VerdictCode::InvalidCall, &problem),
        }
    }

    /// Decides on a raw MCP JSON-RPC message or batch (text or parsed):
    /// one result per message, with a verdict for each `tools/call`. Never throws.
    #[wasm_bindgen(js_name = evaluateMessage, unchecked_return_type = "MessageVerdict[]")]
    pub fn evaluate_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | JsonValue")] message: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MessageOptions")] options: Option<JsValue>,
    ) -> JsValue {
        tripwire();
        let limit = limits().max_message_bytes;
        let text = if message.is_string() {
            js::text(&message, limit).map_err(|problem| match problem {
                TextProblem::TooLong(length) => (
                    VerdictCode::LimitExceeded,
                    format!(
                        "the message is {length} characters long, more than the limit of {limit} bytes"
                    ),
                ),
                TextProblem::NotText(got) => {
                    (VerdictCode::InvalidCall, format!("the message is {got}"))
                }
            })
        } else {
            js::stringify_checked(&message, "message", limit)
                .map_err(|problem| (problem.code(), problem.message().to_owned()))
        };
        let results = text.and_then(|text| {
            let read = js::options(options.as_ref(), limit)
                .map_err(|problem| (VerdictCode::InvalidCall, problem))?;
            Ok(api::evaluate_message(
                &self.policy,
                &text,
                read.json.as_deref(),
                read.now,
                clock,
            ))
        });
        js::parse(
            &results.unwrap_or_else(|(code, problem)| api::message_failed_json(code, &problem)),
        )
    }

    /// Warnings found while reading the policy (shadowed rules, empty lists).
    #[wasm_bindgen(getter, unchecked_return_type = "Diagnostic[]")]
    pub fn warnings(&self) -> JsValue {
        tripwire();
        js::parse(&api::warnings(&self.policy))
    }

    /// The rules' names, in order.
    #[wasm_bindgen(getter, js_name = ruleNames, unchecked_return_type = "string[]")]
    pub fn rule_names(&self) -> JsValue {
        tripwire();
        js::parse(&api::rule_names(&self.policy))
    }
}

/// A policy test suite in the engine's YAML format (`policy` or
/// `policy_file`, `cases` with `call` or `message` and `expect`).
#[wasm_bindgen(js_name = Suite)]
pub struct JsSuite {
    suite: portcullis::Suite,
}

#[wasm_bindgen(js_class = Suite)]
impl JsSuite {
    /// Reads a suite. Throws a `SuiteError` whose `diagnostics` list every problem.
    #[wasm_bindgen(js_name = fromYaml)]
    pub fn from_yaml(
        #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
    ) -> Result<JsSuite, JsValue> {
        tripwire();
        let text = read_source(&source, "test suite").map_err(|e| throw("suite", &e))?;
        api::load_suite(&text)
            .map(|suite| JsSuite { suite })
            .map_err(|e| throw("suite", &e))
    }

    /// The suite's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        tripwire();
        self.suite.name().to_owned()
    }

    /// The number of cases.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        tripwire();
        self.suite.len()
    }

    /// The policy files the suite names, relative to the suite.
    #[wasm_bindgen(js_name = policyFiles, unchecked_return_type = "string[]")]
    pub fn policy_files(&self) -> JsValue {
        tripwire();
        js::parse(&api::policy_files(&self.suite))
    }

    /// Runs every case. `load(file)` returns the text of a policy file the
    /// suite names; a loader that throws fails those cases. Never throws.
    #[wasm_bindgen(unchecked_return_type = "SuiteReport")]
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "(file: string) => string")] load: Option<
            JsValue,
        >,
    ) -> JsValue {
        tripwire();
        let loader = load.as_ref().and_then(|l| l.dyn_ref::<Function>());
        let limit = limits().max_policy_bytes;
        let read = |file: &str| -> Result<String, String> {
            let Some(loader) = loader else {
                return Err("no loader was given (pass `run(file => text)`)".to_owned());
            };
            let text = loader
                .call1(&JsValue::NULL, &JsValue::from_str(file))
                .map_err(|e| js::message(&e))?;
            js::text(&text, limit).map_err(|problem| match problem {
                TextProblem::NotText(got) => format!("the loader returned {got}, not text"),
                TextProblem::TooLong(length) => {
                    format!(
                        "the file is {length} characters long, more than the limit of {limit} bytes"
                    )
                }
            })
        };
        js::parse(&api::run_suite(&self.suite, &read))
    }

    /// Runs every case against `policy`, except cases that name their own.
    #[wasm_bindgen(js_name = runAgainst, unchecked_return_type = "SuiteReport")]
    pub fn run_against(&self, policy: &JsPolicy) -> JsValue {
        tripwire();
        js::parse(&api::run_suite_against(&self.suite, &policy.policy))
    }
}
