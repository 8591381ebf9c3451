//! Strict JSON reading: a duplicate key is an error, because JSON parsers
//! disagree about which of two `"name"` keys counts, and the size is bounded.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

use crate::limits::Limits;
use crate::verdict::VerdictCode;

/// JSON that could not be read, with where (when known).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    /// What is wrong.
    pub message: String,
    /// 1-based line, when the problem has a position in the text.
    pub line: Option<usize>,
    /// 1-based column, when the problem has a position in the text.
    pub column: Option<usize>,
    /// The text nests deeper than the JSON reader goes (128 levels): a
    /// limit was reached, the JSON itself may be fine.
    pub too_deep: bool,
}

/// What serde_json says of a text nested past its 128 levels.
const TOO_DEEP: &str = "recursion limit exceeded";

impl JsonError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            line: None,
            column: None,
            too_deep: false,
        }
    }

    /// What serde_json could not read, `what` naming the kind of problem
    /// (`invalid JSON`, `invalid tool call`). JSON nested past the
    /// reader's 128 levels is said to be that, not invalid.
    #[must_use]
    pub fn from_serde(error: &serde_json::Error, what: &str) -> Self {
        let (line, column) = (error.line(), error.column());
        let message = error.to_string();
        // serde_json appends " at line L column C"; keep the message clean.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        let too_deep = message == TOO_DEEP;
        Self {
            message: if too_deep {
                "the JSON is nested deeper than 128 levels, the most that is read".to_owned()
            } else {
                format!("{what}: {message}")
            },
            line: (line > 0).then_some(line),
            column: (line > 0).then_some(column),
            too_deep,
        }
    }

    /// The verdict code of a call that could not be read for this:
    /// `limit_exceeded` when it was too deep, else `invalid_call`.
    #[must_use]
    pub fn code(&self) -> VerdictCode {
        if self.too_deep {
            VerdictCode::LimitExceeded
        } else {
            VerdictCode::InvalidCall
        }
    }

    /// Where, as a sentence continues it (` at line 3, column 7`), or
    /// nothing when the problem has no position.
    #[must_use]
    pub fn place(&self) -> String {
        self.line
            .map(|l| format!(" at line {l}, column {}", self.column.unwrap_or(0)))
            .unwrap_or_default()
    }
}

/// Parses JSON text, refusing duplicate keys and texts over the size limit.
pub(crate) fn parse_strict(text: &str, limits: &Limits) -> Result<Json, JsonError> {
    if text.len() > limits.max_message_bytes {
        return Err(JsonError::new(format!(
            "the JSON text is {} bytes, more than the limit of {} bytes",
            text.len(),
            limits.max_message_bytes
        )));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = StrictValue::deserialize(&mut deserializer)
        .and_then(|v| deserializer.end().map(|()| v.0))
        .map_err(|e| JsonError::from_serde(&e, "invalid JSON"))?;
    Ok(value)
}

struct StrictValue(Json);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        StrictValue::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{key}` (JSON parsers disagree which one counts)"
                )));
            }
            let StrictValue(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Json::Object(out))
    }
}

/// How deep a JSON value nests, and how many values it holds, stopping
/// early once either passes its bound.
pub(crate) fn measure<'a>(
    roots: impl IntoIterator<Item = &'a Json>,
    max_depth: usize,
    max_values: usize,
) -> Result<(), String> {
    // The roots are taken one at a time and only containers' children go on
    // the stack, so flat arguments (the common case) allocate nothing.
    let mut roots = roots.into_iter();
    let mut stack: Vec<(&Json, usize)> = Vec::new();
    let mut count = 0usize;
    while let Some((v, depth)) = stack.pop().or_else(|| roots.next().map(|root| (root, 1))) {
        count += 1;
        if count > max_values {
            return Err(format!("more than {max_values} values"));
        }
        if depth > max_depth {
            return Err(format!("nested deeper than {max_depth} levels"));
        }
        match v {
            Json::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Json::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_with_a_position() {
        let error = parse_strict(r#"{"name":"a","name":"b"}"#, &Limits::default()).err();
        assert!(
            error
                .as_ref()
                .is_some_and(|e| e.message.contains("duplicate key `name`"))
        );
        assert_eq!(error.and_then(|e| e.line), Some(1));
        let nested = parse_strict(r#"{"p":{"x":1,"x":2}}"#, &Limits::default());
        assert!(nested.is_err());
    }

    #[test]
    fn good_json_reads_as_usual() {
        let value = parse_strict(r#"{"a":[1,2.5,"x",null,true]}"#, &Limits::default());
        assert_eq!(
            value.ok(),
            Some(serde_json::json!({"a": [1, 2.5, "x", null, true]}))
        );
    }

    #[test]
    fn depth_and_size_are_measured() {
        let deep = (0..40).fold(Json::Null, |inner, _| Json::Array(vec![inner]));
        assert!(measure([&deep], 32, 1000).is_err());
        assert!(measure([&deep], 64, 1000).is_ok());
        let wide = Json::Array(vec![Json::Null; 50]);
        assert!(measure([&wide], 32, 10).is_err());
    }
}
