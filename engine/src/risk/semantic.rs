//! The `semantic` categories: whether a call is destructive, exposes data,
//! uses privileges, moves money or carries personal data. Each found
//! category comes with the reason it was found.

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::call::ToolCall;
use crate::index::FnvMap;
use crate::policy::model::Category;
use crate::risk::args::Args;
use crate::risk::classify::{Subject, VerbClass};
use crate::risk::sql::SqlClass;
use crate::text;

/// The categories found in a call, each with why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Semantics {
    pub(crate) destructive: Option<Cow<'static, str>>,
    pub(crate) data_exposure: Option<Cow<'static, str>>,
    pub(crate) privileged: Option<Cow<'static, str>>,
    pub(crate) financial: Option<Cow<'static, str>>,
    pub(crate) pii: Option<Cow<'static, str>>,
}

impl Semantics {
    pub(crate) fn get(&self, category: Category) -> Option<&str> {
        match category {
            Category::Destructive => self.destructive.as_deref(),
            Category::DataExposure => self.data_exposure.as_deref(),
            Category::Privileged => self.privileged.as_deref(),
            Category::Financial => self.financial.as_deref(),
            Category::Pii => self.pii.as_deref(),
        }
    }
}

const DESTRUCTIVE_WORDS: [&str; 18] = [
    "delete",
    "remove",
    "rm",
    "drop",
    "truncate",
    "destroy",
    "wipe",
    "purge",
    "erase",
    "kill",
    "terminate",
    "shutdown",
    "format",
    "reset",
    "overwrite",
    "revoke",
    "unlink",
    "rmdir",
];
const DESTRUCTIVE_PROGRAMS: [&str; 16] = [
    "rm", "rmdir", "dd", "mkfs", "shred", "truncate", "wipefs", "fdisk", "kill", "pkill",
    "killall", "shutdown", "reboot", "halt", "poweroff", "unlink",
];
const EXPOSURE_WORDS: [&str; 14] = [
    "export",
    "dump",
    "upload",
    "send",
    "share",
    "publish",
    "email",
    "mail",
    "post",
    "forward",
    "sync",
    "backup",
    "webhook",
    "exfiltrate",
];
const EXPOSURE_PROGRAMS: [&str; 9] = [
    "curl", "wget", "scp", "rsync", "nc", "ncat", "netcat", "ftp", "sftp",
];
const PRIVILEGE_WORDS: [&str; 15] = [
    "sudo",
    "admin",
    "root",
    "grant",
    "revoke",
    "chmod",
    "chown",
    "permission",
    "permissions",
    "role",
    "roles",
    "iam",
    "privilege",
    "escalate",
    "superuser",
];
const PRIVILEGE_PROGRAMS: [&str; 14] = [
    "sudo",
    "su",
    "doas",
    "chmod",
    "chown",
    "chgrp",
    "setcap",
    "usermod",
    "useradd",
    "passwd",
    "visudo",
    "iptables",
    "mount",
    "systemctl",
];
const PRIVILEGED_PATHS: [&str; 5] = [
    "/etc/sudoers",
    "/etc/shadow",
    "/root",
    "/etc/passwd",
    "/etc/group",
];
const FINANCIAL_WORDS: [&str; 27] = [
    "pay",
    "payment",
    "payments",
    "payout",
    "transfer",
    "refund",
    "charge",
    "invoice",
    "billing",
    "bill",
    "wire",
    "withdraw",
    "withdrawal",
    "deposit",
    "transaction",
    "stripe",
    "paypal",
    "purchase",
    "checkout",
    "subscription",
    "ledger",
    "bank",
    "trade",
    "buy",
    "sell",
    "wallet",
    "crypto",
];
const FINANCIAL_KEYS: [&str; 10] = [
    "amount",
    "currency",
    "iban",
    "account_number",
    "routing_number",
    "card_number",
    "price",
    "swift",
    "bic",
    "total",
];
const PII_KEYS: [&str; 27] = [
    "ssn",
    "social_security",
    "social_security_number",
    "dob",
    "date_of_birth",
    "birthdate",
    "passport",
    "passport_number",
    "email",
    "email_address",
    "phone",
    "phone_number",
    "address",
    "street",
    "postal_code",
    "zip",
    "credit_card",
    "card_number",
    "cvv",
    "national_id",
    "tax_id",
    "driver_license",
    "first_name",
    "last_name",
    "full_name",
    "diagnosis",
    "medical_record",
];

/// A key of the key lists above, as a call's argument key: the lists it is
/// in and what a verdict says of a call with that argument.
pub(crate) struct Listed {
    /// The lists that hold it, a bit each, in the order of `LISTS`.
    kinds: u8,
    /// "it has an argument `key`", written once.
    argument: String,
}

