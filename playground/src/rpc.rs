//! Pasted MCP JSON-RPC text: `tools/list` responses to import tools from,
//! and the tool calls of a request or batch to load into the form.

use portcullis::Annotations;
use serde_json::{Map, Value as Json};

use crate::model::ImportedTool;

/// What the pasted text holds, as far as the playground acts on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Pasted {
    /// Nothing but white space.
    Empty,
    /// A `tools/list` response (or its `result`): the tools it lists.
    ToolsList(Vec<ImportedTool>),
    /// Anything else: the engine evaluates it as messages.
    Messages,
}

/// Reads pasted text.
#[must_use]
pub fn classify(text: &str) -> Pasted {
    if text.trim().is_empty() {
        return Pasted::Empty;
    }
    let Ok(value) = serde_json::from_str::<Json>(text) else {
        return Pasted::Messages;
    };
    match tools_of(&value) {
        Some(tools) => Pasted::ToolsList(tools),
        None => Pasted::Messages,
    }
}

fn tools_of(value: &Json) -> Option<Vec<ImportedTool>> {
    match value {
        Json::Array(items) => {
            let tools: Vec<ImportedTool> = items.iter().filter_map(tools_of).flatten().collect();
            (!tools.is_empty()).then_some(tools)
        }
        Json::Object(object) => {
            let list = object
                .get("result")
                .and_then(|r| r.get("tools"))
                .or_else(|| {
                    object
                        .get("tools")
                        .filter(|_| !object.contains_key("method"))
                })?;
            Some(list.as_array()?.iter().filter_map(tool).collect())
        }
        _ => None,
    }
}

fn tool(value: &Json) -> Option<ImportedTool> {
    let name = value.get("name")?.as_str()?.trim();
    if name.is_empty() {
        return None;
    }
    let annotations: Annotations = value
        .get("annotations")
        .and_then(|a| serde_json::from_value(a.clone()).ok())
        .unwrap_or_default();
    Some(ImportedTool {
        name: name.to_owned(),
        description: value
            .get("description")
            .and_then(Json::as_str)
            .map(str::to_owned),
        annotations,
        example_arguments: value.get("inputSchema").and_then(example_arguments),
    })
}

/// Arguments that fill each property of a JSON schema with an example
/// (its default, first example or enum value, else an empty value).
fn example_arguments(schema: &Json) -> Option<Map<String, Json>> {
    let properties = schema.get("properties")?.as_object()?;
    let example = |p: &Json| -> Json {
        if let Some(v) = p.get("default") {
            return v.clone();
        }
        if let Some(v) = p
            .get("examples")
            .and_then(Json::as_array)
            .and_then(|e| e.first())
            .or_else(|| {
                p.get("enum")
                    .and_then(Json::as_array)
                    .and_then(|e| e.first())
            })
        {
            return v.clone();
        }
        match p.get("type").and_then(Json::as_str) {
            Some("number" | "integer") => Json::from(0),
            Some("boolean") => Json::Bool(false),
            Some("array") => Json::Array(Vec::new()),
            Some("object") => Json::Object(Map::new()),
            _ => Json::from(""),
        }
    };
    Some(
        properties
            .iter()
            .map(|(k, p)| (k.clone(), example(p)))
            .collect(),
    )
}

/// The tool name and arguments of each message of a request or batch, by
/// position (`None` where a message is not a readable `tools/call`).
#[must_use]
pub fn calls(text: &str) -> Vec<Option<(String, Map<String, Json>)>> {
    let Ok(value) = serde_json::from_str::<Json>(text) else {
        return Vec::new();
    };
    let one = |m: &Json| {
        let method = m.get("method")?.as_str()?;
        if method.trim().to_lowercase() != "tools/call" {
            return None;
        }
        let params = m.get("params")?;
        let name = params.get("name")?.as_str()?.to_owned();
        let arguments = params
            .get("arguments")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        Some((name, arguments))
    };
    match &value {
        Json::Array(items) => items.iter().map(one).collect(),
        other => vec![one(other)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIST: &str = r#"{"jsonrpc":"2.0","id":1,"result":{"tools":[
      {"name":"read_file","description":"Read a file","annotations":{"readOnlyHint":true},
       "inputSchema":{"type":"object","properties":{"path":{"type":"string"},"max":{"type":"integer","default":10}}}},
      {"name":"delete_file","annotations":{"destructiveHint":true}},
      {"name":""}]}}"#;

    #[test]
    fn imports_tools_with_annotations_and_example_arguments() {
        let Pasted::ToolsList(tools) = classify(LIST) else {
            unreachable!("{:?}", classify(LIST));
        };
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["read_file", "delete_file"]);
        let read = tools.first();
        assert_eq!(read.and_then(|t| t.annotations.read_only_hint), Some(true));
        assert_eq!(
            read.and_then(|t| t.example_arguments.clone()),
            json!({"path": "", "max": 10}).as_object().cloned()
        );
        assert_eq!(classify(&format!("[{LIST}]")), classify(LIST));
    }

    #[test]
    fn other_text_is_left_to_the_engine() {
        assert_eq!(classify("  "), Pasted::Empty);
        assert_eq!(classify("{not json"), Pasted::Messages);
        assert_eq!(
            classify(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#),
            Pasted::Messages
        );
    }

    #[test]
    fn finds_the_calls_of_a_batch() {
        let found = calls(
            r#"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","arguments":{"x":1}}},
                {"jsonrpc":"2.0","id":2,"method":"tools/list"}]"#,
        );
        assert_eq!(
            found,
            vec![
                Some((
                    "a".to_owned(),
                    json!({"x": 1}).as_object().cloned().unwrap_or_default()
                )),
                None
            ]
        );
    }
}
