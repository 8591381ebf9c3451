//! Building the verdict's sentences without `format!` on the hot path:
//! one allocation per sentence, no formatting machinery.

/// The decimal text of every score, 0 to 100.
const SCORES: [&str; 101] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32",
    "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47", "48",
    "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63", "64",
    "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "80",
    "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95", "96",
    "97", "98", "99", "100",
];

/// The decimal text of a score.
pub(crate) fn score(n: u8) -> &'static str {
    SCORES.get(usize::from(n)).copied().unwrap_or("100")
}

/// Joins the pieces into one string with a single allocation.
pub(crate) fn join(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// `text` in lowercase. ASCII text (nearly every name, key and pattern)
/// skips the Unicode tables, so a first decision in wasm does not compile
/// them (see the crate docs on cold start); the result is the same.
pub(crate) fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// `str::trim` for a text known to be ASCII, byte by byte (the blanks
/// `char::is_whitespace` finds in ASCII are tab to carriage return and
/// space; std's `str::trim_ascii` keeps U+000B, so a name could hide
/// behind a vertical tab).
pub(crate) fn trim_ascii(text: &str) -> &str {
    let blank = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |i| i + 1);
    text.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_trim_is_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a b\t",
            "\x0b\x0cx\r\n",
            "\x1fx\x1f",
            "\t \n",
        ] {
            assert_eq!(trim_ascii(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn scores_and_joins() {
        assert_eq!(score(0), "0");
        assert_eq!(score(42), "42");
        assert_eq!(score(100), "100");
        assert_eq!(join(&["a", "b", "c"]), "abc");
        assert_eq!(lowercase("Read_FILE"), "read_file");
        assert_eq!(lowercase("ÉTÉ Ǆ"), "été ǆ");
    }
}
