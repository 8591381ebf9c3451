//! Filesystem paths in their canonical form, so a pattern written as
//! `/etc/*` sees `/data/../etc/passwd`, `/etc//passwd`, `%2e%2e`-encoded
//! and backslashed spellings as the path they name.
//!
//! Rules, in order: cut at a NUL byte (C APIs stop there); decode percent-
//! encoding until nothing changes (bounded); turn a `file:` URL into its
//! path; turn `\` into `/`; trim surrounding whitespace; collapse repeated
//! `/`; drop `.` segments; resolve `..` against the previous segment (at the
//! root it stays at the root; a relative path keeps its leading `..`); drop
//! a trailing `/`, and trim the blanks that uncovers at either end. Case is
//! kept: paths are case-sensitive, as on Linux. Normalizing a normalized
//! path changes nothing.

/// Most rounds of percent-decoding; each round shrinks the text, so a
/// fixed point is reached long before this for anything but crafted input.
const MAX_DECODE_ROUNDS: usize = 32;

/// The canonical form of a filesystem path (see the module docs).
#[must_use]
pub fn normalize_path(raw: &str) -> String {
    if is_canonical(raw) {
        return raw.to_owned();
    }
    // One pass can leave work for another (trimming after a trailing `/`
    // is dropped, a `file:` left behind by the first one), so passes repeat
    // until the form is canonical: normalizing twice changes nothing.
    let mut path = normalize_once(raw);
    for _ in 0..MAX_DECODE_ROUNDS {
        if path.is_empty() || is_canonical(&path) {
            break;
        }
        let next = normalize_once(&path);
        if next == path {
            break;
        }
        path = next;
    }
    path
}

fn normalize_once(raw: &str) -> String {
    let cut = raw.split('\0').next().unwrap_or("");
    let mut text = cut.to_owned();
    for _ in 0..MAX_DECODE_ROUNDS {
        match percent_decode(&text) {
            Some(decoded) if decoded != text => {
                text = decoded.split('\0').next().unwrap_or("").to_owned()
            }
            _ => break,
        }
    }
    let text = text.replace('\\', "/");
    let text = text.trim();
    let text = strip_file_scheme(text);
    resolve_segments(text)
}

/// Whether a path is already in canonical form (the common case, checked
/// in one pass over the bytes, without allocating).
fn is_canonical(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if raw == "/" {
        return true;
    }
    // No blank at either end (beyond ASCII, a non-ASCII end may still be
    // whitespace), no trailing `/`.
    let blank = |b: u8| char::from(b).is_whitespace();
    if blank(first) || blank(last) || last == b'/' {
        return false;
    }
    if (first >= 0x80 || last >= 0x80) && raw.trim() != raw {
        return false;
    }
    if bytes.len() >= 5
        && bytes
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"file:"))
    {
        return false;
    }
    // Walk the segments: none empty (after the first), `.` or `..`, and no
    // `%`, `\` or NUL anywhere.
    let mut segment_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'%' | b'\\' | 0 => return false,
            b'/' => {
                if !segment_ok(bytes.get(segment_start..i), segment_start == 0) {
                    return false;
                }
                segment_start = i + 1;
            }
            _ => {}
        }
    }
    segment_ok(bytes.get(segment_start..), false)
}

/// A segment of a canonical path: not `.` or `..`, and not empty except as
/// the first (the root's).
fn segment_ok(segment: Option<&[u8]>, first: bool) -> bool {
    match segment {
        Some(b"." | b"..") | None => false,
        Some([]) => first,
        Some(_) => true,
    }
}

/// Whether a text looks like a filesystem path (for arguments whose key
/// does not say so).
#[must_use]
pub fn looks_like_path(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('/')
        || t.starts_with("./")
        || t.starts_with("../")
        || t.starts_with("~/")
        || t.starts_with('\\')
        || t.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("file://"))
        || t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("file:"))
        || (t.len() > 2
            && t.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && t.get(1..3).is_some_and(|p| p == ":\\" || p == ":/"))
}

