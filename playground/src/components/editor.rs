//! The policy editor: a textarea over its highlighted copy, with line
//! numbers, error underlines and the deciding rule marked.

use leptos::html;
use leptos::prelude::*;
use portcullis::Diagnostic;
use wasm_bindgen::JsCast as _;

use crate::highlight::{self, Line, LineClass, Mark};
use crate::state::Playground;

/// Height of one editor line in pixels (the CSS `--lh`).
const LINE_PX: f64 = 20.0;

/// The policy editor.
#[component]
pub fn PolicyEditor(
    /// The playground's state; the editor edits `state.policy`.
    state: Playground,
) -> impl IntoView {
    let textarea: NodeRef<html::Textarea> = NodeRef::new();
    let scroller: NodeRef<html::Div> = NodeRef::new();
    // Escape, then Tab, leaves the editor (Tab alone indents).
    let escaped = StoredValue::new(false);

    let rule_lines = move || {
        let outcome = state.outcome.get()?;
        if outcome.stale {
            return None;
        }
        let verdict = outcome.verdict.ok()?;
        let step = verdict.trace.iter().find(|s| s.matched)?;
        Some(
            state
                .policy
                .with(|text| highlight::item_extent(text, step.line)),
        )
    };
    let line_classes = move || {
        let mut lines = Vec::new();
        if let Some((first, last)) = rule_lines() {
            lines.push(LineClass {
                first,
                last,
                class: "rule",
            });
        }
        state.checked.with(|c| {
            for (list, class) in [(&c.warnings, "warn"), (&c.errors, "err")] {
                lines.extend(list.iter().map(|d| LineClass {
                    first: d.span.line,
                    last: d.span.end_line.max(d.span.line),
                    class,
                }));
            }
        });
        lines
    };
    let marks = move || {
        state.checked.with(|c| {
            let mark = |d: &Diagnostic, class| Mark {
                start: d.span.start,
                end: d.span.end,
                class,
            };
            c.warnings
                .iter()
                .map(|d| mark(d, "warn-mark"))
                .chain(c.errors.iter().map(|d| mark(d, "err-mark")))
                .collect::<Vec<_>>()
        })
    };
    let highlighted = Memo::new(move |_| {
        let (marks, lines) = (marks(), line_classes());
        state
            .policy
            .with(|text| highlight::render_lines(text, &marks, &lines))
    });
    let gutter = Memo::new(move |_| {
        let lines = line_classes();
        let count = state.policy.with(|t| t.split('\n').count());
        highlight::gutter_lines(count, &lines)
    });
    // The layers are patched line by line: re-rendering a 1000-line policy
    // on each keystroke costs the browser about 100 ms of layout.
    let layer: NodeRef<html::Pre> = NodeRef::new();
    let numbers: NodeRef<html::Div> = NodeRef::new();
    Effect::new(move |previous: Option<Vec<Line>>| {
        let lines = highlighted.get();
        if let Some(el) = layer.get() {
            patch(&el, previous.as_deref().unwrap_or_default(), &lines);
        }
        lines
    });
    Effect::new(move |previous: Option<Vec<Line>>| {
        let lines = gutter.get();
        if let Some(el) = numbers.get() {
            patch(&el, previous.as_deref().unwrap_or_default(), &lines);
        }
        lines
    });

    Effect::new(move |_| {
        let Some((line, _)) = state.jump.get() else {
            return;
        };
        let (Some(area), Some(scroll)) = (textarea.get_untracked(), scroller.get_untracked())
        else {
            return;
        };
        let offset = state
            .policy
            .with_untracked(|text| utf16_offset_of_line(text, line));
        let _ = area.focus();
        let _ = area.set_selection_range(offset, offset);
        let top = (f64::from(line.saturating_sub(4))) * LINE_PX;
        scroll.set_scroll_top(top as i32);
    });

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        if key == "Escape" {
            escaped.set_value(true);
            return;
        }
        let was_escaped = escaped.get_value();
        escaped.set_value(false);
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let Some(area) = textarea.get_untracked() else {
            return;
        };
        match key.as_str() {
            "Tab" if !was_escaped && !ev.shift_key() => {
                ev.prevent_default();
                insert_text(&area, "  ");
            }
            "Tab" if !was_escaped => {
                ev.prevent_default();
                dedent(&area, state);
            }
            "Enter" if !ev.shift_key() => {
                ev.prevent_default();
                let value = area.value();
                let caret = area.selection_start().ok().flatten().unwrap_or(0);
                insert_text(&area, &format!("\n{}", next_indent(&value, caret)));
            }
            _ => {}
        }
    };

    view! {
        <div class="editor" data-testid="policy-editor">
            <div class="editor-scroll" node_ref=scroller>
                <div class="editor-inner">
                    <div class="gutter" aria-hidden="true" data-testid="policy-gutter" node_ref=numbers></div>
                    <div class="code">
                        <pre class="hl" aria-hidden="true" data-testid="policy-highlight" node_ref=layer></pre>
                        <textarea
                            class="src"
                            node_ref=textarea
                            data-testid="policy-input"
                            aria-label="Policy (YAML)"
                            aria-describedby="editor-keys policy-problems"
                            spellcheck="false"
                            autocomplete="off"
                            autocapitalize="off"
                            wrap="off"
                            prop:value=move || state.policy.get()
                            on:input=move |ev| state.policy.set(event_target_value(&ev))
                            on:keydown=on_keydown
                        ></textarea>
                    </div>
                </div>
            </div>
            <p id="editor-keys" class="hint">
                "Tab indents, Shift+Tab dedents; press Esc then Tab to leave the editor."
            </p>
        </div>
    }
}

