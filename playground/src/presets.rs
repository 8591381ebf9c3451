//! The example policies, each with its scenarios, embedded in the build.

use crate::model::{CallForm, SNAPSHOT_VERSION, ScenarioInput, Scenarios, Snapshot};
use crate::suite_io;

/// An example policy with its scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Stable id (used in links and tests).
    pub id: &'static str,
    /// The name shown in the picker.
    pub title: &'static str,
    /// One sentence on what it shows.
    pub summary: &'static str,
    /// The policy YAML.
    pub policy: &'static str,
    /// The scenarios, as a test suite (without a policy).
    pub suite: &'static str,
}

/// Every preset, the first being the one a new visitor sees.
pub const PRESETS: [Preset; 6] = [
    Preset {
        id: "aegis-quickstart",
        title: "Aegis MCP quickstart",
        summary: "The quickstart's policy unchanged: per-tool rules, first match wins, production blocked.",
        policy: include_str!("../presets/aegis-quickstart.policy.yaml"),
        suite: include_str!("../presets/aegis-quickstart.suite.yaml"),
    },
    Preset {
        id: "per-server",
        title: "Per-server dev / staging / prod",
        summary: "Rules by server plus ASCEND trust levels: dev permissive, staging reviewed, prod read-only.",
        policy: include_str!("../presets/per-server.policy.yaml"),
        suite: include_str!("../presets/per-server.suite.yaml"),
    },
    Preset {
        id: "ascend-risk",
        title: "ASCEND risk thresholds",
        summary: "No hand-written decisions: the 0–100 score decides (allow ≤ 30, deny ≥ 71), with custom weights.",
        policy: include_str!("../presets/ascend-risk.policy.yaml"),
        suite: include_str!("../presets/ascend-risk.suite.yaml"),
    },
    Preset {
        id: "sensitive-files",
        title: "Sensitive-file protection",
        summary: "Writes to /etc/*, *.env and *credentials* denied, whatever the path's spelling.",
        policy: include_str!("../presets/sensitive-files.policy.yaml"),
        suite: include_str!("../presets/sensitive-files.suite.yaml"),
    },
    Preset {
        id: "sql-governance",
        title: "SQL governance",
        summary: "The engine reads the SQL: schema changes blocked, production writes to a DBA, personal data reviewed.",
        policy: include_str!("../presets/sql-governance.policy.yaml"),
        suite: include_str!("../presets/sql-governance.suite.yaml"),
    },
    Preset {
        id: "payments-hours",
        title: "Payments and business hours",
        summary: "Conditions on amounts, time of day, weekdays and meaning (semantic: financial).",
        policy: include_str!("../presets/payments-hours.policy.yaml"),
        suite: include_str!("../presets/payments-hours.suite.yaml"),
    },
];

/// The preset with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

impl Preset {
    /// The playground's state for this preset: its policy, its scenarios,
    /// and its first scenario's call in the form.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        let scenarios = suite_io::import(self.suite)
            .map(|i| i.scenarios)
            .unwrap_or_else(|_| Scenarios {
                name: self.title.to_owned(),
                ..Scenarios::default()
            });
        let call = scenarios
            .cases
            .iter()
            .find_map(|case| match &case.input {
                ScenarioInput::Call(call) => {
                    Some(CallForm::from_call_json(call, case.time.as_deref()))
                }
                ScenarioInput::Message { .. } => None,
            })
            .unwrap_or_default();
        Snapshot {
            v: SNAPSHOT_VERSION,
            preset: Some(self.id.to_owned()),
            policy: self.policy.to_owned(),
            scenarios,
            call,
            tools: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis::{Policy, Suite};

    #[test]
    fn every_preset_loads_without_warnings_and_its_scenarios_pass() -> Result<(), String> {
        for preset in &PRESETS {
            let policy =
                Policy::from_yaml(preset.policy).map_err(|e| format!("{}: {e}", preset.id))?;
            assert!(
                policy.warnings().is_empty(),
                "{}: {:?}",
                preset.id,
                policy.warnings()
            );
            let suite =
                Suite::from_yaml(preset.suite).map_err(|e| format!("{}: {e}", preset.id))?;
            let report = suite.run_against(&policy);
            assert!(
                report.cases.len() >= 6,
                "{} has {} scenarios",
                preset.id,
                report.cases.len()
            );
            for case in &report.cases {
                assert!(
                    case.passed,
                    "{}: {} failed: {:?}",
                    preset.id, case.name, case.failures
                );
            }
        }
        Ok(())
    }

    #[test]
    fn every_preset_reads_into_the_same_scenarios() -> Result<(), String> {
        for preset in &PRESETS {
            let snapshot = preset.snapshot();
            let imported = suite_io::import(preset.suite).map_err(|e| format!("{e:?}"))?;
            assert!(imported.skipped.is_empty(), "{}", preset.id);
            assert_eq!(snapshot.scenarios, imported.scenarios);
            assert!(
                snapshot.call.to_call().is_ok(),
                "{}: {:?}",
                preset.id,
                snapshot.call
            );
            let exported = suite_io::export(&snapshot.scenarios);
            let policy = Policy::from_yaml(preset.policy).map_err(|e| e.to_string())?;
            let report = Suite::from_yaml(&exported)
                .map_err(|e| e.to_string())?
                .run_against(&policy);
            assert_eq!(report.failed(), 0, "{}: {exported}", preset.id);
        }
        Ok(())
    }

    #[test]
    fn the_quickstart_preset_is_the_corpus_policy() -> Result<(), String> {
        let corpus = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/policies/aegis-quickstart.yaml"
        ))
        .map_err(|e| e.to_string())?;
        let rules = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .map(str::to_owned)
                .collect()
        };
        let preset = find("aegis-quickstart").ok_or("no quickstart preset")?;
        assert_eq!(rules(preset.policy), rules(&corpus));
        Ok(())
    }
}
