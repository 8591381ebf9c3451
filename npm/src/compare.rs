//! `Policy.evaluateSerde` (feature `marshal-compare`): the decision with the
//! call and verdict marshalled by serde-wasm-bindgen instead of as JSON
//! text, for the benchmark that chose JSON text. Not part of the package.

use portcullis::{Timestamp, ToolCall, Verdict, VerdictCode};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::wasm::JsPolicy;

#[wasm_bindgen(js_class = Policy)]
impl JsPolicy {
    /// As `evaluate(call, { now })`, marshalled with serde-wasm-bindgen.
    #[wasm_bindgen(js_name = evaluateSerde)]
    pub fn evaluate_serde(&self, call: JsValue, now: f64) -> JsValue {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "a benchmark input: milliseconds well within i64"
        )]
        let now = Timestamp::from_unix_millis(now as i64);
        let verdict = match serde_wasm_bindgen::from_value::<ToolCall>(call) {
            Ok(call) => self.policy().evaluate(&call, now),
            Err(e) => Verdict::denied(VerdictCode::InvalidCall, format!("Denied: {e}.")),
        };
        verdict
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL)
    }
}
