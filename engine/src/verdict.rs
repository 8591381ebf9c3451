//! The verdict on one tool call: the decision, the risk score with the
//! factors behind it, the reason, and the trace of the rules checked.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What happens to the tool call.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The call may run.
    Allow,
    /// A person must approve the call before it runs.
    RequireApproval,
    /// The call must not run. Errors of every kind are also denials.
    Deny,
}

impl Decision {
    /// The decision's wire name (`allow`, `require_approval`, `deny`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::RequireApproval => "require_approval",
            Self::Deny => "deny",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A band of the 0–100 risk score.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Scores 0–30.
    Low,
    /// Scores 31–69.
    Medium,
    /// Scores 70–89.
    High,
    /// Scores 90–100.
    Critical,
}

impl RiskLevel {
    /// The band a score falls in.
    #[must_use]
    pub fn of_score(score: u8) -> Self {
        match score {
            0..=30 => Self::Low,
            31..=69 => Self::Medium,
            70..=89 => Self::High,
            _ => Self::Critical,
        }
    }

    /// The lowest and highest score of the band.
    #[must_use]
    pub fn band(self) -> (u8, u8) {
        match self {
            Self::Low => (0, 30),
            Self::Medium => (31, 69),
            Self::High => (70, 89),
            Self::Critical => (90, 100),
        }
    }

    /// The level's name as written in policies (`low`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// Parses a level as written in policies.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "low" => Some(Self::Low),
            "medium" => Some(Self::Medium),
            "high" => Some(Self::High),
            "critical" => Some(Self::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What decided the verdict: a stable code for programs (audit logs,
/// metrics, the `structuredContent` of a denied MCP call).
#[non_exhaustive]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictCode {
    /// A rule with `approval: auto` matched.
    RuleAllow,
    /// A rule with `approval: approve` matched.
    RuleApprove,
    /// A rule with `approval: block` matched.
    RuleBlock,
    /// A rule with `approval: risk` matched and the score decided.
    RuleRisk,
    /// No rule matched; the policy's `defaults` decided.
    Defaults,
    /// No rule matched and the policy has no `defaults`: denied (fail closed).
    NoDefaults,
    /// The server is `sandbox`: only a rule with `approval: auto` lets calls through.
    SandboxServer,
    /// The server is `restricted`: calls that change things need approval.
    RestrictedServer,
    /// The server is `trusted` and the score is low enough to run without approval.
    TrustedServer,
    /// The call itself is malformed (no tool name, arguments not an object, ...).
    InvalidCall,
    /// The call exceeds an input limit.
    LimitExceeded,
    /// The policy itself did not load, so every call is denied.
    InvalidPolicy,
    /// Something went wrong inside the engine; denied rather than guessed.
    InternalError,
}

impl VerdictCode {
    /// The code's wire name (`rule_block`, `no_defaults`, ...), as serialized.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RuleAllow => "rule_allow",
            Self::RuleApprove => "rule_approve",
            Self::RuleBlock => "rule_block",
            Self::RuleRisk => "rule_risk",
            Self::Defaults => "defaults",
            Self::NoDefaults => "no_defaults",
            Self::SandboxServer => "sandbox_server",
            Self::RestrictedServer => "restricted_server",
            Self::TrustedServer => "trusted_server",
            Self::InvalidCall => "invalid_call",
            Self::LimitExceeded => "limit_exceeded",
            Self::InvalidPolicy => "invalid_policy",
            Self::InternalError => "internal_error",
        }
    }
}

/// One named contribution to the risk score.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Factor {
    /// Stable name, also the key of its weight in the policy's `risk.weights`.
    pub name: Cow<'static, str>,
    /// Points added to (or, when negative, taken from) the score.
    pub points: i32,
    /// One line a person can read.
    pub detail: Cow<'static, str>,
}

/// The clause of a rule that did not hold for the call.
///
/// Its texts are shared (`Arc<str>`, like [`TraceStep::rule`]): a long
/// trace repeats the same clause texts of the policy and the same values of
/// the call, so each step points at them instead of copying them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedClause {
    /// The clause, as a path in the policy (`match.type`, `conditions.param_gt.amount`).
    pub field: Arc<str>,
    /// What the clause asked for (the pattern or condition, as written).
    pub pattern: Arc<str>,
    /// What the call had, or `None` when the call had no such value.
    pub actual: Option<Arc<str>>,
}

