//! Portcullis: a policy and risk engine for MCP (Model Context Protocol)
//! tool calls.
//!
//! Every tool call gets a [`Verdict`]: a [`Decision`] (allow, require
//! approval, deny), a 0–100 risk score with the [`Factor`]s behind it, the
//! rule that decided, a reason a person can read, and a trace of the rules
//! checked. Policies are YAML in the Aegis format (`defaults`, `rules`,
//! `match`, `risk_level`, `approval`, `conditions`) with the ASCEND
//! extensions (namespaces, verbs, resources, server trust levels, risk
//! thresholds).
//!
//! The engine has no IO and no clock: the time of a call is an input
//! ([`Timestamp`]). It never panics on any input, and a decision never
//! fails: what would be an error is a deny that says why.
//!
//! ```
//! use portcullis::{Decision, Policy, Timestamp, ToolCall};
//!
//! let policy = Policy::from_yaml(r#"
//! version: "1"
//! defaults: { risk_level: medium, approval: approve }
//! rules:
//!   - name: mcp_delete
//!     match: { type: "delete_file" }
//!     risk_level: critical
//!     approval: block
//! "#)?;
//! let mut call = ToolCall::new("delete_file");
//! call.server = Some("dev-filesystem".into());
//! let verdict = policy.evaluate(&call, Timestamp::parse_rfc3339("2026-11-21T10:00:00Z")?);
//! assert_eq!(verdict.decision, Decision::Deny);
//! assert_eq!(verdict.rule.as_deref(), Some("mcp_delete"));
//! assert_eq!(verdict.risk_level, portcullis::RiskLevel::Critical);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The phases of compiling and deciding (`decode`, `compile`, `classify`,
//! `decide`, …) are marked `#[inline(never)]`. Inlined into one another they
//! made single wasm functions of 35–70 KB, which V8's baseline compiler
//! compiles on first call, superlinearly in a function's size: that was most
//! of the npm package's cold start. Out of line, a decision costs the same.

mod bitset;
mod call;
mod condition;
mod diagnostic;
mod evaluate;
mod few;
mod glob;
mod index;
mod json;
mod jsonrpc;
mod limits;
pub mod normalize;
mod number;
mod policy;
mod read;
pub mod risk;
mod source;
mod suggest;
mod suite;
mod text;
mod time;
#[cfg(feature = "ts")]
pub mod typescript;
mod verdict;
mod yaml;

pub use call::{Annotations, ToolCall};
pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use evaluate::EvalOptions;
pub use json::JsonError;
pub use jsonrpc::{MessageContext, MessageKind, MessageVerdict};
pub use limits::Limits;
pub use policy::{Policy, PolicyErrors, Report};
pub use source::Span;
pub use suite::{CaseResult, Suite, SuiteErrors, SuiteReport};
pub use time::{Timestamp, TimestampError};
pub use verdict::{
    Action, Decision, Factor, FailedClause, RiskLevel, TraceStep, Verdict, VerdictCode,
};
pub use yaml::{yaml_readers_agree, yaml_to_json};
