//! A verdict as fields: one text of the verdict's values in a fixed order,
//! each followed by [`SEP`], which `verdictFromFields` in `js/verdict.js`
//! turns into the very object `JSON.parse` makes of the verdict's JSON.
//! `JSON.parse` was the largest single cost of a decision from JavaScript
//! (it builds every object generically); the fields are half the bytes and
//! are read with a cursor into object literals of known shape.
//!
//! The order (and the JavaScript that reads it) follows the serialized
//! [`Verdict`]; the npm tests compare both forms over the whole corpus. A
//! verdict whose text holds [`SEP`], [`NULL`] or [`SAME`] has no fields
//! form ([`encode`] returns `false`) and goes as JSON.
//!
//! A long trace repeats itself: the steps of rules that failed on the same
//! field show the same clause and the same value of the call. A failed
//! clause's `field` and `actual` are written as [`SAME`] when they equal
//! those of the clause written before, and the reader reuses that string.

use portcullis::{Action, Factor, FailedClause, TraceStep, Verdict};

/// Ends every field.
pub const SEP: char = '\u{1}';
/// A field that is `null`.
pub const NULL: char = '\u{2}';
/// A field equal to the same field of the failed clause written before.
pub const SAME: char = '\u{3}';

/// Writes the verdict as fields into `text` (cleared first, so that one
/// buffer serves every verdict); `false` when one of the verdict's texts
/// holds [`SEP`] or [`NULL`] (then it goes as JSON), and then `text` holds
/// no verdict.
#[must_use]
pub fn encode(verdict: &Verdict, text: &mut String) -> bool {
    text.clear();
    let mut out = Fields { text, clean: true };
    out.word(verdict.decision.as_str());
    out.word(verdict.code.as_str());
    out.number(verdict.risk_score.into());
    out.word(verdict.risk_level.as_str());
    out.optional(verdict.rule.as_deref());
    out.text(&verdict.reason);
    out.count(verdict.factors.len());
    for Factor {
        name,
        points,
        detail,
    } in &verdict.factors
    {
        out.text(name);
        out.signed((*points).into());
        out.text(detail);
    }
    match verdict.approval_level {
        Some(level) => out.number(level.into()),
        None => out.null(),
    }
    out.count(verdict.compliance.len());
    for tag in &verdict.compliance {
        out.text(tag);
    }
    out.count(verdict.trace.len());
    let mut previous: Option<&FailedClause> = None;
    for step in &verdict.trace {
        out.step(step, previous);
        previous = step.failed.as_ref().or(previous);
    }
    let Action {
        tool,
        server,
        namespace,
        verb,
        resource,
        trust,
    } = &verdict.action;
    out.text(tool);
    out.optional(server.as_deref());
    out.text(namespace);
    out.text(verb);
    out.text(resource);
    out.optional(trust.as_deref());
    out.clean
}

struct Fields<'a> {
    text: &'a mut String,
    /// No text written so far holds [`SEP`], [`NULL`] or [`SAME`].
    clean: bool,
}

/// Whether `text` holds [`SEP`], [`NULL`] or [`SAME`]. They are single
/// ASCII bytes, which never occur inside a multi-byte character, so a byte
/// scan finds them (a `char` pattern search cost ten times more); eight
/// bytes at a time, looking closer only at a word with a byte below 4 (the
/// markers and NUL), which texts almost never have.
fn holds_marker(text: &str) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let is_marker = |b: &u8| [SEP, NULL, SAME].iter().any(|m| *b == *m as u8);
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            return chunk.iter().any(is_marker);
        };
        let word = u64::from_le_bytes(bytes);
        // Non-zero exactly when some byte of the word is below 4.
        if word.wrapping_sub(4 * ONES) & !word & HIGHS != 0 && chunk.iter().any(is_marker) {
            return true;
        }
    }
    chunks.remainder().iter().any(is_marker)
}

