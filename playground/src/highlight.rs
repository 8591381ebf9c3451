//! YAML highlighting for the editor: the text as HTML lines of classed
//! spans, drawn under a transparent textarea, with marks for diagnostics
//! and line classes for the deciding rule. Everything here is escaped
//! text, so the HTML never carries markup from the policy.

/// A byte range of the whole text drawn with an extra class (an error's
/// underline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The CSS class.
    pub class: &'static str,
}

/// Lines `first..=last` (1-based) drawn with a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineClass {
    /// First line, 1-based.
    pub first: u32,
    /// Last line, inclusive.
    pub last: u32,
    /// The CSS class.
    pub class: &'static str,
}

/// The token classes (short CSS class names).
mod tok {
    pub const KEY: &str = "k";
    pub const STRING: &str = "s";
    pub const NUMBER: &str = "n";
    pub const LITERAL: &str = "b";
    pub const COMMENT: &str = "c";
    pub const PUNCT: &str = "p";
    pub const ANCHOR: &str = "a";
    pub const VALUE: &str = "v";
}

#[derive(Default)]
struct State {
    /// Inside a block scalar whose parent line is indented this much.
    block: Option<usize>,
    /// Nesting of `{`/`[` carried across lines.
    flow: usize,
}

/// One line of a rendered layer: its classes and its inner HTML.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    /// The CSS classes of the line's element (`l rule`, `g err`).
    pub class: String,
    /// The escaped, highlighted content.
    pub html: String,
}

fn line_class(base: &str, number: u32, lines: &[LineClass]) -> String {
    let mut class = base.to_owned();
    for c in lines
        .iter()
        .filter(|c| (c.first..=c.last).contains(&number))
    {
        class.push(' ');
        class.push_str(c.class);
    }
    class
}

/// Renders the text line by line (class `l` plus the line classes), so an
/// edit re-draws only the lines it changed.
#[must_use]
pub fn render_lines(text: &str, marks: &[Mark], lines: &[LineClass]) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 24 + 1);
    let mut state = State::default();
    let mut offset = 0usize;
    for (index, line) in text.split('\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let body = line.strip_suffix('\r').unwrap_or(line);
        let tokens = tokenize(body, &mut state);
        let line_marks: Vec<(usize, usize, &str)> = marks
            .iter()
            .filter_map(|m| {
                let start = m.start.max(offset);
                let end = m.end.min(offset + body.len());
                (start < end
                    || (m.start == m.end && m.start >= offset && m.start <= offset + body.len()))
                .then(|| (start - offset, end.max(start) - offset, m.class))
            })
            .collect();
        let mut html = String::with_capacity(body.len() * 3);
        write_line(body, &tokens, &line_marks, &mut html);
        if html.is_empty() {
            html.push(' ');
        }
        out.push(Line {
            class: line_class("l", number, lines),
            html,
        });
        offset += line.len() + 1;
    }
    out
}

/// The gutter: one line number per line (class `g` plus the line classes).
#[must_use]
pub fn gutter_lines(line_count: usize, lines: &[LineClass]) -> Vec<Line> {
    (1..=line_count)
        .map(|n| {
            let number = u32::try_from(n).unwrap_or(u32::MAX);
            Line {
                class: line_class("g", number, lines),
                html: n.to_string(),
            }
        })
        .collect()
}

/// The lines as one HTML string of `<div>`s.
#[must_use]
pub fn to_html(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str("<div class=\"");
        out.push_str(&line.class);
        out.push_str("\">");
        out.push_str(&line.html);
        out.push_str("</div>");
    }
    out
}

