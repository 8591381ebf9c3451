//! Positions in a source text: byte spans with 1-based line and column.

use serde::{Deserialize, Serialize};

/// Where something sits in a source text.
///
/// `start` and `end` are byte offsets (end exclusive); `line` and `column`
/// are 1-based and count characters, as editors show them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column (in characters) of `start`.
    pub column: u32,
    /// 1-based line of `end`.
    pub end_line: u32,
    /// 1-based column (in characters) of `end`.
    pub end_column: u32,
}

impl Span {
    /// The offending text this span covers in `source`, or `""` when the
    /// span does not fit the text.
    #[must_use]
    pub fn text<'s>(&self, source: &'s str) -> &'s str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// Converts the parser's character positions into [`Span`]s.
///
/// The YAML parser counts characters; callers (editors, byte slicing) want
/// bytes. For ASCII text the two agree and no table is built.
#[derive(Debug)]
pub(crate) struct SourceMap<'s> {
    source: &'s str,
    /// Byte offset of every character, plus one entry for the end. Empty
    /// when the source is ASCII.
    char_to_byte: Vec<usize>,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl<'s> SourceMap<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        let char_to_byte = if source.is_ascii() {
            Vec::new()
        } else {
            source
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(source.len()))
                .collect()
        };
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            source,
            char_to_byte,
            line_starts,
        }
    }

    pub(crate) fn source(&self) -> &'s str {
        self.source
    }

    /// Byte offset of the character at `char_index`, clamped to the text.
    pub(crate) fn byte_of_char(&self, char_index: usize) -> usize {
        if self.char_to_byte.is_empty() {
            char_index.min(self.source.len())
        } else {
            self.char_to_byte
                .get(char_index)
                .copied()
                .unwrap_or(self.source.len())
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, byte: usize) -> (u32, u32) {
        let byte = byte.min(self.source.len());
        let line_index = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .source
            .get(line_start..byte)
            .map_or(0, |s| s.chars().count());
        (to_u32(line_index + 1), to_u32(column + 1))
    }

    /// A span over the bytes `start..end`.
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        let end = end.max(start);
        let (line, column) = self.line_col(start);
        let (end_line, end_column) = self.line_col(end);
        Span {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_lines_and_columns() {
        let map = SourceMap::new("ab\ncd\n");
        let span = map.span(4, 5);
        assert_eq!((span.line, span.column), (2, 2));
        assert_eq!(span.text(map.source()), "d");
    }

    #[test]
    fn non_ascii_columns_count_characters() {
        let map = SourceMap::new("é: x\nkey: ü");
        // `ü` is character 10 and starts at byte 11.
        let span = map.span(map.byte_of_char(10), map.byte_of_char(11));
        assert_eq!(span.start, 11);
        assert_eq!((span.line, span.column), (2, 6));
        assert_eq!(span.text(map.source()), "ü");
    }
}
