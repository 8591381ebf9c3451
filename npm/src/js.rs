//! Reading JavaScript values without ever letting a JavaScript exception
//! unwind through Rust: every call into JavaScript that can throw goes
//! through an import declared with `catch`, so a throwing getter, a cyclic
//! object or a hostile `toJSON` becomes an `Err` and the instance stays
//! usable.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use js_sys::{Array, Date, JsString, Reflect};
use portcullis::{Verdict, VerdictCode};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::options::Now;
use crate::{api, fields};

/// Why a value could not be read as text.
#[derive(Debug)]
pub enum TextProblem {
    /// The value is not a string; names what it is (`a number`, ...).
    NotText(String),
    /// The string is longer than the limit (its length in UTF-16 units).
    TooLong(usize),
}

/// What a value is, for error messages: `a number`, `undefined`, `an array`.
pub fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".to_owned()
    } else if value.is_null() {
        "null".to_owned()
    } else if Array::is_array(value) {
        "an array".to_owned()
    } else {
        match value.js_typeof().as_string().as_deref() {
            Some("object") => "an object".to_owned(),
            Some("string") => "a string".to_owned(),
            Some("number") => "a number".to_owned(),
            Some("boolean") => "a boolean".to_owned(),
            Some("bigint") => "a bigint".to_owned(),
            Some("symbol") => "a symbol".to_owned(),
            Some("function") => "a function".to_owned(),
            Some(other) => other.to_owned(),
            None => "a value of unknown type".to_owned(),
        }
    }
}

/// The value as Rust text, refusing non-strings and strings longer than
/// `limit` before they are copied into the wasm memory. (A UTF-16 unit is
/// at least one UTF-8 byte, so a string over the limit in units is over it
/// in bytes too; the engine checks bytes exactly afterwards.)
pub fn text(value: &JsValue, limit: usize) -> Result<String, TextProblem> {
    let Some(string) = value.dyn_ref::<JsString>() else {
        return Err(TextProblem::NotText(describe(value)));
    };
    let length = usize::try_from(string.length()).unwrap_or(usize::MAX);
    if length > limit {
        return Err(TextProblem::TooLong(length));
    }
    value
        .as_string()
        .ok_or_else(|| TextProblem::NotText(describe(value)))
}

/// Why a value could not be converted to JSON text.
#[derive(Debug)]
pub enum JsonProblem {
    /// `JSON.stringify` threw or the value has no JSON form; a sentence.
    Unreadable(String),
    /// The JSON is longer than the limit; a sentence.
    TooLong(String),
}

impl JsonProblem {
    /// The verdict code of a deny for this problem.
    pub fn code(&self) -> VerdictCode {
        match self {
            Self::Unreadable(_) => VerdictCode::InvalidCall,
            Self::TooLong(_) => VerdictCode::LimitExceeded,
        }
    }

    /// The sentence that says what went wrong.
    pub fn message(&self) -> &str {
        match self {
            Self::Unreadable(message) | Self::TooLong(message) => message,
        }
    }
}

/// `JSON.stringify(value)`, bounded by `limit` UTF-16 units; errors are
/// sentences (`the value is cyclic: ...`).
pub fn stringify(value: &JsValue, what: &str, limit: usize) -> Result<String, String> {
    stringify_checked(value, what, limit).map_err(|problem| problem.message().to_owned())
}

/// As [`stringify`], telling a value over the limit from one that has no
/// JSON form.
pub fn stringify_checked(value: &JsValue, what: &str, limit: usize) -> Result<String, JsonProblem> {
    let stringified = js_sys::JSON::stringify(value).map(JsValue::from);
    json_checked(value, stringified, what, limit)
}

/// As [`stringify_checked`], given what `JSON.stringify(value)` returned
/// (`Ok`) or threw (`Err`) when JavaScript called it itself.
pub fn json_checked(
    value: &JsValue,
    stringified: Result<JsValue, JsValue>,
    what: &str,
    limit: usize,
) -> Result<String, JsonProblem> {
    let json = stringified.map_err(|e| {
        JsonProblem::Unreadable(format!(
            "the {what} could not be converted to JSON: {}",
            message(&e)
        ))
    })?;
    match text(&json, limit) {
        Ok(text) => Ok(text),
        Err(TextProblem::NotText(_)) => Err(JsonProblem::Unreadable(format!(
            "the {what} is {}, which has no JSON form",
            describe(value)
        ))),
        Err(TextProblem::TooLong(length)) => Err(JsonProblem::TooLong(format!(
            "the {what} is {length} characters of JSON, more than the limit of {limit} bytes"
        ))),
    }
}