fn strip_file_scheme(text: &str) -> &str {
    let Some(scheme) = text.get(..5) else {
        return text;
    };
    if !scheme.eq_ignore_ascii_case("file:") {
        return text;
    }
    let rest = text.get(5..).unwrap_or("");
    let Some(after_slashes) = rest.strip_prefix("//") else {
        return rest;
    };
    // `file://host/path`: the path starts at the next `/`; `localhost` and
    // an empty host both mean this machine.
    match after_slashes.find('/') {
        Some(i) => after_slashes.get(i..).unwrap_or("/"),
        None => "/",
    }
}

fn resolve_segments(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let absolute = text.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for segment in text.split('/') {
        push_segment(&mut parts, segment, absolute);
    }
    // Settle the ends in the same pass, so that normalizing twice changes
    // nothing: blanks at the end of the path (after a trailing `/` was
    // dropped) are trimmed like the path's own, and what that uncovers (`.`,
    // `..`, nothing) is resolved in turn. Each step removes something, so
    // this is linear in the path.
    while let Some(last) = parts.last().copied() {
        let trimmed = last.trim_end();
        if trimmed.len() == last.len() {
            break;
        }
        parts.pop();
        push_segment(&mut parts, trimmed, absolute);
    }
    // A relative path's start, likewise (`b/../ c` is `c`).
    let mut skip = 0;
    if !absolute {
        while let Some(first) = parts.get(skip).copied() {
            let trimmed = first.trim_start();
            if trimmed.len() == first.len() {
                break;
            }
            if matches!(trimmed, "" | ".") {
                skip += 1;
            } else {
                if let Some(slot) = parts.get_mut(skip) {
                    *slot = trimmed;
                }
                break;
            }
        }
    }
    let joined = parts.get(skip..).unwrap_or_default().join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// Adds one segment to a path being resolved: empty and `.` segments go,
/// `..` climbs (at the root it stays there; a relative path keeps it).
fn push_segment<'a>(parts: &mut Vec<&'a str>, segment: &'a str, absolute: bool) {
    match segment {
        "" | "." => {}
        ".." => match parts.last() {
            Some(last) if *last != ".." => {
                parts.pop();
            }
            _ if !absolute => parts.push(".."),
            _ => {}
        },
        other => parts.push(other),
    }
}

/// Decodes `%XX` sequences; `None` when there are none.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    // Decoded until nothing changes, in one pass: whenever the output ends
    // in `%XX`, that is decoded in place, so `%252e` becomes `%2e` and then
    // `.`. Each step removes two bytes, so this stays linear however deep
    // the encoding is nested.
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut changed = false;
    for &b in text.as_bytes() {
        out.push(b);
        while let Some(decoded) = escape_at_end(&out) {
            out.truncate(out.len() - 3);
            out.push(decoded);
            changed = true;
        }
    }
    changed.then(|| String::from_utf8_lossy(&out).into_owned())
}

