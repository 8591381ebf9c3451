//! A reader for the YAML that policies are nearly always written in, which
//! builds the same tree as the full parser several times faster.
//!
//! It reads block mappings and lists (indentless lists too), flow
//! collections written on one line, plain scalars on one line, quoted
//! scalars on one line with the common escapes, `|` and `|-` literal
//! blocks, comments and a leading `---`. Anything else — anchors, aliases,
//! tags, folded (`>`) scalars, scalars or flow collections over several
//! lines, a trailing comma in a flow collection, empty values, tabs, a
//! carriage return that does not end a line with `\r\n`, control
//! characters and a byte order mark, directives, a second document, any error, a
//! document over the nesting or node limits — makes it decline, and the
//! full parser (`saphyr-parser`) reads the text from the start. Declining
//! is always safe; the fuzz target `yaml` and the tests check that what it
//! accepts reads exactly as the full parser reads it, positions included.

use super::{Node, Value};
use crate::limits::Limits;
use crate::source::{Span, to_u32};

/// The text is outside the subset (or not valid YAML): the full parser reads it.
struct Decline;

type Read<T> = Result<T, Decline>;

/// The longest implicit key YAML allows, in characters up to and with its
/// `:`, less a margin: a longer one is the full parser's to judge.
const MAX_KEY_LEN: usize = 1000;

/// Reads `source` when it is within the subset; `None` otherwise.
pub(super) fn read(source: &str, limits: &Limits) -> Option<Node> {
    let ascii = source.is_ascii();
    let readable = if ascii {
        source
            .bytes()
            .all(|b| b == b'\n' || b == b'\r' || (b' '..=b'~').contains(&b))
    } else {
        source
            .chars()
            .all(|c| c == '\n' || c == '\r' || (' '..='~').contains(&c) || plain_unicode(c))
    };
    // A line ends with `\n` or `\r\n`; a `\r` alone is the parser's.
    let lone_return = || {
        source
            .split('\r')
            .skip(1)
            .any(|after| !after.starts_with('\n'))
    };
    if !readable || lone_return() {
        return None;
    }
    let mut reader = Reader {
        src: source.as_bytes(),
        text: source,
        ascii,
        pos: 0,
        line: 1,
        line_start: 0,
        nodes: 0,
        started: false,
        limits,
    };
    reader.document().ok()
}