/// The message of a thrown value (an `Error`'s `message`, else its text).
pub fn message(thrown: &JsValue) -> String {
    if let Some(error) = thrown.dyn_ref::<js_sys::Error>() {
        let message: String = error.message().into();
        return message.lines().next().unwrap_or_default().to_owned();
    }
    thrown
        .as_string()
        .unwrap_or_else(|| format!("{} was thrown", describe(thrown)))
}

/// Options as JSON text plus the `now` they give (read from JavaScript
/// because a `Date` has no faithful JSON form): `Ok(None)` when there are
/// no options.
pub struct ReadOptions {
    /// The options' JSON, or `None` when none were given.
    pub json: Option<String>,
    /// The moment given as `now`, `None` when absent (then the clock is read).
    pub now: Option<Now>,
}

/// Reads an options object; errors are sentences.
pub fn options(value: Option<&JsValue>, limit: usize) -> Result<ReadOptions, String> {
    let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(ReadOptions {
            json: None,
            now: None,
        });
    };
    if !value.is_object() || Array::is_array(value) || value.is_function() {
        return Err(format!(
            "the options must be an object, not {}",
            describe(value)
        ));
    }
    let now = Reflect::get(value, &JsValue::from_str("now"))
        .map_err(|e| format!("`now` could not be read: {}", message(&e)))?;
    let now = read_now(&now)?;
    let json = stringify(value, "options", limit)?;
    Ok(ReadOptions {
        json: Some(json),
        now,
    })
}

fn read_now(now: &JsValue) -> Result<Option<Now>, String> {
    if now.is_undefined() || now.is_null() {
        return Ok(None);
    }
    if let Some(date) = now.dyn_ref::<Date>() {
        return Ok(Some(Now::Millis(date.get_time())));
    }
    if let Some(ms) = now.as_f64() {
        return Ok(Some(Now::Millis(ms)));
    }
    if let Some(text) = now.as_string() {
        return Ok(Some(Now::Text(text)));
    }
    Err(format!(
        "`now` must be a Date, milliseconds since 1970 or an RFC 3339 text, not {}",
        describe(now)
    ))
}

/// Parses JSON the engine wrote. It is always valid; should parsing fail
/// anyway, the text itself is returned rather than throwing.
pub fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or_else(|_| JsValue::from_str(json))
}

#[wasm_bindgen(module = "/js/verdict.js")]
extern "C" {
    /// Builds the verdict object from its fields ([`crate::fields`]).
    #[wasm_bindgen(js_name = verdictFromFields, catch)]
    fn verdict_from_fields(fields: &str) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// The text [`verdict`] writes the fields into, kept between verdicts.
    static FIELDS_BUFFER: Cell<String> = const { Cell::new(String::new()) };
}

/// The largest buffer kept for the next verdict (a verdict with a long
/// trace may need more; it gets a buffer of its own).
const MAX_KEPT_BUFFER: usize = 16 * 1024;

/// Whether verdicts cross as fields (on) or as JSON (the tests compare both).
static AS_FIELDS: AtomicBool = AtomicBool::new(true);

/// Verdicts sent as fields since [`verdicts_as_fields`] was last called.
static SENT_AS_FIELDS: AtomicU32 = AtomicU32::new(0);

/// Sends verdicts as JSON (`false`) or as fields (`true`, the default);
/// returns how many were sent as fields since the last call.
pub fn verdicts_as_fields(on: bool) -> u32 {
    AS_FIELDS.store(on, Ordering::Relaxed);
    SENT_AS_FIELDS.swap(0, Ordering::Relaxed)
}

/// The verdict built by `verdictFromFields`, when it has a fields form. One
/// buffer serves every verdict: taken out while in use (nothing can borrow
/// it twice), and kept only while it is small.
fn from_fields(verdict: &Verdict) -> Option<JsValue> {
    let mut text = FIELDS_BUFFER.take();
    let object = if fields::encode(verdict, &mut text) {
        verdict_from_fields(&text).ok()
    } else {
        None
    };
    if text.capacity() <= MAX_KEPT_BUFFER {
        FIELDS_BUFFER.set(text);
    }
    object
}

/// The verdict as a JavaScript object: built from its fields, or parsed
/// from its JSON when it has no fields form (or the fields are switched off).
pub fn verdict(verdict: &Verdict) -> JsValue {
    let object = if AS_FIELDS.load(Ordering::Relaxed) {
        from_fields(verdict)
    } else {
        None
    };
    match object {
        Some(object) => {
            SENT_AS_FIELDS.fetch_add(1, Ordering::Relaxed);
            object
        }
        None => parse(&api::verdict_json(verdict)),
    }
}
