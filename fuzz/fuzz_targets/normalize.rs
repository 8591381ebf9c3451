//! Canonical forms are fixed points: normalizing a normalized path, name
//! or URL changes nothing, and never panics on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis::normalize::name::{canonical_name, split_prefixed};
use portcullis::normalize::path::normalize_path;
use portcullis::normalize::shell::parse_command_line;
use portcullis::normalize::url::normalize_url;
use portcullis::risk::sql::{analyze_sql, looks_like_sql};

fuzz_target!(|text: &str| {
    let path = normalize_path(text);
    assert_eq!(normalize_path(&path), path, "path {text:?}");
    let name = canonical_name(text);
    assert_eq!(canonical_name(&name), name, "name {text:?}");
    let _ = split_prefixed(&name);
    if let Some(url) = normalize_url(text) {
        assert_eq!(normalize_url(&url).as_deref(), Some(url.as_str()), "url {text:?}");
    }
    let line = parse_command_line(text);
    assert!(line.commands.iter().all(|c| !c.argv.is_empty()));
    if looks_like_sql(text, true) {
        let _ = analyze_sql(text);
    }
});
