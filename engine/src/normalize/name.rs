//! Canonical tool and server names, so `Delete_File`, ` delete_file `,
//! `dеlete_file` (Cyrillic `е`), `delete\u{200B}_file` and fullwidth
//! `ｄｅｌｅｔｅ_file` are all seen as `delete_file`.
//!
//! The canonical form: surrounding whitespace trimmed; invisible format
//! characters (zero-width spaces and joiners, direction marks, soft hyphens,
//! variation selectors, tag characters) and combining marks removed;
//! fullwidth forms, mathematical letters and common Cyrillic/Greek
//! look-alikes mapped to ASCII; everything lowercased.

use std::borrow::Cow;

/// The canonical form of a tool or server name (see the module docs).
#[must_use]
pub fn canonical_name(raw: &str) -> Cow<'_, str> {
    if raw.is_ascii() {
        // Nothing to fold but case and surrounding whitespace.
        let trimmed = crate::text::trim_ascii(raw);
        return if trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(trimmed.to_ascii_lowercase())
        } else {
            Cow::Borrowed(trimmed)
        };
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if is_invisible(c) || is_combining(c) {
            continue;
        }
        for lower in fold(c).to_lowercase() {
            // Lowercasing can yield a combining mark (`İ` → `i` + U+0307)
            // or a look-alike (`Ԁ` → `ԁ`), so both are handled after it too.
            if !is_combining(lower) {
                out.push(fold(lower).to_ascii_lowercase());
            }
        }
    }
    // Trimmed last: a removed mark may have stood before a blank.
    let trimmed = out.trim();
    if trimmed.len() != out.len() {
        out = trimmed.to_owned();
    }
    Cow::Owned(out)
}

/// Characters that render as nothing.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Maps a look-alike character to the ASCII character it imitates.
fn fold(c: char) -> char {
    let code = u32::from(c);
    // Fullwidth ASCII.
    if (0xFF01..=0xFF5E).contains(&code) {
        return char::from_u32(code - 0xFF01 + 0x21).unwrap_or(c);
    }
    if c == '\u{3000}' {
        return ' ';
    }
    // Mathematical alphanumeric symbols: runs of 26 capitals then 26 small
    // letters from 0x1D400, and runs of 10 digits from 0x1D7CE.
    if (0x1D400..=0x1D6A3).contains(&code) {
        let offset = (code - 0x1D400) % 52;
        let base = if offset < 26 { 0x41 } else { 0x61 };
        return char::from_u32(base + offset % 26).unwrap_or(c);
    }
    if (0x1D7CE..=0x1D7FF).contains(&code) {
        return char::from_u32(0x30 + (code - 0x1D7CE) % 10).unwrap_or(c);
    }
    CONFUSABLES
        .iter()
        .find(|(from, _)| *from == c)
        .map_or(c, |(_, to)| *to)
}

/// Common Cyrillic, Greek and other look-alikes of ASCII letters.
const CONFUSABLES: &[(char, char)] = &[
    ('а', 'a'),
    ('А', 'A'),
    ('в', 'b'),
    ('В', 'B'),
    ('с', 'c'),
    ('С', 'C'),
    ('ԁ', 'd'),
    ('е', 'e'),
    ('Е', 'E'),
    ('ё', 'e'),
    ('һ', 'h'),
    ('Н', 'H'),
    ('і', 'i'),
    ('І', 'I'),
    ('ј', 'j'),
    ('Ј', 'J'),
    ('к', 'k'),
    ('К', 'K'),
    ('ӏ', 'l'),
    ('м', 'm'),
    ('М', 'M'),
    ('п', 'n'),
    ('о', 'o'),
    ('О', 'O'),
    ('р', 'p'),
    ('Р', 'P'),
    ('ԛ', 'q'),
    ('г', 'r'),
    ('ѕ', 's'),
    ('Ѕ', 'S'),
    ('т', 't'),
    ('Т', 'T'),
    ('υ', 'u'),
    ('ѵ', 'v'),
    ('ԝ', 'w'),
    ('х', 'x'),
    ('Х', 'X'),
    ('у', 'y'),
    ('У', 'Y'),
    ('α', 'a'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('ε', 'e'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('ι', 'i'),
    ('Ι', 'I'),
    ('κ', 'k'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('ν', 'v'),
    ('Ν', 'N'),
    ('ο', 'o'),
    ('Ο', 'O'),
    ('ρ', 'p'),
    ('Ρ', 'P'),
    ('τ', 't'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('χ', 'x'),
    ('Χ', 'X'),
    ('ı', 'i'),
    ('ℓ', 'l'),
    ('ⅰ', 'i'),
    ('ⅼ', 'l'),
    ('‐', '-'),
    ('‑', '-'),
    ('‒', '-'),
    ('–', '-'),
    ('—', '-'),
    ('−', '-'),
    ('＿', '_'),
];

/// Splits gateway-prefixed tool names into (server, tool): Claude Code's
/// `mcp__server__tool` and the `server___tool` / `server__tool` forms.
#[must_use]
pub fn split_prefixed(tool: &str) -> Option<(&str, &str)> {
    // Most names hold no `__`: a byte scan says so before any searcher is
    // built.
    if !tool.as_bytes().windows(2).any(|pair| pair == b"__") {
        return None;
    }
    if let Some(rest) = tool.strip_prefix("mcp__")
        && let Some((server, name)) = rest.split_once("__")
        && !server.is_empty()
        && !name.is_empty()
    {
        return Some((server, name));
    }
    for separator in ["___", "__"] {
        if let Some((server, name)) = tool.split_once(separator) {
            let name = name.trim_start_matches('_');
            if !server.is_empty() && !name.is_empty() {
                return Some((server, name));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_become_one_name() {
        for raw in [
            "delete_file",
            "Delete_File",
            "DELETE_FILE",
            " delete_file ",
            "\tdelete_file\n",
            "dеlete_file",
            "delete\u{200B}_file",
            "\u{FEFF}delete_file",
            "ｄｅｌｅｔｅ_file",
            "𝐝𝐞𝐥𝐞𝐭𝐞_file",
            "de\u{0301}lete_file",
            "delete\u{00AD}_file",
            "\u{0301} delete_file",
            "\u{0500}elete_file",
            "de\u{04C0}ete_file",
            "delete_f\u{0130}le",
            "delete_file\u{3000}",
        ] {
            let canonical = canonical_name(raw);
            assert_eq!(canonical, "delete_file", "{raw:?}");
            assert_eq!(canonical_name(&canonical), canonical, "{raw:?}");
        }
    }

    #[test]
    fn prefixed_names_split() {
        for (raw, expected) in [
            ("mcp__prod-fs__write_file", Some(("prod-fs", "write_file"))),
            ("prod-fs___write_file", Some(("prod-fs", "write_file"))),
            ("prod__write_file", Some(("prod", "write_file"))),
            ("write_file", None),
            ("__x", None),
        ] {
            assert_eq!(split_prefixed(raw), expected, "{raw}");
        }
    }
}
