//! The risk model: what a call does (`classify`), what categories it falls
//! in (`semantic`), and the 0–100 score as a sum of named factors.

pub(crate) mod args;
pub(crate) mod classify;
pub(crate) mod semantic;
pub mod sql;
pub(crate) mod weights;

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::call::{Annotations, ToolCall};
use crate::index::PatternTable;
use crate::policy::model::TrustLevel;
use crate::risk::classify::{Subject, VerbClass};
use crate::risk::semantic::Semantics;
use crate::risk::weights::{Weight, Weights};
use crate::verdict::Factor;

/// Sensitive resources every policy starts with (matched ignoring case).
pub(crate) const DEFAULT_SENSITIVE: [&str; 30] = [
    "/etc/*",
    "*.env",
    "*.env.*",
    "*/.env*",
    "*credentials*",
    "*secret*",
    "*.pem",
    "*.key",
    "*id_rsa*",
    "*id_ed25519*",
    "*id_ecdsa*",
    "*/.ssh/*",
    "/root/*",
    "*/.aws/*",
    "*/.kube/*",
    "*/.docker/config.json",
    "*/.npmrc",
    "*/.pypirc",
    "*/.netrc",
    "*/.git-credentials",
    "*.p12",
    "*.pfx",
    "*/shadow",
    "*/passwd",
    "*sudoers*",
    "/proc/*",
    "/sys/*",
    "/dev/*",
    "/boot/*",
    "*docker.sock",
];

/// The built-in sensitive patterns, compiled once per process.
static BUILT_IN_SENSITIVE: LazyLock<PatternList> =
    LazyLock::new(|| PatternList::new(DEFAULT_SENSITIVE.iter().copied()));

/// `approval: risk` allows scores up to this unless `risk.thresholds`
/// says otherwise.
pub(crate) const ALLOW_MAX: u8 = 30;
/// `approval: risk` denies scores from this unless `risk.thresholds` says
/// otherwise.
pub(crate) const DENY_MIN: u8 = 71;

/// Words that mark a production target when the policy gives no
/// `production_targets` patterns.
const PRODUCTION_WORDS: [&str; 3] = ["prod", "production", "prd"];

/// Glob patterns, matched ignoring case, with the texts they were written as.
#[derive(Debug)]
pub(crate) struct PatternList {
    table: PatternTable,
    texts: Vec<String>,
}

impl PatternList {
    /// Compiles the patterns; a bad one matches nothing (it was reported
    /// while checking the policy).
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Self {
        let texts: Vec<String> = patterns.into_iter().map(str::to_owned).collect();
        let table = PatternTable::new(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| (t.as_str(), u32::try_from(i).unwrap_or(u32::MAX))),
            true,
        );
        Self { table, texts }
    }

    /// The first pattern (as written) that matches `text`.
    pub(crate) fn first_match(&self, text: &str) -> Option<&str> {
        self.table
            .first_match(text)
            .and_then(|i| self.texts.get(i as usize))
            .map(String::as_str)
    }
}

/// The scoring half of a compiled policy.
#[derive(Debug)]
pub(crate) struct RiskModel {
    pub(crate) weights: Weights,
    /// `approval: risk` allows scores up to this.
    pub(crate) allow_max: u8,
    /// `approval: risk` denies scores from this.
    pub(crate) deny_min: u8,
    /// Sensitive patterns the policy adds to the built-in ones.
    extra_sensitive: Option<PatternList>,
    production: Option<PatternList>,
}

impl Default for RiskModel {
    fn default() -> Self {
        Self::new(Weights::default(), None, None, &[], &[])
    }
}

/// Everything the score depends on for one reading of a call.
pub(crate) struct ScoreInput<'a> {
    pub(crate) call: &'a ToolCall,
    pub(crate) subject: &'a Subject,
    pub(crate) semantics: &'a Semantics,
    pub(crate) server: Option<&'a str>,
    pub(crate) resource: &'a str,
    pub(crate) trust: Option<TrustLevel>,
}