fn write_line(
    body: &str,
    tokens: &[(usize, usize, &str)],
    marks: &[(usize, usize, &str)],
    out: &mut String,
) {
    // A zero-width mark (an error at the end of a line) is drawn as a caret.
    let caret = |at: usize, out: &mut String| {
        for (_, _, class) in marks.iter().filter(|(s, e, _)| s == e && *s == at) {
            out.push_str("<span class=\"");
            out.push_str(class);
            out.push_str(" caret\"></span>");
        }
    };
    let mut cuts: Vec<usize> = vec![0, body.len()];
    for (s, e, _) in tokens.iter().chain(marks) {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for pair in cuts.windows(2) {
        let (Some(&start), Some(&end)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        caret(start, out);
        let Some(text) = body.get(start..end) else {
            continue;
        };
        let token = tokens
            .iter()
            .find(|(s, e, _)| *s <= start && end <= *e)
            .map(|t| t.2);
        let marked = marks
            .iter()
            .filter(|(s, e, _)| *s <= start && end <= *e && s < e)
            .map(|m| m.2);
        let classes: Vec<&str> = token.into_iter().chain(marked).collect();
        if classes.is_empty() {
            escape(text, out);
        } else {
            out.push_str("<span class=\"");
            out.push_str(&classes.join(" "));
            out.push_str("\">");
            escape(text, out);
            out.push_str("</span>");
        }
    }
    caret(body.len(), out);
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Classifies the parts of one line; ranges are byte offsets in the line.
fn tokenize(line: &str, state: &mut State) -> Vec<(usize, usize, &'static str)> {
    let indent = indent_of(line);
    if let Some(parent) = state.block {
        if line.trim().is_empty() || indent > parent {
            return vec![(0, line.len(), tok::STRING)];
        }
        state.block = None;
    }
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = indent;
    let at = |i: usize| bytes.get(i).copied().unwrap_or(b'\n');
    while i < bytes.len() {
        let c = at(i);
        let start = i;
        match c {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'#' if start == 0 || matches!(at(start - 1), b' ' | b'\t') => {
                out.push((start, line.len(), tok::COMMENT));
                break;
            }
            b'"' | b'\'' => {
                i += 1;
                while i < bytes.len() {
                    if at(i) == b'\\' && c == b'"' {
                        i += 2;
                        continue;
                    }
                    if at(i) == c {
                        if c == b'\'' && at(i + 1) == b'\'' {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                let end = i.min(line.len());
                out.push((
                    start,
                    end,
                    if is_key(line, end, state.flow) {
                        tok::KEY
                    } else {
                        tok::STRING
                    },
                ));
            }
            b'{' | b'[' => {
                state.flow += 1;
                out.push((start, start + 1, tok::PUNCT));
                i += 1;
            }
            b'}' | b']' => {
                state.flow = state.flow.saturating_sub(1);
                out.push((start, start + 1, tok::PUNCT));
                i += 1;
            }
            b',' if state.flow > 0 => {
                out.push((start, start + 1, tok::PUNCT));
                i += 1;
            }
            b':' if matches!(at(i + 1), b' ' | b'\n' | b'\t') || state.flow > 0 => {
                out.push((start, start + 1, tok::PUNCT));
                i += 1;
                let after = line.get(i..).unwrap_or("");
                let rest = after.trim();
                if is_block_indicator(rest) {
                    let at = i + (after.len() - after.trim_start().len());
                    let len = rest.split_whitespace().next().map_or(1, str::len);
                    out.push((at, at + len, tok::PUNCT));
                    state.block = Some(indent);
                    if let Some(comment) = rest.find(" #") {
                        out.push((at + comment + 1, line.len(), tok::COMMENT));
                    }
                    break;
                }
            }
            b'-' if matches!(at(i + 1), b' ' | b'\n') && state.flow == 0 => {
                out.push((start, start + 1, tok::PUNCT));
                i += 1;
                let rest = line.get(i..).unwrap_or("").trim();
                if is_block_indicator(rest) {
                    state.block = Some(indent);
                    break;
                }
            }
            b'&' | b'*' | b'!' => {
                while i < bytes.len() && !matches!(at(i), b' ' | b',' | b']' | b'}') {
                    i += 1;
                }
                out.push((start, i, tok::ANCHOR));
            }
            _ => {
                i = plain_end(line, start, state.flow);
                let end = start + line.get(start..i).unwrap_or("").trim_end().len();
                let text = line.get(start..end).unwrap_or("");
                let class = if is_key(line, i, state.flow) {
                    tok::KEY
                } else {
                    scalar_class(text)
                };
                out.push((start, end, class));
                i = i.max(start + 1);
            }
        }
    }
    out
}

fn is_block_indicator(rest: &str) -> bool {
    let rest = rest.split(" #").next().unwrap_or("").trim();
    matches!(rest.chars().next(), Some('|' | '>'))
        && rest
            .chars()
            .skip(1)
            .all(|c| matches!(c, '-' | '+' | '0'..='9'))
}

/// Where a plain scalar starting at `start` ends.
fn plain_end(line: &str, start: usize, flow: usize) -> usize {
    let bytes = line.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        let c = bytes.get(i).copied().unwrap_or(b' ');
        let next = bytes.get(i + 1).copied().unwrap_or(b'\n');
        if c == b':'
            && (matches!(next, b' ' | b'\n' | b'\t')
                || (flow > 0 && matches!(next, b',' | b']' | b'}')))
        {
            break;
        }
        if c == b'#' && i > start && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) {
            break;
        }
        if flow > 0 && matches!(c, b',' | b']' | b'}' | b'[' | b'{') {
            break;
        }
        i += 1;
    }
    i
}

/// Whether a `:` follows `end` (after spaces), making the scalar a key.
fn is_key(line: &str, end: usize, flow: usize) -> bool {
    let rest = line
        .get(end..)
        .unwrap_or("")
        .trim_start_matches([' ', '\t']);
    rest.starts_with(':')
        && (flow > 0 || rest.len() == 1 || rest.get(1..2).is_some_and(|c| c == " " || c == "\t"))
}

fn scalar_class(text: &str) -> &'static str {
    match text {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~" => {
            tok::LITERAL
        }
        _ if text.parse::<f64>().is_ok() && text.bytes().any(|b| b.is_ascii_digit()) => tok::NUMBER,
        _ => tok::VALUE,
    }
}

/// The lines (1-based, inclusive) of the list item that starts at `line`:
/// it runs until the next line indented no deeper than its dash.
#[must_use]
pub fn item_extent(text: &str, line: u32) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let index = usize::try_from(line.saturating_sub(1)).unwrap_or(0);
    let Some(first) = lines.get(index) else {
        return (line, line);
    };
    let dash = first.find('-').unwrap_or_else(|| indent_of(first));
    let mut last = index;
    for (i, l) in lines.iter().enumerate().skip(index + 1) {
        let trimmed = l.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if indent_of(l) <= dash {
            break;
        }
        last = i;
    }
    (line, u32::try_from(last + 1).unwrap_or(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(&str, &'static str)> {
        tokenize(line, &mut State::default())
            .into_iter()
            .map(|(s, e, c)| (line.get(s..e).unwrap_or("?"), c))
            .collect()
    }

    #[test]
    fn tokens_of_typical_lines() {
        use tok::*;
        for (line, expected) in [
            (
                "version: \"1\"",
                vec![("version", KEY), (":", PUNCT), ("\"1\"", STRING)],
            ),
            (
                "  - name: mcp_read # first",
                vec![
                    ("-", PUNCT),
                    ("name", KEY),
                    (":", PUNCT),
                    ("mcp_read", VALUE),
                    ("# first", COMMENT),
                ],
            ),
            (
                "    match: { type: \"list_*\", target: prod }",
                vec![
                    ("match", KEY),
                    (":", PUNCT),
                    ("{", PUNCT),
                    ("type", KEY),
                    (":", PUNCT),
                    ("\"list_*\"", STRING),
                    (",", PUNCT),
                    ("target", KEY),
                    (":", PUNCT),
                    ("prod", VALUE),
                    ("}", PUNCT),
                ],
            ),
            (
                "    weights: { allow: 30, on: true, x: ~ }",
                vec![
                    ("weights", KEY),
                    (":", PUNCT),
                    ("{", PUNCT),
                    ("allow", KEY),
                    (":", PUNCT),
                    ("30", NUMBER),
                    (",", PUNCT),
                    ("on", KEY),
                    (":", PUNCT),
                    ("true", LITERAL),
                    (",", PUNCT),
                    ("x", KEY),
                    (":", PUNCT),
                    ("~", LITERAL),
                    ("}", PUNCT),
                ],
            ),
            (
                "url: http://x:80/a#b",
                vec![("url", KEY), (":", PUNCT), ("http://x:80/a#b", VALUE)],
            ),
        ] {
            assert_eq!(classes(line), expected, "{line}");
        }
    }

    #[test]
    fn block_scalars_are_strings_until_dedent() {
        let html = to_html(&render_lines("reason: |\n  a: b\n  # c\nnext: 1", &[], &[]));
        assert!(html.contains("<span class=\"s\">  a: b</span>"), "{html}");
        assert!(html.contains("<span class=\"k\">next</span>"), "{html}");
    }

    #[test]
    fn html_is_escaped_and_marks_and_lines_apply() {
        let text = "a: \"<b>&\"\nb: x";
        let html = to_html(&render_lines(
            text,
            &[Mark {
                start: 13,
                end: 14,
                class: "err",
            }],
            &[LineClass {
                first: 2,
                last: 2,
                class: "rule",
            }],
        ));
        assert!(html.contains("&lt;b&gt;&amp;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("<div class=\"l rule\">"), "{html}");
        assert!(html.contains("<span class=\"v err\">x</span>"), "{html}");
        assert_eq!(html.matches("<div").count(), 2);
    }

    #[test]
    fn rule_extent_follows_indentation() {
        let text = "rules:\n  - name: a\n    match: { type: x }\n\n    # note\n    approval: auto\n  - name: b\n    approval: block\ndefaults: {}\n";
        assert_eq!(item_extent(text, 2), (2, 6));
        assert_eq!(item_extent(text, 7), (7, 8));
    }

    #[test]
    fn gutter_numbers_every_line() {
        let g = to_html(&gutter_lines(
            3,
            &[LineClass {
                first: 2,
                last: 2,
                class: "err",
            }],
        ));
        assert_eq!(
            g,
            "<div class=\"g\">1</div><div class=\"g err\">2</div><div class=\"g\">3</div>"
        );
    }
}