impl Fields<'_> {
    /// A text from the engine's fixed vocabulary (never holds a marker).
    fn word(&mut self, word: &str) {
        self.text.push_str(word);
        self.text.push(SEP);
    }

    fn text(&mut self, text: &str) {
        self.clean &= !holds_marker(text);
        self.word(text);
    }

    fn optional(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.text(text),
            None => self.null(),
        }
    }

    fn null(&mut self) {
        self.marker(NULL);
    }

    /// A field that is only a marker ([`NULL`], [`SAME`]).
    fn marker(&mut self, marker: char) {
        self.text.push(marker);
        self.text.push(SEP);
    }

    /// A number of items.
    fn count(&mut self, count: usize) {
        self.number(u64::try_from(count).unwrap_or(u64::MAX));
    }

    fn signed(&mut self, number: i64) {
        if number < 0 {
            self.text.push('-');
        }
        self.number(number.unsigned_abs());
    }

    /// Its decimal digits, as `Display` writes them (without the cost of
    /// `core::fmt`, which was a tenth of the encoding).
    fn number(&mut self, number: u64) {
        digits(self.text, number);
        self.text.push(SEP);
    }

    /// `rule, index, line, matched (1 or 0)`, then the failed clause's
    /// `field, pattern, actual` or a single null; `field` and `actual` are
    /// [`SAME`] when they equal those of `previous`.
    fn step(&mut self, step: &TraceStep, previous: Option<&FailedClause>) {
        self.text(&step.rule);
        self.count(step.index);
        self.number(step.line.into());
        self.word(if step.matched { "1" } else { "0" });
        match &step.failed {
            Some(failed) => {
                if previous.is_some_and(|p| p.field == failed.field) {
                    self.marker(SAME);
                } else {
                    self.text(&failed.field);
                }
                self.text(&failed.pattern);
                match (&failed.actual, previous.map(|p| &p.actual)) {
                    (Some(actual), Some(Some(before))) if actual == before => self.marker(SAME),
                    (actual, _) => self.optional(actual.as_deref()),
                }
            }
            None => self.null(),
        }
    }
}

/// Writes `number` in decimal.
fn digits(text: &mut String, number: u64) {
    if number >= 10 {
        digits(text, number / 10);
    }
    let digit = u8::try_from(number % 10).unwrap_or(0);
    text.push(char::from(b'0' + digit));
}

#[cfg(test)]
mod tests {
    use portcullis::{Policy, Timestamp, ToolCall};

    use super::*;

    /// The verdict's fields, or `None` when it has none.
    fn fields_of(verdict: &Verdict) -> Option<String> {
        let mut text = String::new();
        encode(verdict, &mut text).then_some(text)
    }

    fn verdict(policy: &str, call: &str) -> Option<Verdict> {
        let policy = Policy::from_yaml(policy).ok()?;
        let call = ToolCall::from_json(call).ok()?;
        Some(policy.evaluate(&call, Timestamp::from_unix_millis(0)))
    }

    const POLICY: &str = "version: 1\nrules:\n  - name: no-shell\n    match: { tool: shell }\n    approval: block\n    compliance: [SOC2]\n  - name: reads\n    match: { tool: read_file }\n    approval: auto\n";