/// The key lists as one map: a call's argument keys are each looked up once
/// (a tool name's words carry their lists already, see `classify::Word`).
static KEYS: LazyLock<FnvMap<&'static str, Listed>> = LazyLock::new(|| {
    let mut map: FnvMap<&'static str, Listed> = FnvMap::default();
    for bit in [FINANCIAL_KEY, PII_KEY] {
        for text in LISTS.get(bit).copied().unwrap_or_default() {
            map.entry(*text)
                .or_insert_with(|| Listed {
                    kinds: 0,
                    argument: text::join(&["it has an argument `", text, "`"]),
                })
                .kinds |= 1 << bit;
        }
    }
    map
});

/// The categories' word and key lists, a bit each in `classify::Word::kinds`
/// and [`Listed::kinds`].
pub(crate) const LISTS: [&[&str]; 6] = [
    &DESTRUCTIVE_WORDS,
    &EXPOSURE_WORDS,
    &PRIVILEGE_WORDS,
    &FINANCIAL_WORDS,
    &FINANCIAL_KEYS,
    &PII_KEYS,
];
const DESTRUCTIVE: usize = 0;
const EXPOSURE: usize = 1;
const PRIVILEGE: usize = 2;
const FINANCIAL: usize = 3;
const FINANCIAL_KEY: usize = 4;
const PII_KEY: usize = 5;

/// For each of `LISTS`, the first of `items` in it; each item comes with
/// the lists that hold it (a bit each).
fn first_in_lists<T: Copy>(items: impl Iterator<Item = (T, u8)>) -> [Option<T>; 6] {
    let mut first = [None; 6];
    for (item, kinds) in items {
        for (bit, slot) in first.iter_mut().enumerate() {
            if kinds & (1 << bit) != 0 && slot.is_none() {
                *slot = Some(item);
            }
        }
    }
    first
}

/// Finds the categories of a call.
// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
pub(crate) fn categorize(call: &ToolCall, subject: &Subject, args: &Args<'_>) -> Semantics {
    // What is said of a listed word or key is written once, in the tables.
    let listed: &'static FnvMap<&'static str, Listed> = &KEYS;
    let words = first_in_lists(subject.words.iter().map(|w| (w.says.as_str(), w.kinds)));
    let keys = first_in_lists(
        args.keys()
            .filter_map(|k| listed.get(&*k))
            .map(|l| (l.argument.as_str(), l.kinds)),
    );
    let program = |list: &[&str]| {
        subject.shell.as_ref().and_then(|line| {
            line.commands
                .iter()
                .find(|c| {
                    // `mkfs.ext4` is `mkfs`.
                    let name = c.program().split('.').next().unwrap_or("");
                    list.contains(&name)
                })
                .map(|c| c.program().to_owned())
        })
    };
    let destructive: Option<Cow<'static, str>> = if subject.class == VerbClass::Delete {
        Some("it is a delete operation".into())
    } else if subject.class == VerbClass::Admin {
        Some("it is an admin operation".into())
    } else if let Some(p) = program(&DESTRUCTIVE_PROGRAMS) {
        Some(format!("it runs `{p}`").into())
    } else if let Some(w) = words[DESTRUCTIVE] {
        Some(w.into())
    } else if subject.sql.as_ref().is_some_and(|q| q.unbounded()) {
        Some("its SQL changes every row".into())
    } else {
        let declared = call
            .annotations
            .as_ref()
            .is_some_and(|a| a.destructive_hint == Some(true) && a.read_only_hint != Some(true));
        declared.then_some("the tool declares destructiveHint".into())
    };

    let network_write = subject.namespace == "network"
        && matches!(subject.class, VerbClass::Write | VerbClass::Delete);
    let sql_outfile = subject
        .sql
        .as_ref()
        .and_then(|q| q.statements.iter().find_map(|st| st.detail.clone()))
        .filter(|d| d.contains("OUTFILE") || d.contains("DUMPFILE"));
    let data_exposure: Option<Cow<'static, str>> = if let Some(w) = words[EXPOSURE] {
        Some(w.into())
    } else if network_write {
        Some("it sends data over the network".into())
    } else if let Some(d) = sql_outfile {
        Some(format!("its SQL {d}").into())
    } else {
        program(&EXPOSURE_PROGRAMS).map(|p| format!("it runs `{p}`").into())
    };

    let sql_privileged = subject.sql.as_ref().and_then(|q| {
        q.statements
            .iter()
            .find(|st| {
                st.class == SqlClass::Admin
                    && (matches!(st.keyword.as_str(), "GRANT" | "REVOKE" | "SET")
                        || st.detail.as_ref().is_some_and(|d| d.contains("privileged")))
            })
            .map(|st| format!("its SQL runs `{}`", st.keyword))
    });
    let elevated = subject
        .shell
        .as_ref()
        .is_some_and(|l| l.commands.iter().any(|c| c.elevated));
    let privileged_path = subject.paths.iter().find(|p| {
        PRIVILEGED_PATHS.iter().any(|pp| {
            p.strip_prefix(pp)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    });
    let privileged: Option<Cow<'static, str>> = if elevated {
        Some("it runs with elevated privileges".into())
    } else if let Some(p) = program(&PRIVILEGE_PROGRAMS) {
        Some(format!("it runs `{p}`").into())
    } else if let Some(d) = sql_privileged {
        Some(d.into())
    } else if let Some(w) = words[PRIVILEGE] {
        Some(w.into())
    } else {
        privileged_path.map(|p| format!("it touches `{p}`").into())
    };

    let financial: Option<Cow<'static, str>> =
        words[FINANCIAL].or(keys[FINANCIAL_KEY]).map(Cow::Borrowed);

    let pii: Option<Cow<'static, str>> = if let Some(k) = keys[PII_KEY] {
        Some(k.into())
    } else {
        args.texts
            .iter()
            .find_map(|t| personal_data(t.value).map(|kind| format!("`{}` holds {kind}", t.path)))
            .map(Cow::Owned)
    };
    Semantics {
        destructive,
        data_exposure,
        privileged,
        financial,
        pii,
    }
}