impl RiskModel {
    pub(crate) fn new(
        weights: Weights,
        allow_max: Option<u8>,
        deny_min: Option<u8>,
        sensitive: &[String],
        production: &[String],
    ) -> Self {
        let extra_sensitive =
            (!sensitive.is_empty()).then(|| PatternList::new(sensitive.iter().map(String::as_str)));
        let production = (!production.is_empty())
            .then(|| PatternList::new(production.iter().map(String::as_str)));
        Self {
            weights,
            allow_max: allow_max.unwrap_or(ALLOW_MAX),
            deny_min: deny_min.unwrap_or(DENY_MIN),
            extra_sensitive,
            production,
        }
    }

    fn factor(&self, weight: Weight, detail: impl Into<Cow<'static, str>>) -> Factor {
        Factor {
            name: weight.name().into(),
            points: self.weights.get(weight),
            detail: detail.into(),
        }
    }

    /// The factors of one reading of a call, in report order, the first
    /// one its class with `detail` (the subject's).
    // Out of line, for wasm cold start (see the crate docs).
    #[inline(never)]
    pub(crate) fn factors(&self, input: &ScoreInput<'_>, detail: String) -> Vec<Factor> {
        let subject = input.subject;
        let mut out = Vec::with_capacity(6);
        out.push(self.factor(subject.class.factor(), detail));
        match &*subject.namespace {
            "filesystem" => out.push(self.factor(Weight::Filesystem, "touches the filesystem")),
            "network" => out.push(self.factor(Weight::Network, "reaches the network")),
            _ => {}
        }
        if let Some((what, pattern)) = self.sensitive_hit(input) {
            out.push(self.factor(
                Weight::SensitiveResource,
                format!("`{what}` matches the sensitive pattern `{pattern}`"),
            ));
        }
        if let Some(path) = subject.paths.iter().find(|p| p.starts_with("..")) {
            out.push(self.factor(
                Weight::PathTraversal,
                format!("`{path}` climbs out of the working directory"),
            ));
        }
        if let Some(target) = self.production_hit(input) {
            out.push(self.factor(
                Weight::Production,
                format!("`{target}` looks like production"),
            ));
        }
        if let Some(why) = &subject.bulk {
            out.push(self.factor(Weight::Bulk, why.clone()));
        }
        if let Some(q) = subject.sql.as_ref().filter(|q| q.stacked()) {
            out.push(self.factor(
                Weight::SqlStacked,
                format!("{} SQL statements in one query", q.statements.len()),
            ));
        }
        self.shell_factors(subject, &mut out);
        for (name, found) in [
            (Weight::Privileged, &input.semantics.privileged),
            (Weight::Financial, &input.semantics.financial),
            (Weight::Pii, &input.semantics.pii),
            (Weight::DataExposure, &input.semantics.data_exposure),
        ] {
            if let Some(why) = found {
                out.push(self.factor(name, why.clone()));
            }
        }
        self.annotation_factors(input, &mut out);
        if let Some(trust) = input.trust {
            let server = input.server.unwrap_or_default();
            let name = match trust {
                TrustLevel::Trusted => Weight::TrustTrusted,
                TrustLevel::Restricted => Weight::TrustRestricted,
                TrustLevel::Sandbox => Weight::TrustSandbox,
            };
            out.push(self.factor(name, format!("server `{server}` is {}", trust.as_str())));
        }
        if let Some(key) = subject.oversized.first() {
            out.push(self.factor(
                Weight::Oversized,
                format!("`{key}` is too large to inspect, so what it holds is unknown"),
            ));
        }
        out
    }

    fn sensitive_hit(&self, input: &ScoreInput<'_>) -> Option<(String, String)> {
        std::iter::once(input.resource)
            .chain(
                input
                    .subject
                    .paths
                    .iter()
                    .map(String::as_str)
                    .filter(|p| *p != input.resource),
            )
            .find_map(|what| {
                BUILT_IN_SENSITIVE
                    .first_match(what)
                    .or_else(|| self.extra_sensitive.as_ref()?.first_match(what))
                    .map(|p| (what.to_owned(), p.to_owned()))
            })
    }

