//! The quick reader of the common YAML subset against the full parser: on
//! every YAML file of the repository (the corpus, the playground's presets,
//! the fuzz policies), every YAML block inside the README, and texts written
//! for each construct, the quick reader either declines or builds the very
//! tree the full parser builds, positions included.

use std::path::{Path, PathBuf};

use portcullis::yaml_readers_agree;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The fenced ```yaml blocks of a Markdown file.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None if line.trim_start().starts_with("```yaml") => current = Some(String::new()),
            Some(block) if line.trim_start().starts_with("```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

/// Whether the quick reader read the text; an error when the readers disagree.
fn agrees(name: &str, text: &str) -> Result<bool, String> {
    yaml_readers_agree(text)
        .map_err(|difference| format!("{name}: the readers disagree on\n{text}\n{difference}"))
}

/// Asserts that the readers agree on each text and that the quick reader
/// read it (`quick`) or declined it.
fn all_read_as(texts: &[&str], quick: bool) -> Result<(), String> {
    for text in texts {
        let which = if quick { "declined" } else { "accepted" };
        assert_eq!(
            agrees(text, text)?,
            quick,
            "the quick reader {which}:\n{text}"
        );
    }
    Ok(())
}

#[test]
fn every_yaml_file_and_readme_block_reads_the_same_both_ways() -> Result<(), String> {
    let root = root();
    let mut files = Vec::new();
    for dir in ["tests", "playground/presets", "fuzz/policies"] {
        yaml_files(&root.join(dir), &mut files);
    }
    assert!(files.len() >= 40, "found only {files:?}");
    let mut read = 0;
    let mut inline_policies = 0;
    for file in &files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file).unwrap_or_default();
        read += usize::from(agrees(&name, &text)?);
        // A suite's policies written inline (`policy: |`), the suite's own
        // and its cases'.
        let suite = portcullis::yaml_to_json(&text).unwrap_or_default();
        let cases = suite
            .get("cases")
            .and_then(|c| c.as_array())
            .cloned()
            .unwrap_or_default();
        for holder in std::iter::once(&suite).chain(&cases) {
            if let Some(policy) = holder.get("policy").and_then(|p| p.as_str()) {
                agrees(&format!("{name}: inline policy"), policy)?;
                inline_policies += 1;
            }
        }
    }
    assert!(
        inline_policies >= 20,
        "found only {inline_policies} inline policies"
    );
    // The corpus is written the way policies are written: nearly all of it
    // is within the subset (what is not holds anchors, folded scalars, bad
    // YAML on purpose and the like).
    assert!(
        read * 10 >= files.len() * 8,
        "read {read} of {}",
        files.len()
    );

    let mut blocks = 0;
    for name in ["README.md", "npm/README.md"] {
        let markdown = std::fs::read_to_string(root.join(name)).unwrap_or_default();
        for (i, block) in yaml_blocks(&markdown).iter().enumerate() {
            agrees(&format!("{name} block {i}"), block)?;
            blocks += 1;
        }
    }
    assert!(blocks >= 5, "found only {blocks} YAML blocks");
    Ok(())
}

#[test]
fn the_common_constructs_are_read_quickly_and_identically() -> Result<(), String> {
    let texts = [
        "a: 1\n",
        "a: 1",
        "---\na: 1\n",
        "--- # the policy\na: 1\n",
        "# comment\n\n  # indented comment\na: 1 # trailing\nb:   two words  \n",
        "version: \"1\"\ndefaults: { risk_level: medium, approval: approve }\nrules:\n  - name: r0\n    match: { tool: \"tool_0\", server: 'srv-*' }\n    conditions: { param_gt: { amount: 0 } }\n    approval: block\n",
        "rules:\n- name: a\n  match:\n    tool: [read_*, 'write_*', \"x\"]\n- name: b\nother: 2\n",
        "a:\n  - - x\n    - y\n  - -\n      z: 1\n",
        "a:\n  -\n    b: 1\n    c: [ ]\n  - {}\n",
        "[1, -2, 1.5, true, ~, yes, '3', 0x10, 1e3]\n",
        "{a: [b, {c: d}], 'e': \"f\\\"g\\\\h\\n\"}\n",
        "url: http://example.com/a#b\ntime: 10:30\nt: it's a 'test'\n",
        "'quoted key': v\n\"dq\" : w\nk: 'it''s'\n",
        "list: [a, b]\nneg: -1\ndash: -x\n",
        "  indented: root\n  second: key\n",
        "a:\n    deep:\n        deeper: 1\n    back: 2\n",
        "k: v\n\n\n# end\n",
        "k: [a , b ]   # comment\n",
        "a: b c d\n",
        "---\r\n# c\r\nrules:\r\n  - name: a  # c\r\n    match: { tool: \"x\" }\r\n  -\r\n    name: b\r\nlist:\r\n- x\r\n\r\nlit: |\r\n  one\r\n\r\n  two\r\nend: 'q'\r\n",
        "é: 1\nreason: Écriture interdite — « approbation » requise\nliste: [日本, 'ü', \"ß\"]   # commentaire\n",
        "- nom: é\n  ok: { a: ü, b: x }\n- |\n  ligne é\n  ünd\n",
        "a: |\n  text\n",
        "a: |\n  line\n    more # not a comment\n\n  last  \n\n\nb: |-\n  x\nc: | # comment\n   y\n# comment\nd: 1\n",
        "- |\n   text\n- |-\n  at the end",
        "- |-\n   text\n- |\n  at the end",
        "policy: |\n  rules:\n    - { name: a, approval: auto }\ncases:\n  - name: 'x'   # comment\n    call: { tool: \"t\" }  # comment\n",
    ];
    all_read_as(&texts, true)
}

#[test]
fn texts_outside_the_subset_go_to_the_full_parser() -> Result<(), String> {
    let texts = [
        // constructs the quick reader leaves to the full parser
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: >\n  text\n",
        "a: |+\n  text\n",
        "a: |2\n  text\n",
        "a: |\n\n  text\n",
        "a: |\n  text\n   \n",
        "a: |\n  text\n  ",
        "a: [b, ]\n",
        "a: | text\n  more\n",
        "{ approval: auto -}\n",
        "a: |#c\n  more\n",
        "a: { b: 5 ,}\n",
        "a: plain\n  continued\n",
        "a: 'quoted\n  continued'\n",
        "a: [1,\n  2]\n",
        "a:\n",
        "a:\nb: 1\n",
        "a: {b: }\n",
        "a: \"\\u00e9\"\n",
        "a: \u{feff}b\n",
        "a: b\u{2028}c\n",
        "a: \u{85}\n",
        "a:\t1\n",
        "a: 1\rb: 2\n",
        "? complex\n: key\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "...  - a: b\n",
        "...\na: b\n",
        "plain scalar\n",
        "",
        "# only a comment\n",
        "{a: b:c}\n",
        // errors, which the full parser reports with their positions
        "a: 1\n b: 2\n",
        "a: b: c\n",
        "- a\nb: 1\n",
        "a: \"unclosed\n",
        "a: [1, 2\n",
        "a: 'x'y\n",
        "a: \"x\"#c\n",
        "a: 1\na:\n  - x\n  y: 2\n",
    ];
    all_read_as(&texts, false)
}
