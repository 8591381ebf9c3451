//! The risk factors and their default points. A policy's `risk.weights`
//! overrides any of them by name; the names are also the `name` of each
//! factor in a verdict.

/// A weighted factor, by its place in [`NAMES`]: the risk model asks for
/// points by this, never by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    VerbRead,
    VerbWrite,
    VerbDelete,
    VerbExecute,
    VerbAdmin,
    VerbUnknown,
    Filesystem,
    Network,
    SensitiveResource,
    PathTraversal,
    Production,
    Bulk,
    SqlStacked,
    ShellChaining,
    ShellDestructive,
    RemoteCode,
    Privileged,
    Financial,
    Pii,
    DataExposure,
    AnnotationDestructive,
    AnnotationOpenWorld,
    AnnotationReadOnly,
    AnnotationIdempotent,
    TrustTrusted,
    TrustRestricted,
    TrustSandbox,
    Oversized,
}

impl Weight {
    /// The factor's name, as verdicts and `risk.weights` write it.
    pub(crate) fn name(self) -> &'static str {
        NAMES.get(self as usize).copied().unwrap_or_default()
    }
}

/// Every weighted factor name, in the order factors are reported (the
/// same order as `DEFAULTS`). A verdict can also carry `rule_risk_level`,
/// the points that move the score into a rule's declared level; it has no
/// weight of its own.
pub(crate) const NAMES: [&str; 28] = [
    "verb_read",
    "verb_write",
    "verb_delete",
    "verb_execute",
    "verb_admin",
    "verb_unknown",
    "filesystem",
    "network",
    "sensitive_resource",
    "path_traversal",
    "production",
    "bulk",
    "sql_stacked",
    "shell_chaining",
    "shell_destructive",
    "remote_code",
    "privileged",
    "financial",
    "pii",
    "data_exposure",
    "annotation_destructive",
    "annotation_open_world",
    "annotation_read_only",
    "annotation_idempotent",
    "trust_trusted",
    "trust_restricted",
    "trust_sandbox",
    "oversized",
];

/// Default points of each factor. Calibrated so the defaults reproduce
/// ASCEND's "Risk Levels by Operation" table: SELECT 15–30, INSERT/UPDATE
/// 40–60, DELETE 70–85, file read 20, file write 50, shell 80–95.
const DEFAULTS: [(&str, i32); 28] = [
    ("verb_read", 15),
    ("verb_write", 45),
    ("verb_delete", 75),
    ("verb_execute", 80),
    ("verb_admin", 90),
    ("verb_unknown", 40),
    ("filesystem", 5),
    ("network", 5),
    ("sensitive_resource", 30),
    ("path_traversal", 20),
    ("production", 10),
    ("bulk", 10),
    ("sql_stacked", 5),
    ("shell_chaining", 5),
    ("shell_destructive", 10),
    ("remote_code", 15),
    ("privileged", 10),
    ("financial", 10),
    ("pii", 10),
    ("data_exposure", 10),
    ("annotation_destructive", 10),
    ("annotation_open_world", 5),
    ("annotation_read_only", -10),
    ("annotation_idempotent", -5),
    ("trust_trusted", -5),
    ("trust_restricted", 5),
    ("trust_sandbox", 10),
    ("oversized", 20),
];

/// The points of every factor, defaults overridden by a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Weights {
    points: [i32; NAMES.len()],
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            points: DEFAULTS.map(|(_, points)| points),
        }
    }
}

impl Weights {
    /// Defaults with the given overrides (unknown names were rejected when
    /// the policy was read).
    pub(crate) fn with_overrides(overrides: &[(String, i32)]) -> Self {
        let mut weights = Self::default();
        for (name, value) in overrides {
            if let Some(slot) = NAMES
                .iter()
                .position(|n| n == name)
                .and_then(|i| weights.points.get_mut(i))
            {
                *slot = *value;
            }
        }
        weights
    }

    /// The points of a factor.
    pub(crate) fn get(&self, weight: Weight) -> i32 {
        self.points.get(weight as usize).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_defaults_align_and_overrides_apply() {
        assert_eq!(DEFAULTS.map(|(name, _)| name), NAMES);
        let w = Weights::with_overrides(&[("verb_read".to_owned(), 5)]);
        assert_eq!(w.get(Weight::VerbRead), 5);
        assert_eq!(w.get(Weight::VerbWrite), 45);
        assert_eq!(Weight::Oversized as usize, NAMES.len() - 1);
        assert_eq!(Weight::Oversized.name(), "oversized");
        assert_eq!(Weight::AnnotationReadOnly.name(), "annotation_read_only");
    }
}
