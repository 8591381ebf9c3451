//! Aegis-compatible glob patterns.
//!
//! Aegis matches with Python's `fnmatch`: the whole string, case-sensitive,
//! `*` matches any run of characters including `/` and the empty string,
//! `?` exactly one character, `[abc]` and `[!abc]` classes (a `]` right
//! after `[` or `[!` is a member; `-` between two characters is a range),
//! and nothing else is special. This module parses patterns and matches them
//! with the classic wildcard algorithm, which backtracks only to the last
//! `*`, so a match costs at most (pattern length × text length) steps, never
//! more.
//!
//! Two deliberate differences: an unclosed `[` and a reversed range (`[z-a]`)
//! are errors here, where `fnmatch` silently treats them as literal text.

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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `?`
    One,
    /// `*` (runs of stars are one token)
    Any,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    tokens: Vec<Token>,
    case_insensitive: bool,
}

/// Compiles an Aegis pattern for matching.
pub(crate) fn compile(pattern: &str, case_insensitive: bool) -> Result<Glob, GlobError> {
    let mut tokens = parse(pattern)?;
    if case_insensitive {
        for token in &mut tokens {
            match token {
                Token::Literal(c) => *c = fold(*c),
                Token::Class { ranges, .. } => fold_ranges(ranges),
                Token::One | Token::Any => {}
            }
        }
    }
    Ok(Glob {
        tokens,
        case_insensitive,
    })
}

/// Checks a pattern, reporting the first problem.
pub(crate) fn check(pattern: &str) -> Result<(), GlobError> {
    parse(pattern).map(|_| ())
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The widest class range whose characters are folded one by one; a wider
/// range (`[\u{100}-\u{10FFFF}]`) keeps only the ASCII letters in it folded.
const FOLDED_RANGE_WIDTH: u32 = 1024;

/// Adds to a class the folded form of each character in it, so that a
/// case-insensitive match needs only compare the folded text character.
fn fold_ranges(ranges: &mut Vec<(char, char)>) {
    let mut added = Vec::new();
    for &(lo, hi) in ranges.iter() {
        let (a, z) = (lo.max('A'), hi.min('Z'));
        if a <= z {
            added.push((a.to_ascii_lowercase(), z.to_ascii_lowercase()));
        }
        if u32::from(hi) - u32::from(lo) <= FOLDED_RANGE_WIDTH {
            let non_ascii = (u32::from(lo).max(0x80)..=u32::from(hi)).filter_map(char::from_u32);
            for c in non_ascii {
                let f = fold(c);
                if f != c {
                    added.push((f, f));
                }
            }
        }
    }
    ranges.extend(added);
}

fn parse(pattern: &str) -> Result<Vec<Token>, GlobError> {
    let mut tokens = Vec::with_capacity(pattern.len());
    let mut chars = pattern.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '*' => {
                if tokens.last() != Some(&Token::Any) {
                    tokens.push(Token::Any);
                }
            }
            '?' => tokens.push(Token::One),
            '[' => {
                let rest = pattern.get(at + 1..).unwrap_or("");
                let (class, used) = parse_class(rest, at)?;
                tokens.push(class);
                let stop = at + 1 + used;
                while chars.peek().is_some_and(|(i, _)| *i < stop) {
                    chars.next();
                }
            }
            _ => tokens.push(Token::Literal(c)),
        }
    }
    Ok(tokens)
}

/// Parses a class body (after `[`), returning the class and the bytes
/// consumed including the closing `]`.
fn parse_class(rest: &str, open_at: usize) -> Result<(Token, usize), GlobError> {
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
    let mut ranges: Vec<(char, char)> = Vec::new();
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
            ranges.push((c, end));
        } else {
            ranges.push((c, c));
        }
    }
    Ok((Token::Class { negated, ranges }, body_start + close + 1))
}

