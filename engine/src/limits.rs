//! Input limits: every input the engine reads is bounded, so no policy or
//! tool call can make it hang or exhaust memory.

/// The bounds the engine enforces on policies and tool calls.
///
/// Exceeding a policy limit is a load error with its position; exceeding a
/// call limit is a deny verdict that names the limit. The defaults suit
/// interactive use and 10,000-rule policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest policy (or test suite) text, in bytes.
    pub max_policy_bytes: usize,
    /// Most YAML nodes a document may expand to, alias copies included
    /// (stops "billion laughs" documents).
    pub max_yaml_nodes: usize,
    /// Deepest nesting of YAML lists and mappings.
    pub max_yaml_depth: usize,
    /// Most rules in one policy.
    pub max_rules: usize,
    /// Longest glob pattern, in bytes.
    pub max_pattern_bytes: usize,
    /// Longest regular expression, in bytes.
    pub max_regex_bytes: usize,
    /// Largest compiled regular expression, in bytes of the compiled program.
    pub max_regex_compiled_bytes: usize,
    /// Deepest nesting of a tool call's arguments.
    pub max_argument_depth: usize,
    /// Most values (strings, numbers, list items, ...) in a tool call's arguments.
    pub max_argument_values: usize,
    /// Largest JSON text of a tool call or JSON-RPC message, in bytes.
    pub max_message_bytes: usize,
    /// Longest text value inspected for SQL, shell commands and paths;
    /// longer values are denied rather than partly inspected.
    pub max_string_bytes: usize,
    /// Most messages in one JSON-RPC batch.
    pub max_batch_len: usize,
    /// Most distinct resources (paths, commands) one call may touch.
    pub max_resources: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_policy_bytes: 4 * 1024 * 1024,
            max_yaml_nodes: 1_000_000,
            max_yaml_depth: 64,
            max_rules: 20_000,
            max_pattern_bytes: 1024,
            max_regex_bytes: 1024,
            max_regex_compiled_bytes: 1024 * 1024,
            max_argument_depth: 32,
            max_argument_values: 10_000,
            max_message_bytes: 4 * 1024 * 1024,
            max_string_bytes: 1024 * 1024,
            max_batch_len: 1000,
            max_resources: 64,
        }
    }
}