/// Brings the children of `container` (one element per line, drawn from
/// `old`) up to `new`, touching only the lines that differ: a common prefix
/// and suffix stay, changed lines are patched in place, and the lines an
/// edit added or removed are inserted or removed.
fn patch(container: &web_sys::Element, old: &[Line], new: &[Line]) {
    let children = container.children();
    if old.is_empty() || children.length() as usize != old.len() {
        // Out of step (first run): draw everything.
        container.set_inner_html(&highlight::to_html(new));
        return;
    }
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (old.len() - prefix - suffix, new.len() - prefix - suffix);
    let child = |i: usize| u32::try_from(i).ok().and_then(|i| children.item(i));
    for i in prefix..prefix + old_mid.min(new_mid) {
        let (Some(el), Some(a), Some(b)) = (child(i), old.get(i), new.get(i)) else {
            continue;
        };
        if a.class != b.class {
            el.set_class_name(&b.class);
        }
        if a.html != b.html {
            el.set_inner_html(&b.html);
        }
    }
    if old_mid > new_mid {
        for _ in new_mid..old_mid {
            if let Some(el) = child(prefix + new_mid) {
                el.remove();
            }
        }
    } else if new_mid > old_mid {
        let Some(document) = container.owner_document() else {
            return;
        };
        let before = child(prefix + old_mid);
        for line in new.iter().skip(prefix + old_mid).take(new_mid - old_mid) {
            let Ok(el) = document.create_element("div") else {
                continue;
            };
            el.set_class_name(&line.class);
            el.set_inner_html(&line.html);
            let _ = container.insert_before(&el, before.as_ref().map(|b| b.as_ref()));
        }
    }
}

/// Inserts text at the selection, keeping the browser's undo history
/// where the browser allows it.
fn insert_text(area: &web_sys::HtmlTextAreaElement, text: &str) {
    let inserted = area
        .owner_document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if !inserted {
        let start = area.selection_start().ok().flatten().unwrap_or(0);
        let end = area.selection_end().ok().flatten().unwrap_or(start);
        let _ = area.set_range_text_with_start_and_end_and_mode(text, start, end, "end");
        if let Ok(event) = web_sys::Event::new("input") {
            let _ = area.dispatch_event(&event);
        }
    }
}

/// Removes up to two spaces from the start of the caret's line.
fn dedent(area: &web_sys::HtmlTextAreaElement, state: Playground) {
    let value = area.value();
    let caret = area.selection_start().ok().flatten().unwrap_or(0);
    let units: Vec<u16> = value.encode_utf16().collect();
    let caret_index = usize::try_from(caret).unwrap_or(0).min(units.len());
    let line_start = units
        .get(..caret_index)
        .and_then(|before| before.iter().rposition(|u| *u == u16::from(b'\n')))
        .map_or(0, |i| i + 1);
    let spaces = units
        .iter()
        .skip(line_start)
        .take(2)
        .take_while(|u| **u == u16::from(b' '))
        .count();
    if spaces == 0 {
        return;
    }
    let start = u32::try_from(line_start).unwrap_or(0);
    let removed = u32::try_from(spaces).unwrap_or(0);
    let _ = area.set_selection_range(start, start + removed);
    let deleted = area
        .owner_document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.exec_command("delete").ok())
        .unwrap_or(false);
    if !deleted {
        let _ = area.set_range_text("");
        state.policy.set(area.value());
    }
    let back = caret.saturating_sub(removed).max(start);
    let _ = area.set_selection_range(back, back);
}

/// The indentation for a new line after the caret: the caret line's,
/// plus two after a `key:` that opens a block.
fn next_indent(value: &str, caret_utf16: u32) -> String {
    let mut count = 0u32;
    let mut byte = value.len();
    for (i, c) in value.char_indices() {
        if count >= caret_utf16 {
            byte = i;
            break;
        }
        count += u32::try_from(c.len_utf16()).unwrap_or(1);
    }
    let before = value.get(..byte).unwrap_or(value);
    let line = before.rsplit('\n').next().unwrap_or("");
    let indent = line.len() - line.trim_start_matches(' ').len();
    let trimmed = line.trim_end();
    let extra = if trimmed.ends_with(':') {
        2
    } else if trimmed.trim_start().starts_with("- ") && trimmed.trim_start().len() > 2 {
        // Continue a list item's mapping under its first key.
        2
    } else {
        0
    };
    " ".repeat(indent + extra)
}

/// The UTF-16 offset (what textareas count) where a 1-based line starts.
fn utf16_offset_of_line(text: &str, line: u32) -> u32 {
    let mut offset = 0u32;
    let mut current = 1u32;
    for c in text.chars() {
        if current >= line {
            break;
        }
        if c == '\n' {
            current += 1;
        }
        offset += u32::try_from(c.len_utf16()).unwrap_or(1);
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_lines_keep_and_open_indentation() {
        for (text, indent) in [
            ("rules:", 2),
            ("  - name: a", 4),
            ("    match: { type: x }", 4),
            ("    match:", 6),
            ("", 0),
        ] {
            let caret = u32::try_from(text.encode_utf16().count()).unwrap_or(0);
            assert_eq!(next_indent(text, caret).len(), indent, "{text:?}");
        }
    }

    #[test]
    fn line_offsets_count_utf16() {
        let text = "a: é\nb: 😀\nc: 1";
        assert_eq!(utf16_offset_of_line(text, 1), 0);
        assert_eq!(utf16_offset_of_line(text, 2), 5);
        assert_eq!(utf16_offset_of_line(text, 3), 11);
    }
}