/// The byte a `%XX` at the very end of `bytes` stands for.
fn escape_at_end(bytes: &[u8]) -> Option<u8> {
    let [.., b'%', high, low] = *bytes else {
        return None;
    };
    let digit = |c: u8| char::from(c).to_digit(16);
    let value = digit(high)? * 16 + digit(low)?;
    u8::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast check never takes a path that normalizing would change:
    /// every text of up to five characters from separators, dots, escapes,
    /// blanks and letters.
    #[test]
    fn a_path_taken_as_canonical_is_unchanged_by_normalizing() {
        let alphabet = ['/', '.', 'a', '%', ' ', '\\', '\0', 'F', '\u{a0}'];
        let mut texts = vec![String::new()];
        let mut wrong = Vec::new();
        for _ in 0..5 {
            let mut longer = Vec::new();
            for text in &texts {
                for c in alphabet {
                    let mut t = text.clone();
                    t.push(c);
                    if is_canonical(&t) && normalize_path(&t) != t {
                        wrong.push(t.clone());
                    }
                    longer.push(t);
                }
            }
            texts = longer;
        }
        assert_eq!(wrong, Vec::<String>::new());
        for taken in ["/", "/srv/report.csv", "a/b", "/a/.b/..c/...", "file.txt"] {
            assert!(is_canonical(taken), "{taken}");
        }
        for refused in ["/a/", "/a//b", "./a", "a/..", "/a/./b", "/%2e", " /a", "."] {
            assert!(!is_canonical(refused), "{refused}");
        }
    }

    #[test]
    fn canonical_forms() {
        for (raw, expected) in [
            ("/etc/passwd", "/etc/passwd"),
            ("/data/../etc/passwd", "/etc/passwd"),
            ("/data/../../../etc/passwd", "/etc/passwd"),
            ("//etc///passwd", "/etc/passwd"),
            ("/etc/./passwd", "/etc/passwd"),
            ("/etc/", "/etc"),
            ("/", "/"),
            ("/data/%2e%2e/etc/passwd", "/etc/passwd"),
            ("/data/%2e%2e%2fetc%2fpasswd", "/etc/passwd"),
            ("/data/%252e%252e/etc/passwd", "/etc/passwd"),
            (
                "/data/%252525252525252525252525252525252525252525252525252525252525252525252525252e%2e/etc/passwd",
                "/etc/passwd",
            ),
            ("%%41%2%35", "%A%"),
            ("\\etc\\passwd", "/etc/passwd"),
            ("file:///etc/passwd", "/etc/passwd"),
            ("FILE://localhost/etc/passwd", "/etc/passwd"),
            ("file:/etc/passwd", "/etc/passwd"),
            ("  /etc/passwd  ", "/etc/passwd"),
            ("/etc/passwd\0.txt", "/etc/passwd"),
            ("/etc/passwd%00.png", "/etc/passwd"),
            ("./notes.txt", "notes.txt"),
            ("../../etc/passwd", "../../etc/passwd"),
            ("a/b/../../..", ".."),
            ("/ETC/Passwd", "/ETC/Passwd"),
            ("", ""),
        ] {
            assert_eq!(normalize_path(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn canonical_paths_are_recognized_without_work() {
        for (raw, canonical) in [
            ("/etc/passwd", true),
            ("/", true),
            ("a/b", true),
            ("/a//b", false),
            ("/a/./b", false),
            ("/a/../b", false),
            ("/a/", false),
            ("/a%2e", false),
            ("\\a", false),
            (" /a", false),
            ("\u{b}/a", false),
            ("/a\u{a0}", false),
            ("/é", true),
            ("file:///a", false),
            ("./a", false),
            ("", false),
        ] {
            assert_eq!(is_canonical(raw), canonical, "{raw:?}");
            if canonical {
                assert_eq!(normalize_path(raw), raw);
            }
        }
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for raw in [
            "/a/../b/./c//",
            "%2e%2e/x",
            "file:///x/../y",
            "..\\..\\z",
            // found by the fuzzer: the trailing `/` went, a space stayed
            "r\\m -rf /",
            // ... and again, layer after layer of blanks and slashes
            "xB//  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /  /",
            "/a/. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. ",
            "b/../ c",
            " .. ",
            " file:file:/etc/passwd",
        ] {
            let once = normalize_path(raw);
            assert_eq!(normalize_path(&once), once, "{raw:?}");
        }
    }

    #[test]
    fn path_shapes() {
        for (text, expected) in [
            ("/etc/passwd", true),
            ("./x", true),
            ("C:\\Windows", true),
            ("file:///x", true),
            ("hello world", false),
            ("SELECT 1", false),
        ] {
            assert_eq!(looks_like_path(text), expected, "{text}");
        }
    }
}
