//! Reading YAML into JSON values (for imported test suites, which the
//! engine has already checked) and writing JSON values back as compact,
//! readable YAML flow text.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value as Json};

/// Reads the first YAML document of `text` as JSON.
///
/// # Errors
///
/// The parser's message when the text is not YAML, or a sentence when it
/// uses something JSON cannot hold (a non-text key).
pub fn parse(text: &str) -> Result<Json, String> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, _) = event.map_err(|e| e.to_string())?;
        if builder.push(event)? {
            break;
        }
    }
    builder
        .done
        .ok_or_else(|| "the text holds no YAML document".to_owned())
}

enum Open {
    Seq(Vec<Json>, usize),
    Map(Map<String, Json>, Option<String>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Json>,
    done: Option<Json>,
}

impl Builder {
    /// Takes one event; `true` once the first document is complete.
    fn push(&mut self, event: Event<'_>) -> Result<bool, String> {
        match event {
            Event::Scalar(text, style, anchor, _) => {
                let value = scalar(&text, style);
                self.value(value, anchor)
            }
            Event::Alias(id) => {
                let value = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| "an alias refers to an unknown anchor".to_owned())?;
                self.value(value, 0)
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push(Open::Seq(Vec::new(), anchor));
                Ok(false)
            }
            Event::MappingStart(anchor, _) => {
                self.stack.push(Open::Map(Map::new(), None, anchor));
                Ok(false)
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Open::Seq(items, anchor)) => self.value(Json::Array(items), anchor),
                Some(Open::Map(map, _, anchor)) => self.value(Json::Object(map), anchor),
                None => Err("unbalanced YAML".to_owned()),
            },
            Event::DocumentEnd | Event::StreamEnd => Ok(self.done.is_some()),
            _ => Ok(false),
        }
    }

    fn value(&mut self, value: Json, anchor: usize) -> Result<bool, String> {
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => {
                self.done = Some(value);
                Ok(true)
            }
            Some(Open::Seq(items, _)) => {
                items.push(value);
                Ok(false)
            }
            Some(Open::Map(map, key, _)) => {
                match key.take() {
                    Some(k) => {
                        map.insert(k, value);
                    }
                    None => match value {
                        Json::String(k) => *key = Some(k),
                        Json::Null => *key = Some(String::new()),
                        Json::Bool(_) | Json::Number(_) => *key = Some(value.to_string()),
                        _ => return Err("a mapping key is a list or mapping".to_owned()),
                    },
                }
                Ok(false)
            }
        }
    }
}

/// Resolves a scalar as the engine does (YAML 1.2 core schema).
fn scalar(text: &str, style: ScalarStyle) -> Json {
    if style != ScalarStyle::Plain {
        return Json::from(text);
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Json::Null,
        "true" | "True" | "TRUE" => return Json::Bool(true),
        "false" | "False" | "FALSE" => return Json::Bool(false),
        _ => {}
    }
    if let Some(n) = integer(text) {
        return Json::from(n);
    }
    if looks_like_float(text)
        && let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64)
    {
        return Json::Number(n);
    }
    Json::from(text)
}

fn integer(text: &str) -> Option<i64> {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => (-1, text.get(1..)?),
        Some(b'+') => (1, text.get(1..)?),
        _ => (1, text),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(sign * value)
}

fn looks_like_float(text: &str) -> bool {
    let body = text.trim_start_matches(['-', '+']);
    !body.is_empty()
        && body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
}

/// Writes a JSON value as one line of YAML flow text; strings stay plain
/// where YAML reads them back as the same text, and are quoted otherwise.
#[must_use]
pub fn flow(value: &Json) -> String {
    let mut out = String::new();
    write_flow(value, &mut out);
    out
}

fn write_flow(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => out.push_str(&text(s)),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(item, out);
            }
            out.push(']');
        }
        Json::Object(map) if map.is_empty() => out.push_str("{}"),
        Json::Object(map) => {
            out.push_str("{ ");
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&text(key));
                out.push_str(": ");
                write_flow(item, out);
            }
            out.push_str(" }");
        }
    }
}

/// A string as a YAML scalar: plain when that reads back as the same
/// string, JSON-quoted (valid YAML double quotes) otherwise.
#[must_use]
pub fn text(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_owned()
    } else {
        Json::from(s).to_string()
    }
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let safe_char = |c: char| c.is_ascii_alphanumeric() || "_./-+=@ ()".contains(c);
    (first.is_ascii_alphanumeric() || "_./".contains(first))
        && !s.ends_with(' ')
        && s.chars().all(safe_char)
        && scalar(s, ScalarStyle::Plain).as_str() == Some(s)
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_block_and_flow_yaml() -> Result<(), String> {
        let value = parse(
            "name: x\ncases:\n  - call: { tool: read_file, arguments: { n: 3, ok: true, f: 1.5 } }\n    expect: { rule: null }\n",
        )?;
        assert_eq!(
            value,
            json!({"name": "x", "cases": [{"call": {"tool": "read_file", "arguments": {"n": 3, "ok": true, "f": 1.5}}, "expect": {"rule": null}}]})
        );
        Ok(())
    }

    #[test]
    fn quoted_scalars_stay_text_and_aliases_copy() -> Result<(), String> {
        let value = parse("a: &x \"12\"\nb: *x\nc: '0x10'\nd: 0x10\n")?;
        assert_eq!(value, json!({"a": "12", "b": "12", "c": "0x10", "d": 16}));
        Ok(())
    }

    #[test]
    fn flow_text_reads_back_as_the_same_value() -> Result<(), String> {
        for value in [
            json!({"tool": "read_file", "server": "prod-db", "arguments": {"path": "/etc/passwd"}}),
            json!({"s": "12", "t": "true", "u": "", "v": "a: b", "w": "*.env", "x": "-x", "y": "yes"}),
            json!({"sql": "SELECT * FROM users; DROP TABLE users", "n": [1, -2.5, null, false]}),
            json!({"quote": "say \"hi\"\nnext line", "hash": "a #b", "unicode": "café ✓"}),
        ] {
            let written = flow(&value);
            assert_eq!(parse(&written)?, value, "{written}");
        }
        Ok(())
    }

    #[test]
    fn plain_where_possible() {
        assert_eq!(
            flow(&json!({"tool": "read_file", "path": "/data/a.csv"})),
            "{ tool: read_file, path: /data/a.csv }"
        );
        assert_eq!(text("123"), "\"123\"");
        assert_eq!(text("database://prod"), "\"database://prod\"");
    }
}
