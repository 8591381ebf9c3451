//! Reading YAML into JSON values (for imported test suites, which the
//! engine has already checked) and writing JSON values back as compact,
//! readable YAML flow text.

use serde_json::Value as Json;

/// Reads YAML text as JSON, with the engine's reader (the same scalars,
/// aliases and limits as for policies and suites).
///
/// # Errors
///
/// The first problem, with its line, when the text is not YAML.
pub fn parse(text: &str) -> Result<Json, String> {
    portcullis::yaml_to_json(text).map_err(|errors| {
        errors.first().map_or_else(
            || "the text is not YAML".to_owned(),
            |e| format!("line {}: {}", e.line(), e.message),
        )
    })
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
        && portcullis::yaml_to_json(s)
            .ok()
            .as_ref()
            .and_then(Json::as_str)
            == Some(s)
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