/// Whether a text looks like personal data, and which kind.
fn personal_data(text: &str) -> Option<&'static str> {
    if text.len() > 4096 {
        return None;
    }
    // An email address needs an `@`; a social security number 9 digits,
    // a card number 13: most texts have neither, and one pass over the
    // bytes says so.
    let (mut at, mut digits) = (false, 0usize);
    for b in text.bytes() {
        at |= b == b'@';
        digits += usize::from(b.is_ascii_digit());
    }
    if !at && digits < 9 {
        return None;
    }
    for word in text.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"' | '\'' | '(' | ')')
    }) {
        if is_email(word) {
            return Some("an email address");
        }
        if is_ssn(word) {
            return Some("a social security number");
        }
    }
    if has_card_number(text) {
        return Some("a payment card number");
    }
    None
}

fn is_email(word: &str) -> bool {
    let Some((local, domain)) = word.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || ".-".contains(c))
}

fn is_ssn(word: &str) -> bool {
    let digits = |part: Option<&str>, len: usize| {
        part.is_some_and(|p| p.len() == len && p.bytes().all(|d| d.is_ascii_digit()))
    };
    let mut parts = word.split('-');
    digits(parts.next(), 3)
        && digits(parts.next(), 2)
        && digits(parts.next(), 4)
        && parts.next().is_none()
}

/// A run of 13–19 digits (spaces and dashes allowed between) that passes
/// the Luhn check.
fn has_card_number(text: &str) -> bool {
    let mut digits: Vec<u32> = Vec::new();
    let check = |digits: &[u32]| (13..=19).contains(&digits.len()) && luhn(digits);
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            digits.push(d);
        } else if c == ' ' || c == '-' {
            continue;
        } else {
            if check(&digits) {
                return true;
            }
            digits.clear();
        }
    }
    check(&digits)
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn semantics_of(tool: &str, arguments: serde_json::Value) -> Result<Semantics, String> {
        let mut call = ToolCall::new(tool);
        if let serde_json::Value::Object(map) = arguments {
            call.arguments = map;
        }
        let args = Args::collect(&call.arguments);
        let subjects = crate::risk::classify::classify(&call, tool, &args, 1 << 20)?;
        let subject = subjects.first().ok_or("no reading")?;
        Ok(categorize(&call, subject, &args))
    }

    #[test]
    fn details_read_as_sentences() -> Result<(), String> {
        let paid = semantics_of("send", serde_json::json!({ "Amount": 5 }))?;
        assert_eq!(
            paid.financial.as_deref(),
            Some("it has an argument `amount`")
        );
        let dropped = semantics_of("run_sql", serde_json::json!({ "query": "DROP TABLE t" }))?;
        assert_eq!(
            dropped.destructive.as_deref(),
            Some("it is an admin operation")
        );
        Ok(())
    }

    #[test]
    fn personal_data_shapes() {
        for (text, expected) in [
            ("mail bob@example.com today", Some("an email address")),
            ("ssn 123-45-6789", Some("a social security number")),
            ("card 4111 1111 1111 1111", Some("a payment card number")),
            ("card 4111 1111 1111 1112", None),
            ("order 12345", None),
            ("a@b", None),
        ] {
            assert_eq!(personal_data(text), expected, "{text}");
        }
    }
}