    fn production_hit(&self, input: &ScoreInput<'_>) -> Option<String> {
        let subject = input.subject;
        let host = subject
            .urls
            .first()
            .and_then(|u| crate::normalize::url::host_of(u));
        let candidates = input
            .server
            .into_iter()
            .chain(subject.database.as_deref())
            .chain(host)
            .chain(subject.environments.iter().map(String::as_str));
        for candidate in candidates {
            let hit = match &self.production {
                Some(patterns) => patterns.first_match(candidate).is_some(),
                None => candidate
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| PRODUCTION_WORDS.iter().any(|p| p.eq_ignore_ascii_case(w))),
            };
            if hit {
                return Some(candidate.to_owned());
            }
        }
        None
    }

    // Out of line, for wasm cold start (see the crate docs).
    #[inline(never)]
    fn shell_factors(&self, subject: &Subject, out: &mut Vec<Factor>) {
        let Some(line) = &subject.shell else {
            return;
        };
        if line.chained || line.substitution {
            let how: Cow<'static, str> = if line.substitution {
                "uses command substitution".into()
            } else {
                format!("chains {} commands", line.commands.len()).into()
            };
            out.push(self.factor(Weight::ShellChaining, how));
        }
        const DESTRUCTIVE: [&str; 12] = [
            "rm", "rmdir", "dd", "mkfs", "shred", "truncate", "wipefs", "fdisk", "shutdown",
            "reboot", "halt", "poweroff",
        ];
        if let Some(c) = line
            .commands
            .iter()
            .find(|c| DESTRUCTIVE.contains(&c.program().split('.').next().unwrap_or("")))
        {
            out.push(self.factor(
                Weight::ShellDestructive,
                format!("`{}` destroys data", c.program()),
            ));
        }
        const FETCHERS: [&str; 3] = ["curl", "wget", "fetch"];
        const RUNNERS: [&str; 12] = [
            "sh", "bash", "zsh", "dash", "ksh", "python", "python3", "perl", "ruby", "node", "php",
            "source",
        ];
        let fetches = line
            .commands
            .iter()
            .any(|c| FETCHERS.contains(&c.program()));
        let runs = line.commands.iter().any(|c| RUNNERS.contains(&c.program()))
            || (line.substitution && line.commands.iter().any(|c| c.program() == "eval"));
        if fetches && (runs || line.substitution) {
            out.push(self.factor(Weight::RemoteCode, "downloads code and runs it"));
        }
    }

    fn annotation_factors(&self, input: &ScoreInput<'_>, out: &mut Vec<Factor>) {
        let subject = input.subject;
        let none = Annotations::default();
        let hints = input.call.annotations.as_ref().unwrap_or(&none);
        let trusted = input.trust == Some(TrustLevel::Trusted);
        let unknown = subject.class == VerbClass::Unknown;
        if hints.read_only_hint == Some(true) {
            if trusted {
                out.push(self.factor(
                    Weight::AnnotationReadOnly,
                    "the trusted server declares readOnlyHint",
                ));
            } else {
                out.push(Factor {
                    name: Weight::AnnotationReadOnly.name().into(),
                    points: 0,
                    detail: "readOnlyHint ignored: annotations count only from trusted servers"
                        .into(),
                });
            }
            return;
        }
        match hints.destructive_hint {
            Some(true) if subject.class < VerbClass::Delete => out.push(self.factor(
                Weight::AnnotationDestructive,
                "the tool declares destructiveHint",
            )),
            None if unknown => out.push(self.factor(
                Weight::AnnotationDestructive,
                "no destructiveHint: MCP assumes a tool may be destructive",
            )),
            _ => {}
        }
        if subject.namespace != "network" {
            match hints.open_world_hint {
                Some(true) => out.push(self.factor(
                    Weight::AnnotationOpenWorld,
                    "the tool declares openWorldHint",
                )),
                None if unknown => out.push(self.factor(
                    Weight::AnnotationOpenWorld,
                    "no openWorldHint: MCP assumes a tool reaches the outside world",
                )),
                _ => {}
            }
        }
        if hints.idempotent_hint == Some(true) && trusted {
            out.push(self.factor(
                Weight::AnnotationIdempotent,
                "the trusted server declares idempotentHint",
            ));
        }
    }
}

/// The score of a list of factors: their sum, clamped to 0–100.
pub(crate) fn total(factors: &[Factor]) -> u8 {
    let sum: i32 = factors.iter().map(|f| f.points).sum();
    u8::try_from(sum.clamp(0, 100)).unwrap_or(100)
}