    #[test]
    fn fields_follow_the_serialized_order() {
        let v = verdict(POLICY, r#"{"tool":"shell","arguments":{"command":"ls"}}"#);
        let text = v.as_ref().and_then(fields_of).unwrap_or_default();
        let fields: Vec<&str> = text.split(SEP).collect();
        assert_eq!(fields.first(), Some(&"deny"));
        assert_eq!(fields.get(1), Some(&"rule_block"));
        assert_eq!(fields.get(4), Some(&"no-shell"));
        let factors = v.as_ref().map_or(0, |v| v.factors.len());
        assert_eq!(fields.get(6), Some(&factors.to_string().as_str()));
        // After the factors: no approval level, one compliance tag, and a
        // one-step trace (the rule that matched, no failed clause).
        let after = 7 + 3 * factors;
        assert_eq!(fields.get(after), Some(&"\u{2}"));
        assert_eq!(fields.get(after + 1..after + 3), Some(&["1", "SOC2"][..]));
        assert_eq!(
            fields.get(after + 3..after + 9),
            Some(&["1", "no-shell", "0", "3", "1", "\u{2}"][..])
        );
        assert_eq!(fields.get(after + 9), Some(&"shell"));
        assert_eq!(fields.last(), Some(&""), "every field ends with SEP");
    }

    #[test]
    fn failed_clauses_are_three_fields() {
        let v = verdict(POLICY, r#"{"tool":"read_file"}"#);
        let text = v.as_ref().and_then(fields_of).unwrap_or_default();
        let fields: Vec<&str> = text.split(SEP).collect();
        let start = fields.iter().position(|f| *f == "no-shell");
        let step = start.and_then(|i| fields.get(i..i + 7));
        assert_eq!(
            step,
            Some(
                &[
                    "no-shell",
                    "0",
                    "3",
                    "0",
                    "match.tool",
                    "shell",
                    "read_file"
                ][..]
            )
        );
    }

    #[test]
    fn a_failed_clause_repeats_the_field_and_value_before_it_as_same() {
        let policy = "version: 1\nrules:\n  - name: a\n    match: { tool: x }\n  - name: b\n    match: { tool: y }\n  - name: c\n    match: { server: s }\n";
        let v = verdict(policy, r#"{"tool":"z"}"#);
        let text = v.as_ref().and_then(fields_of).unwrap_or_default();
        let fields: Vec<&str> = text.split(SEP).collect();
        let same = "\u{3}";
        let steps = fields.iter().position(|f| *f == "a");
        assert_eq!(
            steps.and_then(|i| fields.get(i..i + 21)),
            Some(
                &[
                    "a",
                    "0",
                    "3",
                    "0",
                    "match.tool",
                    "x",
                    "z", // the first says all
                    "b",
                    "1",
                    "5",
                    "0",
                    same,
                    "y",
                    same, // same field, same value
                    "c",
                    "2",
                    "7",
                    "0",
                    "match.server",
                    "s",
                    "(no server)",
                ][..]
            )
        );
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 255, 1000, 4_294_967_295, u64::MAX] {
            let mut text = String::new();
            digits(&mut text, n);
            assert_eq!(text, n.to_string());
        }
        for n in [0, -1, 7, -15, i64::from(i32::MIN), i64::from(i32::MAX)] {
            let mut text = String::new();
            Fields {
                text: &mut text,
                clean: true,
            }
            .signed(n);
            assert_eq!(text, format!("{n}{SEP}"));
        }
    }

    #[test]
    fn markers_are_found_anywhere_in_a_text() {
        assert!(!holds_marker(""));
        assert!(!holds_marker(
            "\0 nul, \u{4}, and ünïcødé ✓ that is long enough"
        ));
        for len in 0..20 {
            for at in 0..=len {
                for marker in [SEP, NULL, SAME] {
                    let mut text = "x".repeat(len);
                    text.insert(at, marker);
                    assert!(holds_marker(&text), "{text:?}");
                    let clean = text.replace(marker, "\0");
                    assert!(!holds_marker(&clean), "{clean:?}");
                }
            }
        }
    }

    #[test]
    fn a_buffer_is_cleared_and_reused() {
        let v = verdict(POLICY, r#"{"tool":"shell"}"#);
        let mut text = "left over".to_owned();
        let written = v.as_ref().is_some_and(|v| encode(v, &mut text));
        assert!(written);
        assert_eq!(Some(text), v.as_ref().and_then(fields_of));
    }

    #[test]
    fn a_text_holding_a_marker_goes_as_json() {
        for tool in ["sh\u{1}ell", "sh\u{2}ell", "sh\u{3}ell"] {
            let call = serde_json::json!({ "tool": tool }).to_string();
            let v = verdict(POLICY, &call);
            assert!(v.is_some());
            assert_eq!(v.as_ref().and_then(fields_of), None, "{tool:?}");
        }
    }
}
