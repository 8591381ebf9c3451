//! The policy as written, after reading and checking, before compiling.

use serde_json::Value as Json;

use crate::source::Span;
use crate::verdict::RiskLevel;

/// What a rule (or the defaults) does with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Approval {
    /// `auto`: allow.
    Auto,
    /// `approve`: require approval.
    Approve,
    /// `block`: deny.
    Block,
    /// `risk`: decide by the risk score and the thresholds.
    Risk,
}

impl Approval {
    pub(crate) const NAMES: [&'static str; 4] = ["auto", "approve", "block", "risk"];

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(Self::Auto),
            "approve" => Some(Self::Approve),
            "block" => Some(Self::Block),
            "risk" => Some(Self::Risk),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Approve => "approve",
            Self::Block => "block",
            Self::Risk => "risk",
        }
    }
}

/// A server's trust level from the `servers` section (ASCEND's levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrustLevel {
    /// Auto-approve scores under 50.
    Trusted,
    /// Require approval for anything that is not a read.
    Restricted,
    /// Deny unless a rule explicitly allows.
    Sandbox,
}

impl TrustLevel {
    pub(crate) const NAMES: [&'static str; 3] = ["trusted", "restricted", "sandbox"];

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "trusted" => Some(Self::Trusted),
            "restricted" => Some(Self::Restricted),
            "sandbox" => Some(Self::Sandbox),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Trusted => "trusted",
            Self::Restricted => "restricted",
            Self::Sandbox => "sandbox",
        }
    }
}

/// The keys a rule's `match` accepts (see [`Field::from_key`]).
pub(crate) const MATCH_KEYS: [&str; 8] = [
    "type",
    "tool",
    "target",
    "server",
    "agent",
    "namespace",
    "verb",
    "resource",
];

/// The fields a rule can match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Tool,
    Server,
    Agent,
    Namespace,
    Verb,
    Resource,
}

impl Field {
    pub(crate) const ALL: [Field; 6] = [
        Field::Tool,
        Field::Server,
        Field::Agent,
        Field::Namespace,
        Field::Verb,
        Field::Resource,
    ];

    pub(crate) fn position(self) -> usize {
        match self {
            Field::Tool => 0,
            Field::Server => 1,
            Field::Agent => 2,
            Field::Namespace => 3,
            Field::Verb => 4,
            Field::Resource => 5,
        }
    }

    /// The field a key under `match` names (aliases first-class), with the
    /// key as [`MATCH_KEYS`] writes it, kept for explanations.
    pub(crate) fn from_key(key: &str) -> Option<(Self, &'static str)> {
        let key = *MATCH_KEYS.iter().find(|k| **k == key)?;
        let field = match key {
            "type" | "tool" => Field::Tool,
            "target" | "server" => Field::Server,
            "agent" => Field::Agent,
            "namespace" => Field::Namespace,
            "verb" => Field::Verb,
            "resource" => Field::Resource,
            _ => return None,
        };
        Some((field, key))
    }
}

/// A glob pattern as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) text: String,
    pub(crate) span: Span,
}

/// One field's patterns in a rule's `match` (any of them may match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldMatch {
    pub(crate) field: Field,
    /// The key as written (`type`, `tool`, `target`, ...), for explanations.
    pub(crate) key: &'static str,
    pub(crate) patterns: Vec<Pattern>,
    /// Written as a list (`[a, b]`) rather than one pattern.
    pub(crate) listed: bool,
    pub(crate) span: Span,
}

/// Comparison operators of the `param_*` conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compare {
    Eq,
    Gt,
    Lt,
    Gte,
    Lte,
}

impl Compare {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Compare::Eq => "param_eq",
            Compare::Gt => "param_gt",
            Compare::Lt => "param_lt",
            Compare::Gte => "param_gte",
            Compare::Lte => "param_lte",
        }
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Compare::Eq => "==",
            Compare::Gt => ">",
            Compare::Lt => "<",
            Compare::Gte => ">=",
            Compare::Lte => "<=",
        }
    }
}

/// The categories of the `semantic` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Category {
    Destructive,
    DataExposure,
    Privileged,
    Financial,
    Pii,
}

impl Category {
    pub(crate) const NAMES: [&'static str; 5] = [
        "destructive",
        "data_exposure",
        "privileged",
        "financial",
        "pii",
    ];

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "destructive" => Some(Self::Destructive),
            "data_exposure" => Some(Self::DataExposure),
            "privileged" => Some(Self::Privileged),
            "financial" => Some(Self::Financial),
            "pii" => Some(Self::Pii),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Destructive => "destructive",
            Self::DataExposure => "data_exposure",
            Self::Privileged => "privileged",
            Self::Financial => "financial",
            Self::Pii => "pii",
        }
    }
}

/// One condition of a rule, as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConditionDef {
    /// `param_eq` … `param_lte`: compare an argument with a value.
    Compare {
        op: Compare,
        param: String,
        value: Json,
        span: Span,
    },
    /// `param_contains`: substring of text, member of a list.
    Contains {
        param: String,
        value: Json,
        span: Span,
    },
    /// `param_matches`: regular-expression search.
    Matches {
        param: String,
        regex: String,
        span: Span,
    },
    /// `param_glob`: the argument (a normalized path when it looks like one)
    /// matches a glob; a list means any of them.
    Glob {
        param: String,
        patterns: Vec<Pattern>,
        span: Span,
    },
    /// `time_after` / `time_before`, as minutes after midnight UTC.
    Time {
        after: Option<u16>,
        before: Option<u16>,
        span: Span,
    },
    /// `weekdays`: ISO weekday numbers, 1 = Monday.
    Weekdays { days: Vec<u8>, span: Span },
    /// `semantic`: any of the categories.
    Semantic {
        categories: Vec<Category>,
        span: Span,
    },
}

/// What a rule decides and reports, shared by rules and `defaults`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub(crate) approval: Approval,
    /// The declared risk level; `None` when a `risk` decision was left to the score.
    pub(crate) risk_level: Option<RiskLevel>,
    /// Where `risk_level` was written; `None` when it was not, and the
    /// level is Aegis's default (medium), which the verdict says.
    pub(crate) level_span: Option<Span>,
    pub(crate) reason: Option<String>,
    pub(crate) approval_level: Option<u8>,
    pub(crate) compliance: Vec<String>,
}

/// One rule, as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RuleDef {
    pub(crate) name: String,
    pub(crate) span: Span,
    pub(crate) matches: Vec<FieldMatch>,
    pub(crate) conditions: Vec<ConditionDef>,
    pub(crate) outcome: Outcome,
}

/// The `risk` section.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct RiskDef {
    /// Scores up to this are allowed by `approval: risk`.
    pub(crate) allow_max: Option<u8>,
    /// Scores from this are denied by `approval: risk`.
    pub(crate) deny_min: Option<u8>,
    pub(crate) weights: Vec<(String, i32)>,
    pub(crate) sensitive_resources: Vec<Pattern>,
    pub(crate) production_targets: Vec<Pattern>,
}

/// The whole policy, as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PolicyDef {
    pub(crate) defaults: Option<Outcome>,
    pub(crate) rules: Vec<RuleDef>,
    pub(crate) servers: Vec<(Pattern, TrustLevel)>,
    pub(crate) risk: RiskDef,
}