/// One rule checked while deciding.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceStep {
    /// The rule's name.
    pub rule: Arc<str>,
    /// The rule's 0-based position in `rules`.
    pub index: usize,
    /// The 1-based line where the rule starts in the policy text.
    pub line: u32,
    /// Whether this rule matched (only the last step can).
    pub matched: bool,
    /// For a rule that did not match, the first clause that failed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub failed: Option<FailedClause>,
}

/// What was evaluated: the call as the engine understood it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// The tool name the rules were matched against.
    pub tool: String,
    /// The server, when the call named one.
    pub server: Option<String>,
    /// The namespace (given, or derived: `database`, `filesystem`, `system`, `network`, ...).
    pub namespace: Cow<'static, str>,
    /// The verb (given, or derived: `read`, `write`, `delete`, `execute`, `admin`, `unknown`).
    pub verb: Cow<'static, str>,
    /// The resource (given, or derived and normalized: a path, `database://name`, `command://...`).
    pub resource: String,
    /// The server's trust level from the policy's `servers` section.
    pub trust: Option<String>,
}

/// The decision on one tool call and everything that explains it.
///
/// A verdict is always produced: what would have been an error (a malformed
/// call, an exceeded limit, an internal problem) is a [`Decision::Deny`]
/// whose `reason` says why.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// Allow, require approval, or deny.
    pub decision: Decision,
    /// What decided, as a stable code.
    pub code: VerdictCode,
    /// The 0–100 risk score: the sum of `factors`, clamped to 0–100.
    pub risk_score: u8,
    /// The band of `risk_score`.
    pub risk_level: RiskLevel,
    /// The name of the rule that matched, or `None` when the defaults decided.
    pub rule: Option<String>,
    /// A sentence a person understands.
    pub reason: String,
    /// The named contributions to the score.
    pub factors: Vec<Factor>,
    /// Required approval level (1–5) when the rule sets one or approval is required.
    pub approval_level: Option<u8>,
    /// Compliance tags of the deciding rule (`PCI-DSS`, `SOC2`, ...).
    pub compliance: Vec<String>,
    /// The rules checked, up to and including the one that matched.
    pub trace: Vec<TraceStep>,
    /// The call as the engine understood it.
    pub action: Action,
}

impl Verdict {
    /// A deny verdict for a call the engine could not evaluate, with the reason.
    #[must_use]
    pub fn denied(code: VerdictCode, reason: impl Into<String>) -> Self {
        Self {
            decision: Decision::Deny,
            code,
            risk_score: 100,
            risk_level: RiskLevel::Critical,
            rule: None,
            reason: reason.into(),
            factors: Vec::new(),
            approval_level: None,
            compliance: Vec::new(),
            trace: Vec::new(),
            action: Action::default(),
        }
    }

    /// Whether the call may run without a person's approval.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_score_falls_in_its_band() {
        for score in 0..=100u8 {
            let (low, high) = RiskLevel::of_score(score).band();
            assert!((low..=high).contains(&score), "{score}");
        }
    }

    #[test]
    fn wire_names_are_the_serialized_ones() {
        use VerdictCode as C;
        let codes = [
            C::RuleAllow,
            C::RuleApprove,
            C::RuleBlock,
            C::RuleRisk,
            C::Defaults,
            C::NoDefaults,
            C::SandboxServer,
            C::RestrictedServer,
            C::TrustedServer,
            C::InvalidCall,
            C::LimitExceeded,
            C::InvalidPolicy,
            C::InternalError,
        ];
        for code in codes {
            let json = serde_json::to_value(code).ok();
            assert_eq!(json.as_ref().and_then(|v| v.as_str()), Some(code.as_str()));
        }
        for decision in [Decision::Allow, Decision::RequireApproval, Decision::Deny] {
            let json = serde_json::to_value(decision).ok();
            assert_eq!(
                json.as_ref().and_then(|v| v.as_str()),
                Some(decision.as_str())
            );
        }
        for score in [0, 50, 80, 95] {
            let level = RiskLevel::of_score(score);
            let json = serde_json::to_value(level).ok();
            assert_eq!(json.as_ref().and_then(|v| v.as_str()), Some(level.as_str()));
        }
    }

    #[test]
    fn decisions_order_from_permissive_to_strict() {
        assert!(Decision::Allow < Decision::RequireApproval);
        assert!(Decision::RequireApproval < Decision::Deny);
    }
}