/// Characters beyond ASCII the quick reader takes as text: the printable
/// ones, but for the byte order mark (which the parser treats specially),
/// the line and paragraph separators and the noncharacters `U+FFFE`/`U+FFFF`.
fn plain_unicode(c: char) -> bool {
    c >= '\u{A0}'
        && !matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// The end of the text reads as byte 0, which the check above keeps out
/// of the text itself.
const END: u8 = 0;

/// The end of a line (`\n`, or the `\r` of `\r\n`) or of the text.
fn is_end(b: u8) -> bool {
    b == b'\n' || b == b'\r' || b == END
}

fn is_blank_or_end(b: u8) -> bool {
    b == b' ' || is_end(b)
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

struct Reader<'s> {
    src: &'s [u8],
    text: &'s str,
    /// Whether the text is ASCII: columns are then byte offsets.
    ascii: bool,
    pos: usize,
    /// 1-based line of `pos`.
    line: u32,
    /// Byte offset at which the line of `pos` starts.
    line_start: usize,
    nodes: usize,
    /// Past the optional `---` that opens the document: a later `---` at
    /// the start of a line is a second document.
    started: bool,
    limits: &'s Limits,
}

impl Reader<'_> {
    fn at(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(END)
    }

    fn byte(&self) -> u8 {
        self.at(self.pos)
    }

    /// 0-based column of `pos` in bytes: the indentation, where only
    /// spaces (and `- `) come before `pos` on its line.
    fn column(&self) -> usize {
        self.pos - self.line_start
    }

    /// Indentation of the content line `pos` is on, `None` at the end.
    fn indent(&self) -> Option<usize> {
        (self.byte() != END).then(|| self.column())
    }

    /// A document marker (`---`, `...`) at `pos`: at a line's start,
    /// followed by a blank or the line's end.
    fn at_marker(&self, marker: &[u8; 3]) -> bool {
        self.column() == 0
            && self
                .src
                .get(self.pos..)
                .is_some_and(|rest| rest.starts_with(marker))
            && is_blank_or_end(self.at(self.pos + 3))
    }

    /// `- ` (or `-` at the end of the line) at `pos`.
    fn at_entry(&self) -> bool {
        self.byte() == b'-' && is_blank_or_end(self.at(self.pos + 1))
    }

    /// A span from `start` to `end` on the current line.
    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            line: self.line,
            column: self.column_of(self.line_start, start),
            end_line: self.line,
            end_column: self.column_of(self.line_start, end),
        }
    }

    /// 1-based column, in characters, of the byte `at` on the line that
    /// starts at `line_start`.
    fn column_of(&self, line_start: usize, at: usize) -> u32 {
        if self.ascii {
            return to_u32(at - line_start + 1);
        }
        let before = self
            .text
            .get(line_start..at)
            .map_or(0, |s| s.chars().count());
        to_u32(before + 1)
    }

    fn skip_spaces(&mut self) {
        while self.byte() == b' ' {
            self.pos += 1;
        }
    }

    /// Moves to the first character of the next line with content, over
    /// blank lines and comment lines; `pos` must be at a line's start.
    fn seek_content(&mut self) -> Read<()> {
        loop {
            self.skip_spaces();
            if self.byte() == b'#' {
                self.pos = self.line_end();
            }
            match self.byte() {
                END => return Ok(()),
                b'\n' | b'\r' => self.next_line(),
                _ => {
                    // `---` may open the document; `...` never is content.
                    if (self.started && self.at_marker(b"---")) || self.at_marker(b"...") {
                        return Err(Decline);
                    }
                    return Ok(());
                }
            }
        }
    }

    /// Ends the current line: only blanks and a comment may follow. Then
    /// moves to the next line with content.
    fn end_line(&mut self) -> Read<()> {
        self.skip_spaces();
        if self.byte() == b'#' {
            if self.pos != self.line_start && self.at(self.pos - 1) != b' ' {
                // `#` right after a value starts no comment: outside the subset.
                return Err(Decline);
            }
            self.pos = self.line_end();
        }
        match self.byte() {
            END => Ok(()),
            b'\n' | b'\r' => {
                self.next_line();
                self.seek_content()
            }
            _ => Err(Decline),
        }
    }

    /// Counts a node against the limit of the document's nodes.
    fn count(&mut self) -> Read<()> {
        self.nodes += 1;
        if self.nodes > self.limits.max_yaml_nodes {
            return Err(Decline);
        }
        Ok(())
    }

    /// Checks the nesting limit for a collection inside `depth` others.
    fn open(&mut self, depth: usize) -> Read<()> {
        if depth >= self.limits.max_yaml_depth {
            return Err(Decline);
        }
        self.count()
    }

    fn document(&mut self) -> Read<Node> {
        self.seek_content()?;
        self.started = true;
        if self.at_marker(b"---") {
            self.pos += 3;
            self.end_line()?;
        }
        let root = match self.byte() {
            END => return Err(Decline),
            b'[' | b'{' => {
                let node = self.flow(0)?;
                self.end_line()?;
                node
            }
            _ => self.block(0)?,
        };
        if self.byte() != END {
            return Err(Decline);
        }
        Ok(root)
    }

    /// A block mapping or list starting at `pos`, on its own line.
    fn block(&mut self, depth: usize) -> Read<Node> {
        if self.at_entry() {
            self.list(depth, false)
        } else {
            let key = self.line_scalar(false)?;
            self.mapping(depth, key)
        }
    }

    /// A quoted or plain scalar on one line (a key, or a value).
    fn line_scalar(&mut self, in_flow: bool) -> Read<Node> {
        match self.byte() {
            b'"' | b'\'' => self.quoted(),
            _ => self.plain(in_flow),
        }
    }

    /// After a scalar: whether `:` and a blank follow (it is a key). Moves
    /// past the `:` when they do.
    fn take_colon(&mut self) -> bool {
        let before = self.pos;
        self.skip_spaces();
        if self.byte() == b':' && is_blank_or_end(self.at(self.pos + 1)) {
            self.pos += 1;
            return true;
        }
        self.pos = before;
        false
    }

    /// A block mapping whose first key, `first`, has just been read.
    fn mapping(&mut self, depth: usize, first: Node) -> Read<Node> {
        self.open(depth)?;
        // The key is on the current line, after blanks and `- ` only.
        let indent = first.span.start - self.line_start;
        let start = first.span;
        let mut entries = Vec::new();
        let mut weight = 1;
        let mut key = first;
        loop {
            if !self.take_colon() || self.pos - key.span.start > MAX_KEY_LEN {
                return Err(Decline);
            }
            let value = self.value_of_key(indent, depth + 1)?;
            weight += key.weight + value.weight;
            entries.push((key, value));
            match self.indent() {
                Some(i) if i == indent && !self.at_entry() => key = self.line_scalar(false)?,
                Some(i) if i < indent => break,
                None => break,
                Some(_) => return Err(Decline),
            }
        }
        Ok(block_node(start, Value::Map(entries), weight))
    }

    /// The value after `key:` of a mapping at `indent`.
    fn value_of_key(&mut self, indent: usize, depth: usize) -> Read<Node> {
        self.skip_spaces();
        if !is_end(self.byte()) && self.byte() != b'#' {
            return self.inline(indent, depth, false);
        }
        self.end_line()?;
        match self.indent() {
            Some(i) if i > indent => self.block(depth),
            Some(i) if i == indent && self.at_entry() => self.list(depth, true),
            _ => Err(Decline),
        }
    }

    /// A block list whose first `-` is at `pos`. An indentless list (the
    /// value of a key, its `-` in the key's column) ends at the next key.
    fn list(&mut self, depth: usize, indentless: bool) -> Read<Node> {
        self.open(depth)?;
        let indent = self.column();
        let mut start = self.span(self.pos, self.pos);
        let mut items = Vec::new();
        let mut weight = 1;
        loop {
            self.pos += 1;
            self.skip_spaces();
            let item_below = is_end(self.byte()) || self.byte() == b'#';
            if indentless && items.is_empty() {
                // The full parser starts an indentless list where its first
                // item starts, which must be on the line of the `-`.
                if item_below {
                    return Err(Decline);
                }
                start = self.span(self.pos, self.pos);
            }
            let item = if item_below {
                self.end_line()?;
                match self.indent() {
                    Some(i) if i > indent => self.block(depth + 1)?,
                    _ => return Err(Decline),
                }
            } else {
                self.inline(indent, depth + 1, true)?
            };
            weight += item.weight;
            items.push(item);
            match self.indent() {
                Some(i) if i == indent && self.at_entry() => {}
                Some(i) if i == indent && indentless => break,
                Some(i) if i < indent => break,
                None => break,
                Some(_) => return Err(Decline),
            }
        }
        Ok(block_node(start, Value::Seq(items), weight))
    }

    /// A value that starts on the line of its key or `-` (the parent block
    /// is at `indent`). In a list item it may be a compact mapping or list.
    fn inline(&mut self, indent: usize, depth: usize, in_list: bool) -> Read<Node> {
        let node = match self.byte() {
            b'[' | b'{' => self.flow(depth)?,
            b'|' => {
                let node = self.literal(indent)?;
                return self.after_value(indent, node);
            }
            b'-' if in_list && self.at_entry() => return self.list(depth, false),
            _ => {
                let scalar = self.line_scalar(false)?;
                if in_list && self.take_colon() {
                    // Put the colon back: `mapping` reads it with every key.
                    self.pos = scalar.span.end;
                    return self.mapping(depth, scalar);
                }
                scalar
            }
        };
        self.end_line()?;
        self.after_value(indent, node)
    }

    /// After a value of the block at `indent`, `pos` at the next line with
    /// content: a more indented line would continue a plain scalar over
    /// lines, or be an error; either way, the full parser's.
    fn after_value(&self, indent: usize, node: Node) -> Read<Node> {
        match self.indent() {
            Some(i) if i > indent => Err(Decline),
            _ => Ok(node),
        }
    }

    /// A literal block scalar (`|` or `|-`) of the block at `indent`, its
    /// lines indented as its first line is; `pos` ends at the next line
    /// with content.
    fn literal(&mut self, indent: usize) -> Read<Node> {
        self.pos += 1;
        let strip = self.byte() == b'-';
        if strip {
            self.pos += 1;
        }
        // After the `|` (or `|-`) only blanks and a comment: not `|+`, an
        // indentation digit, or text on the line of the `|`.
        if self.byte() != b' ' && !is_end(self.byte()) {
            return Err(Decline);
        }
        self.skip_spaces();
        if self.byte() == b'#' {
            // A comment (the blank before it is checked above).
            self.pos = self.line_end();
        }
        if self.byte() == END || !is_end(self.byte()) {
            return Err(Decline);
        }
        self.next_line();
        let start_line = self.line;
        self.skip_spaces();
        let content_indent = self.column();
        let start = self.pos;
        if content_indent <= indent || is_end(self.byte()) {
            // An empty scalar, or blank lines before its first line.
            return Err(Decline);
        }
        let mut text = String::new();
        let mut breaks = 0;
        let mut end = (start, self.line, self.line_start);
        loop {
            // `pos` is past the line's indentation (at most `content_indent`).
            if self.byte() == END && self.column() > 0 {
                // Blanks at the very end of the text: the full parser
                // keeps a line break for them.
                return Err(Decline);
            } else if is_end(self.byte()) {
                breaks += 1;
            } else if self.column() < content_indent {
                // The first line of what follows: read it from its start.
                self.pos = self.line_start;
                self.seek_content()?;
                break;
            } else {
                let line_end = self.line_end();
                let line = self.text.get(self.pos..line_end).ok_or(Decline)?;
                let trimmed = line.trim_end_matches(' ').len();
                if trimmed == 0 {
                    return Err(Decline);
                }
                for _ in 0..breaks {
                    text.push('\n');
                }
                text.push_str(line);
                breaks = 1;
                end = (self.pos + trimmed, self.line, self.line_start);
                self.pos = line_end;
            }
            if self.byte() == END {
                break;
            }
            self.next_line();
            while self.byte() == b' ' && self.column() < content_indent {
                self.pos += 1;
            }
        }
        // Kept even at the end of a text without one, as the full parser does.
        if !strip {
            text.push('\n');
        }
        let span = Span {
            start,
            end: end.0,
            line: start_line,
            column: to_u32(content_indent + 1),
            end_line: end.1,
            end_column: self.column_of(end.2, end.0),
        };
        self.scalar(span, false, text)
    }

    /// Byte offset of the end of the current line (its `\n` or `\r\n`, or
    /// the text's end).
    fn line_end(&self) -> usize {
        let mut i = self.pos;
        while !is_end(self.at(i)) {
            i += 1;
        }
        i
    }

    /// Moves past the `\n` at `pos` to the next line's start.
    fn next_line(&mut self) {
        if self.byte() == b'\r' {
            self.pos += 1;
        }
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    /// A flow list or mapping, closed on the line it opens.
    fn flow(&mut self, depth: usize) -> Read<Node> {
        self.open(depth)?;
        let start = self.pos;
        let is_map = self.byte() == b'{';
        let close = if is_map { b'}' } else { b']' };
        self.pos += 1;
        let mut items = Vec::new();
        let mut entries = Vec::new();
        let mut weight = 1;
        self.skip_flow_spaces()?;
        if self.byte() != close {
            loop {
                if is_map {
                    let key = self.line_scalar(true)?;
                    self.skip_flow_spaces()?;
                    if self.byte() != b':' || self.at(self.pos + 1) != b' ' {
                        return Err(Decline);
                    }
                    self.pos += 1;
                    self.skip_flow_spaces()?;
                    let value = self.flow_node(depth + 1)?;
                    weight += key.weight + value.weight;
                    entries.push((key, value));
                } else {
                    let item = self.flow_node(depth + 1)?;
                    weight += item.weight;
                    items.push(item);
                }
                self.skip_flow_spaces()?;
                match self.byte() {
                    b',' => {
                        self.pos += 1;
                        self.skip_flow_spaces()?;
                        if self.byte() == close {
                            // A trailing comma: the full parser's end of
                            // the collection is not its bracket then.
                            return Err(Decline);
                        }
                    }
                    b if b == close => break,
                    _ => return Err(Decline),
                }
            }
        }
        self.pos += 1;
        let value = if is_map {
            Value::Map(entries)
        } else {
            Value::Seq(items)
        };
        Ok(Node {
            value,
            span: self.span(start, self.pos),
            weight,
        })
    }

    /// Blanks inside a flow collection; its end of line or a comment in it
    /// (a collection over several lines) is outside the subset.
    fn skip_flow_spaces(&mut self) -> Read<()> {
        self.skip_spaces();
        if is_end(self.byte()) || self.byte() == b'#' {
            return Err(Decline);
        }
        Ok(())
    }

    fn flow_node(&mut self, depth: usize) -> Read<Node> {
        match self.byte() {
            b'[' | b'{' => self.flow(depth),
            _ => self.line_scalar(true),
        }
    }

    /// A plain scalar on one line; `pos` ends after its last non-blank.
    fn plain(&mut self, in_flow: bool) -> Read<Node> {
        let start = self.pos;
        match self.byte() {
            b'-' => {
                let next = self.at(start + 1);
                if is_blank_or_end(next) || (in_flow && is_flow_indicator(next)) {
                    return Err(Decline);
                }
            }
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' | b'\r' | END => {
                return Err(Decline);
            }
            _ => {}
        }
        let mut end = start + 1;
        let mut i = end;
        loop {
            match self.at(i) {
                b'\n' | b'\r' | END => break,
                b' ' => {
                    i += 1;
                    continue;
                }
                b'#' if self.at(i - 1) == b' ' => break,
                // The full parser refuses `-` and a flow indicator after a
                // blank inside a flow scalar.
                b'-' if in_flow && self.at(i - 1) == b' ' && is_flow_indicator(self.at(i + 1)) => {
                    return Err(Decline);
                }
                b':' if is_blank_or_end(self.at(i + 1)) => break,
                b':' if in_flow => return Err(Decline),
                b if in_flow && is_flow_indicator(b) => break,
                _ => {}
            }
            i += 1;
            end = i;
        }
        self.pos = end;
        let text = self.text.get(start..end).ok_or(Decline)?.to_owned();
        self.scalar(self.span(start, end), true, text)
    }

    /// A single- or double-quoted scalar on one line.
    fn quoted(&mut self) -> Read<Node> {
        let start = self.pos;
        let quote = self.byte();
        let mut text = String::new();
        let mut run = start + 1;
        let mut i = run;
        loop {
            let b = self.at(i);
            if is_end(b) {
                return Err(Decline);
            }
            if b != quote && !(b == b'\\' && quote == b'"') {
                i += 1;
                continue;
            }
            text.push_str(self.text.get(run..i).ok_or(Decline)?);
            if b == quote {
                if quote == b'\'' && self.at(i + 1) == b'\'' {
                    text.push('\'');
                    i += 2;
                    run = i;
                    continue;
                }
                i += 1;
                break;
            }
            text.push(match self.at(i + 1) {
                b'\\' => '\\',
                b'"' => '"',
                b'/' => '/',
                b'n' => '\n',
                b't' => '\t',
                b'r' => '\r',
                b'0' => '\0',
                _ => return Err(Decline),
            });
            i += 2;
            run = i;
        }
        self.pos = i;
        self.scalar(self.span(start, i), false, text)
    }

    /// A scalar node, counted against the node limit.
    fn scalar(&mut self, span: Span, plain: bool, text: String) -> Read<Node> {
        self.count()?;
        Ok(Node::scalar(text, plain, None, span))
    }
}

/// A block collection's node, spanned as the full reader spans it.
fn block_node(start: Span, value: Value, weight: usize) -> Node {
    Node {
        span: super::block_span(start, &value),
        value,
        weight,
    }
}
