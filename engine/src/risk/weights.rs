//! The risk factors and their default points. A policy's `risk.weights`
//! overrides any of them by name; the names are also the `name` of each
//! factor in a verdict.

/// A weighted factor: the risk model asks for points by this, never by
/// name. Its place in [`FACTORS`] is its discriminant.
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
        FACTORS.get(self as usize).map_or("", |(_, name, _)| name)
    }
}

/// Every weighted factor with its name and default points, in the order
/// factors are reported. A verdict can also carry `rule_risk_level`, the
/// points that move the score into a rule's declared level; it has no
/// weight of its own. The default points are calibrated so the defaults
/// reproduce ASCEND's "Risk Levels by Operation" table: SELECT 15–30,
/// INSERT/UPDATE 40–60, DELETE 70–85, file read 20, file write 50, shell
/// 80–95.
const FACTORS: [(Weight, &str, i32); 28] = [
    (Weight::VerbRead, "verb_read", 15),
    (Weight::VerbWrite, "verb_write", 45),
    (Weight::VerbDelete, "verb_delete", 75),
    (Weight::VerbExecute, "verb_execute", 80),
    (Weight::VerbAdmin, "verb_admin", 90),
    (Weight::VerbUnknown, "verb_unknown", 40),
    (Weight::Filesystem, "filesystem", 5),
    (Weight::Network, "network", 5),
    (Weight::SensitiveResource, "sensitive_resource", 30),
    (Weight::PathTraversal, "path_traversal", 20),
    (Weight::Production, "production", 10),
    (Weight::Bulk, "bulk", 10),
    (Weight::SqlStacked, "sql_stacked", 5),
    (Weight::ShellChaining, "shell_chaining", 5),
    (Weight::ShellDestructive, "shell_destructive", 10),
    (Weight::RemoteCode, "remote_code", 15),
    (Weight::Privileged, "privileged", 10),
    (Weight::Financial, "financial", 10),
    (Weight::Pii, "pii", 10),
    (Weight::DataExposure, "data_exposure", 10),
    (Weight::AnnotationDestructive, "annotation_destructive", 10),
    (Weight::AnnotationOpenWorld, "annotation_open_world", 5),
    (Weight::AnnotationReadOnly, "annotation_read_only", -10),
    (Weight::AnnotationIdempotent, "annotation_idempotent", -5),
    (Weight::TrustTrusted, "trust_trusted", -5),
    (Weight::TrustRestricted, "trust_restricted", 5),
    (Weight::TrustSandbox, "trust_sandbox", 10),
    (Weight::Oversized, "oversized", 20),
];

/// The names a policy's `risk.weights` may use.
pub(crate) fn names() -> [&'static str; FACTORS.len()] {
    FACTORS.map(|(_, name, _)| name)
}

/// The points of every factor, defaults overridden by a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Weights {
    points: [i32; FACTORS.len()],
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            points: FACTORS.map(|(_, _, points)| points),
        }
    }
}

impl Weights {
    /// Defaults with the given overrides (unknown names were rejected when
    /// the policy was read).
    pub(crate) fn with_overrides(overrides: &[(String, i32)]) -> Self {
        let mut weights = Self::default();
        for (name, value) in overrides {
            if let Some(slot) = FACTORS
                .iter()
                .position(|(_, n, _)| n == name)
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
    fn each_weight_sits_at_its_place_and_overrides_apply() {
        for (i, (weight, name, _)) in FACTORS.iter().enumerate() {
            assert_eq!(*weight as usize, i, "{name}");
            assert_eq!(weight.name(), *name);
        }
        let w = Weights::with_overrides(&[("verb_read".to_owned(), 5)]);
        assert_eq!(w.get(Weight::VerbRead), 5);
        assert_eq!(w.get(Weight::VerbWrite), 45);
        assert_eq!(
            Weights::with_overrides(&[("nope".to_owned(), 5)]),
            Weights::default()
        );
        assert_eq!(Weight::Oversized.name(), "oversized");
        assert_eq!(Weight::AnnotationReadOnly.name(), "annotation_read_only");
    }
}
