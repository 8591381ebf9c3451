//! Writes the seed corpora of the fuzz targets from the shared test suites
//! (`tests/**/*.suite.yaml` and `tests/policies/`): every policy, suite,
//! call and JSON-RPC message they hold, one file per input under
//! `fuzz/corpus/<target>/`, named by a hash of its content.
//!
//! Run from anywhere: `cargo run --manifest-path fuzz/Cargo.toml --example seed`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};
use serde_yaml::Value as Yaml;

#[derive(Default)]
struct Seeds {
    policy: BTreeSet<String>,
    suite: BTreeSet<String>,
    call_json: BTreeSet<String>,
    message: BTreeSet<String>,
    normalize: BTreeSet<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tests = fuzz.join("../tests");
    let mut files = Vec::new();
    walk(&tests, &mut files)?;
    files.sort();
    let mut seeds = Seeds::default();
    for file in &files {
        let text = fs::read_to_string(file)?;
        if file.to_string_lossy().ends_with(".suite.yaml") {
            seeds.suite.insert(text.clone());
            let dir = file.parent().unwrap_or(&tests);
            read_suite(&text, dir, &mut seeds);
        } else if file.extension().is_some_and(|e| e == "yaml") {
            seeds.policy.insert(text);
        }
    }
    for entry in fs::read_dir(fuzz.join("policies"))? {
        seeds.policy.insert(fs::read_to_string(entry?.path())?);
    }
    let corpus = fuzz.join("corpus");
    let call_seeds: BTreeSet<String> = seeds.call_json.clone();
    // The YAML readers' seeds: every policy and suite, also with `\r\n` lines.
    let yaml_seeds: BTreeSet<String> = seeds
        .policy
        .union(&seeds.suite)
        .flat_map(|text| [text.clone(), text.replace('\n', "\r\n")])
        .collect();
    for (target, inputs) in [
        ("policy", &seeds.policy),
        ("yaml", &yaml_seeds),
        ("suite", &seeds.suite),
        ("call_json", &seeds.call_json),
        ("call", &call_seeds),
        ("message", &seeds.message),
        ("normalize", &seeds.normalize),
    ] {
        let dir = corpus.join(target);
        fs::create_dir_all(&dir)?;
        for input in inputs {
            fs::write(dir.join(format!("seed-{:016x}", fnv(input))), input)?;
        }
        println!("{target}: {} seeds in {}", inputs.len(), dir.display());
    }
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn read_suite(text: &str, dir: &Path, seeds: &mut Seeds) {
    let Ok(suite) = serde_yaml::from_str::<Yaml>(text) else {
        return;
    };
    add_policy(&suite, dir, seeds);
    let Some(cases) = suite.get("cases").and_then(Yaml::as_sequence) else {
        return;
    };
    for case in cases {
        add_policy(case, dir, seeds);
        let server = case.get("server").and_then(Yaml::as_str);
        if let Some(call) = case.get("call").and_then(|c| to_json(c)) {
            let mut call = call;
            if let (Some(server), Some(map)) = (server, call.as_object_mut()) {
                map.entry("server").or_insert_with(|| json!(server));
            }
            strings(&call, &mut seeds.normalize);
            let arguments = call.get("arguments").cloned().unwrap_or(Json::Null);
            let name = call.get("tool").cloned().unwrap_or(Json::Null);
            seeds.message.insert(
                json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                       "params": {"name": name, "arguments": arguments}})
                .to_string(),
            );
            seeds.call_json.insert(call.to_string());
        }
        match case.get("message") {
            Some(Yaml::String(message)) => {
                seeds.message.insert(message.clone());
            }
            Some(message) => {
                if let Some(json) = to_json(message) {
                    seeds.message.insert(json.to_string());
                }
            }
            None => {}
        }
    }
}

fn add_policy(node: &Yaml, dir: &Path, seeds: &mut Seeds) {
    if let Some(policy) = node.get("policy").and_then(Yaml::as_str) {
        seeds.policy.insert(policy.to_owned());
    }
    if let Some(file) = node.get("policy_file").and_then(Yaml::as_str)
        && let Ok(text) = fs::read_to_string(dir.join(file))
    {
        seeds.policy.insert(text);
    }
}

fn to_json(node: &Yaml) -> Option<Json> {
    serde_json::to_value(node).ok()
}

fn strings(value: &Json, out: &mut BTreeSet<String>) {
    match value {
        Json::String(s) if !s.is_empty() => {
            out.insert(s.clone());
        }
        Json::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Json::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// FNV-1a, for stable file names without another dependency.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