impl Glob {
    /// Whether the whole of `text` matches the pattern.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        if text.is_ascii() && !self.case_insensitive {
            // Bytes are characters: no decoding needed.
            let bytes = text.as_bytes();
            return self.run(bytes.len(), |i| bytes.get(i).map(|b| char::from(*b)));
        }
        let chars: Vec<char> = if self.case_insensitive {
            text.chars().map(fold).collect()
        } else {
            text.chars().collect()
        };
        self.run(chars.len(), |i| chars.get(i).copied())
    }

    fn token_accepts(&self, token: &Token, c: char) -> bool {
        match token {
            Token::Literal(l) => *l == c,
            Token::One => true,
            Token::Any => false,
            Token::Class { negated, ranges } => {
                let inside = |x: char| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&x));
                inside(c) != *negated
            }
        }
    }

    /// The wildcard algorithm over a text of `len` characters: advance on a
    /// match, remember the last `*`, and on a mismatch let that `*` take one
    /// more character.
    fn run(&self, len: usize, at: impl Fn(usize) -> Option<char>) -> bool {
        let (mut p, mut s) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while s < len {
            match (self.tokens.get(p), at(s)) {
                (Some(Token::Any), _) => {
                    star = Some((p, s));
                    p += 1;
                }
                (Some(token), Some(c)) if self.token_accepts(token, c) => {
                    p += 1;
                    s += 1;
                }
                _ => match star {
                    Some((star_p, star_s)) => {
                        p = star_p + 1;
                        s = star_s + 1;
                        star = Some((star_p, star_s + 1));
                    }
                    None => return false,
                },
            }
        }
        self.tokens
            .get(p..)
            .is_some_and(|rest| rest.iter().all(|t| *t == Token::Any))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        compile(pattern, false).is_ok_and(|g| g.is_match(text))
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
            ("", "", true),
            ("", "x", false),
            ("/etc/*", "/etc/ssh/sshd_config", true),
            ("/etc/**", "/etc/passwd", true),
            ("**/x", "x", false),
            ("?", "ab", false),
            ("?", "é", true),
            ("a?c", "a/c", true),
            ("[abc]x", "bx", true),
            ("[!abc]x", "bx", false),
            ("[!abc]x", "dx", true),
            ("[^a]", "^", true),
            ("[^a]", "b", false),
            ("[]]", "]", true),
            ("[!]]", "a", true),
            ("[a-c]", "b", true),
            ("[a-]", "-", true),
            ("{a,b}", "{a,b}", true),
            ("{a,b}", "a", false),
            ("a\\b", "a\\b", true),
            ("*.env", "/app/prod.env", true),
            ("*credentials*", "/home/u/.aws/credentials", true),
            ("*a*b*c", "xxaxxbxxc", true),
            ("*a*b*c", "xxaxxcxxb", false),
            (
                "a*a*a*a*b",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                false,
            ),
        ] {
            assert_eq!(matches(pattern, text), expected, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn errors_point_into_the_pattern() {
        let unclosed = check("ab[cd").err();
        assert_eq!(unclosed.as_ref().map(|e| (e.start, e.end)), Some((2, 3)));
        let reversed = check("x[z-a]").err();
        assert_eq!(reversed.as_ref().map(|e| (e.start, e.end)), Some((2, 5)));
        assert!(reversed.is_some_and(|e| e.message.contains("`z-a`")));
    }

    #[test]
    fn case_insensitive_when_asked() {
        let glob = compile("Read*", true);
        assert!(glob.as_ref().is_ok_and(|g| g.is_match("readfile")));
        assert!(glob.as_ref().is_ok_and(|g| g.is_match("READFILE")));
        let class = compile("[A-Z]x", true);
        assert!(class.is_ok_and(|g| g.is_match("qX")));
        // Classes fold too: each pattern with texts it matches and texts it does not.
        let classes: [(&str, &[&str], &[&str]); 3] = [
            ("[A-Zx-z]", &["q", "Y"], &["["]),
            ("[ÄÖÜ]*", &["äpfel", "Öl"], &["apfel"]),
            ("[!A-Z]", &["1"], &["q", "Q"]),
        ];
        for (pattern, matched, unmatched) in classes {
            let glob = compile(pattern, true);
            for text in matched {
                assert!(
                    glob.as_ref().is_ok_and(|g| g.is_match(text)),
                    "{pattern} {text}"
                );
            }
            for text in unmatched {
                assert!(
                    glob.as_ref().is_ok_and(|g| !g.is_match(text)),
                    "{pattern} {text}"
                );
            }
        }
    }

    #[test]
    fn long_texts_take_linear_steps() {
        let text = "a".repeat(100_000);
        assert!(!matches("*a*a*a*a*a*a*a*a*b", &text));
    }
}
