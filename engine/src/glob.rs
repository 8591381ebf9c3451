//! Aegis-compatible glob patterns.
//!
//! Aegis matches with Python's `fnmatch`: the whole string, case-sensitive,
//! `*` matches any run of characters including `/` and the empty string,
//! `?` exactly one character, `[abc]` and `[!abc]` classes, and nothing else
//! is special. This module checks a pattern and rewrites it into `globset`
//! syntax with exactly those semantics, so the matching itself can be done
//! by one `GlobSet` per field.
//!
//! Two deliberate differences: an unclosed `[` and a reversed range (`[z-a]`)
//! are errors here, where `fnmatch` silently treats them as literal text.

use globset::{Glob, GlobBuilder};

/// A pattern that cannot be used, with the byte range of the problem inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GlobError {
    pub(crate) message: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) help: Option<String>,
}

/// Whether a pattern has no special characters (matches only itself).
pub(crate) fn is_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?', '['])
}

/// Compiles an Aegis pattern for matching.
pub(crate) fn compile(pattern: &str, case_insensitive: bool) -> Result<Glob, GlobError> {
    let translated = translate(pattern)?;
    GlobBuilder::new(&translated)
        .literal_separator(false)
        .backslash_escape(false)
        .case_insensitive(case_insensitive)
        .build()
        .map_err(|e| GlobError {
            message: format!("invalid pattern: {}", e.kind()),
            start: 0,
            end: pattern.len(),
            help: None,
        })
}

/// Rewrites an Aegis (`fnmatch`) pattern into `globset` syntax.
pub(crate) fn translate(pattern: &str) -> Result<String, GlobError> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '*' => {
                while chars.peek().is_some_and(|(_, next)| *next == '*') {
                    chars.next();
                }
                out.push('*');
            }
            '?' => out.push('?'),
            '[' => {
                let rest = pattern.get(at + 1..).unwrap_or("");
                let (class, used) = parse_class(rest, at)?;
                out.push_str(&class);
                // Skip the class body and its closing `]`.
                let stop = at + 1 + used;
                while chars.peek().is_some_and(|(i, _)| *i < stop) {
                    chars.next();
                }
            }
            '{' | '}' | ']' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// Parses a class body (after `[`), returning the `globset` class and the
/// bytes consumed including the closing `]`.
fn parse_class(rest: &str, open_at: usize) -> Result<(String, usize), GlobError> {
    let (negated, body_start) = if rest.starts_with('!') {
        (true, 1)
    } else {
        (false, 0)
    };
    let body_rest = rest.get(body_start..).unwrap_or("");
    // A `]` right after `[` or `[!` is a member, not the end.
    let search_from = usize::from(body_rest.starts_with(']'));
    let Some(close) = body_rest
        .get(search_from..)
        .and_then(|s| s.find(']'))
        .map(|i| i + search_from)
    else {
        return Err(GlobError {
            message: "unclosed `[` in pattern".to_owned(),
            start: open_at,
            end: open_at + 1,
            help: Some(
                "close the class with `]`, or write `[[]` to match a literal `[`".to_owned(),
            ),
        });
    };
    let body = body_rest.get(..close).unwrap_or("");
    let mut members: Vec<(char, char)> = Vec::new();
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let is_range = iter.peek().is_some_and(|(_, d)| *d == '-')
            && body
                .get(i + c.len_utf8() + 1..)
                .is_some_and(|s| !s.is_empty());
        if is_range {
            iter.next();
            let Some((_, end)) = iter.next() else { break };
            if end < c {
                let start = open_at + 1 + body_start + i;
                return Err(GlobError {
                    message: format!("reversed range `{c}-{end}` in pattern"),
                    start,
                    end: start + c.len_utf8() + 1 + end.len_utf8(),
                    help: Some(format!("write `{end}-{c}`")),
                });
            }
            members.push((c, end));
        } else {
            members.push((c, c));
        }
    }
    let used = body_start + close + 1;
    Ok((class_syntax(negated, &members), used))
}

/// Writes a class so that no member lands where `globset` would read it as
/// syntax: `]` first, `-` last, `^` never first.
fn class_syntax(negated: bool, members: &[(char, char)]) -> String {
    let mut ordered: Vec<(char, char)> = Vec::with_capacity(members.len());
    ordered.extend(members.iter().filter(|m| m.0 == ']'));
    ordered.extend(
        members
            .iter()
            .filter(|m| m.0 != ']' && m.0 != '^' && *m != &('-', '-')),
    );
    let has_caret = members.iter().any(|m| m.0 == '^');
    let has_dash = members.contains(&('-', '-'));
    if has_caret && ordered.is_empty() && !negated {
        // `[^]` in fnmatch is a literal caret, and a caret alone is literal
        // outside a class in globset.
        return if has_dash {
            "[-^]".to_owned()
        } else {
            "^".to_owned()
        };
    }
    let mut out = String::from(if negated { "[!" } else { "[" });
    for (start, end) in &ordered {
        out.push(*start);
        if start != end {
            out.push('-');
            out.push(*end);
        }
    }
    if has_caret {
        out.push('^');
    }
    if has_dash {
        out.push('-');
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        compile(pattern, false).is_ok_and(|g| g.compile_matcher().is_match(text))
    }

    #[test]
    fn fnmatch_semantics() {
        for (pattern, text, expected) in [
            ("read_file", "read_file", true),
            ("read_file", "read_files", false),
            ("read_file", "Read_file", false),
            ("list_*", "list_", true),
            ("list_*", "list_dir/sub", true),
            ("*", "", true),
            ("/etc/*", "/etc/ssh/sshd_config", true),
            ("/etc/**", "/etc/passwd", true),
            ("**/x", "x", false),
            ("?", "ab", false),
            ("a?c", "a/c", true),
            ("[abc]x", "bx", true),
            ("[!abc]x", "bx", false),
            ("[!abc]x", "dx", true),
            ("[^a]", "^", true),
            ("[^a]", "b", false),
            ("[]]", "]", true),
            ("[a-c]", "b", true),
            ("[a-]", "-", true),
            ("{a,b}", "{a,b}", true),
            ("{a,b}", "a", false),
            ("a\\b", "a\\b", true),
            ("*.env", "/app/prod.env", true),
            ("*credentials*", "/home/u/.aws/credentials", true),
        ] {
            assert_eq!(matches(pattern, text), expected, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn errors_point_into_the_pattern() {
        let unclosed = translate("ab[cd").err();
        assert_eq!(unclosed.as_ref().map(|e| (e.start, e.end)), Some((2, 3)));
        let reversed = translate("x[z-a]").err();
        assert_eq!(reversed.as_ref().map(|e| (e.start, e.end)), Some((2, 5)));
        assert!(reversed.is_some_and(|e| e.message.contains("`z-a`")));
    }

    #[test]
    fn case_insensitive_when_asked() {
        let glob = compile("Read*", true).map(|g| g.compile_matcher());
        assert!(glob.is_ok_and(|m| m.is_match("readfile")));
    }
}
