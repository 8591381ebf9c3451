//! Evaluates one call against a policy and prints the verdict as JSON.
//!
//! `cargo run -p portcullis --example eval -- policy.yaml '{"tool":"read_file"}' [2026-11-21T10:00:00Z]`

use std::error::Error;

use portcullis::{Policy, Timestamp};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [policy, call, rest @ ..] = args.as_slice() else {
        return Err("usage: eval <policy.yaml> <call-json> [rfc3339-time]".into());
    };
    let source = std::fs::read_to_string(policy)?;
    let policy = Policy::from_yaml(&source)?;
    let now = match rest.first() {
        Some(t) => Timestamp::parse_rfc3339(t)?,
        None => Timestamp::parse_rfc3339("2026-01-07T12:00:00Z")?,
    };
    let verdict = policy.evaluate_json(call, now);
    println!("{}", serde_json::to_string_pretty(&verdict)?);
    Ok(())
}
