//! URLs in their canonical form: scheme and host lowercased, user info,
//! default ports and fragments dropped, the path's dot segments resolved.

use crate::normalize::path::percent_decode;

/// Most passes over a URL; each one shrinks it, so a fixed point is reached
/// long before this for anything but crafted input.
const MAX_ROUNDS: usize = 32;

/// The canonical form of an `http`/`https`/`ws`/`wss`/`ftp` URL, or `None`
/// when the text is not such a URL.
#[must_use]
pub fn normalize_url(raw: &str) -> Option<String> {
    // One pass can leave work for another (a decoded `%252e` is a dot
    // segment, a decoded `%23` a fragment, a host's trailing dot hid a
    // port), so passes repeat until the form is canonical: normalizing twice
    // changes nothing. A form that is no longer a URL means the text was not one.
    if !has_scheme_start(raw) {
        return None;
    }
    let mut url = normalize_once(raw)?;
    for _ in 0..MAX_ROUNDS {
        let next = normalize_once(&url)?;
        if next == url {
            break;
        }
        url = next;
    }
    Some(url)
}

/// A cheap first look, before any searching or copying: `scheme://` near
/// the start (most texts are not URLs, and the full reading is large code
/// that a first decision in wasm would otherwise compile).
fn has_scheme_start(raw: &str) -> bool {
    let text = raw.trim_start().as_bytes();
    text.iter()
        .take(6)
        .position(|b| *b == b':')
        .and_then(|colon| text.get(colon + 1..colon + 3))
        == Some(b"//")
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn normalize_once(raw: &str) -> Option<String> {
    let text = raw.trim();
    let colon = text.find(':').filter(|i| *i <= 5)?;
    let scheme = text.get(..colon)?;
    let rest = text.get(colon + 1..)?.strip_prefix("//")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "ws" | "wss" | "ftp") {
        return None;
    }
    let rest = rest.replace('\\', "/");
    let rest = rest.split('#').next().unwrap_or("");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or("");
    let tail = rest.get(authority_end..).unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host_port = percent_decode(host_port).unwrap_or_else(|| host_port.to_owned());
    // Trailing dots and empty ports go, before and after the port is split
    // off (`h.:`, `h:::` and `h.:80.` are `h`, `h`, `h:80`); a colon still
    // inside a host that is not an IPv6 literal makes it no URL (`h:x:80`).
    let (host, port) = split_port(host_port.trim_end_matches(['.', ':']));
    let host = host.trim_end_matches(['.', ':']).to_ascii_lowercase();
    if host.is_empty() || (!host.starts_with('[') && host.contains(':')) {
        return None;
    }
    let default_port = match scheme.as_str() {
        "http" | "ws" => "80",
        "https" | "wss" => "443",
        _ => "21",
    };
    let port = port.filter(|p| *p != default_port && !p.is_empty());
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (tail, None),
    };
    let path = resolve_dots(path, query.is_none());
    let mut out = format!("{scheme}://{host}");
    if let Some(port) = port {
        out.push(':');
        out.push_str(port);
    }
    out.push_str(&path);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Some(out)
}

/// The host of a canonical URL.
#[must_use]
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', ':']).unwrap_or(rest.len());
    rest.get(..end)
}

fn split_port(host_port: &str) -> (&str, Option<&str>) {
    if host_port.starts_with('[') {
        // IPv6 literal: `[::1]:8080`.
        return match host_port.find("]:") {
            Some(i) => (
                host_port.get(..=i).unwrap_or(host_port),
                host_port.get(i + 2..),
            ),
            None => (host_port, None),
        };
    }
    match host_port.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (host_port, None),
    }
}

/// The path with its dot segments resolved. When it ends the URL (no query
/// follows), its blanks at the end go too, with any dot segment that
/// uncovers: the next reading trims the whole text, so a path that ended in
/// `/. ` would otherwise lose one segment per pass.
fn resolve_dots(path: &str, ends_url: bool) -> String {
    let decoded = percent_decode(path).unwrap_or_else(|| path.to_owned());
    let slash_ends = decoded.ends_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for segment in decoded.split('/') {
        resolve_segment(&mut parts, segment);
    }
    if ends_url && !slash_ends {
        while let Some(last) = parts.pop() {
            if resolve_segment(&mut parts, last.trim_end()) {
                break;
            }
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if slash_ends && !parts.is_empty() {
        out.push('/');
    }
    out
}

/// Adds one segment to the resolved ones: an empty or `.` segment goes, a
/// `..` takes the one before with it. Whether the segment was kept.
fn resolve_segment<'p>(parts: &mut Vec<&'p str>, segment: &'p str) -> bool {
    match segment {
        "" | "." => false,
        ".." => {
            parts.pop();
            false
        }
        kept => {
            parts.push(kept);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls() {
        for (raw, expected) in [
            ("https://Example.COM/a/../b", Some("https://example.com/b")),
            (
                "HTTP://example.com:80/x?y=1#frag",
                Some("http://example.com/x?y=1"),
            ),
            (
                "https://user:pw@evil.com:8443/",
                Some("https://evil.com:8443/"),
            ),
            ("https://example.com", Some("https://example.com/")),
            (
                "https://example.com./%2e%2e/admin",
                Some("https://example.com/admin"),
            ),
            (
                "ftp://files.example.com/pub",
                Some("ftp://files.example.com/pub"),
            ),
            (
                "https://example.com/a/%252e%252e/admin",
                Some("https://example.com/admin"),
            ),
            (
                "https://example.com:80./x",
                Some("https://example.com:80/x"),
            ),
            ("http://:.?", None),
            // found by the normalize fuzz target: one empty port went per pass
            (
                "https://h::::::::::::::::::::::::::::::::::::::::::::",
                Some("https://h/"),
            ),
            (
                "https://h.:.:.:.:.:.:.:.:.:.:.:.:.:.:.:.:.:.:.:.:/x",
                Some("https://h/x"),
            ),
            ("https://h:x:80/", None),
            // found by the normalize fuzz target: one level of a nested
            // `%25` encoding was decoded per pass
            (
                "https://h/a%2525252525252525252525252525252525252525252525252525252525252525252525252541",
                Some("https://h/aA"),
            ),
            // found by the normalize fuzz target: a path ending in blank
            // dot segments lost one per pass
            (
                "https://h/a/. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. /. ",
                Some("https://h/a"),
            ),
            ("https://h/a/b /.. /.%20#f", Some("https://h/a")),
            ("https://h/a /?q ", Some("https://h/a /?q")),
            ("file:///etc/passwd", None),
            ("not a url", None),
        ] {
            assert_eq!(normalize_url(raw).as_deref(), expected, "{raw}");
        }
        assert_eq!(host_of("https://example.com:8443/x"), Some("example.com"));
    }
}
