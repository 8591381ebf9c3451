//! A flat view of a tool call's arguments: every text, number and list with
//! the key it sits under, read once per call.

use std::borrow::Cow;

use serde_json::{Map, Value as Json};

use crate::few::Few;

/// A text argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextArg<'a> {
    /// The nearest key above the value, lowercased (`path` for `{"path": ...}`
    /// and for `{"paths": [...]}` items alike, minus the plural `s`).
    pub(crate) key: Cow<'a, str>,
    /// The key as a dotted path (`options.path`, `files.0`).
    pub(crate) path: Cow<'a, str>,
    pub(crate) value: &'a str,
}

/// Every argument value that the classifiers look at.
#[derive(Debug)]
pub(crate) struct Args<'a> {
    /// The arguments as given.
    arguments: &'a Map<String, Json>,
    pub(crate) texts: Few<TextArg<'a>>,
    /// Numbers with their keys.
    pub(crate) numbers: Few<(Cow<'a, str>, f64)>,
    /// Booleans with their keys.
    pub(crate) flags: Vec<(Cow<'a, str>, bool)>,
    /// Lists with their keys and lengths.
    pub(crate) lists: Vec<(Cow<'a, str>, usize)>,
    /// The keys of nested objects, lowercased (see [`Args::keys`]).
    nested_keys: Vec<Cow<'a, str>>,
}

/// A value still to be read, with its key and path.
type Pending<'a> = (Cow<'a, str>, Cow<'a, str>, &'a Json);

impl<'a> Args<'a> {
    /// Flattens `arguments` (already bounded in depth and size), depth
    /// first in the order given. Nested values wait on a stack (a call's
    /// depth limit is the policy's to set, so no recursion), which flat
    /// arguments never allocate.
    // Out of line, for wasm cold start (see the crate docs).
    #[inline(never)]
    pub(crate) fn collect(arguments: &'a Map<String, Json>) -> Self {
        let mut args = Args {
            arguments,
            texts: Few::default(),
            numbers: Few::default(),
            flags: Vec::new(),
            lists: Vec::new(),
            nested_keys: Vec::new(),
        };
        let mut stack: Vec<Pending<'a>> = Vec::new();
        for (k, v) in arguments {
            args.read(lower(k), Cow::Borrowed(k.as_str()), v, &mut stack);
            while let Some((key, path, value)) = stack.pop() {
                args.read(key, path, value, &mut stack);
            }
        }
        args
    }

    /// Keeps a scalar; puts a list's items or an object's entries on the
    /// stack, first item on top.
    fn read(
        &mut self,
        key: Cow<'a, str>,
        path: Cow<'a, str>,
        value: &'a Json,
        stack: &mut Vec<Pending<'a>>,
    ) {
        match value {
            Json::String(s) => self.texts.push(TextArg {
                key,
                path,
                value: s.as_str(),
            }),
            Json::Number(n) => {
                if let Some(f) = n.as_f64() {
                    self.numbers.push((key, f));
                }
            }
            Json::Bool(b) => self.flags.push((key, *b)),
            Json::Array(items) => {
                let item_key = match &key {
                    Cow::Borrowed(k) => Cow::Borrowed(k.strip_suffix('s').unwrap_or(k)),
                    Cow::Owned(k) => Cow::Owned(k.strip_suffix('s').unwrap_or(k).to_owned()),
                };
                for (i, item) in items.iter().enumerate().rev() {
                    let item_path = [&*path, ".", &i.to_string()].concat();
                    stack.push((item_key.clone(), Cow::Owned(item_path), item));
                }
                self.lists.push((key, items.len()));
            }
            Json::Object(map) => {
                let first = self.nested_keys.len();
                for (k, v) in map.iter().rev() {
                    let key = lower(k);
                    self.nested_keys.push(key.clone());
                    stack.push((key, Cow::Owned([&*path, ".", k].concat()), v));
                }
                // Listed in the object's order.
                if let Some(added) = self.nested_keys.get_mut(first..) {
                    added.reverse();
                }
            }
            Json::Null => {}
        }
    }

    /// Every key, lowercased: the top-level ones in order, then those of
    /// nested objects, depth first.
    pub(crate) fn keys(&self) -> impl Iterator<Item = Cow<'a, str>> + '_ {
        let top = self.arguments.keys().map(|k| lower(k));
        top.chain(self.nested_keys.iter().cloned())
    }

    /// The first text under one of `keys`.
    pub(crate) fn text(&self, keys: &[&str]) -> Option<&'a str> {
        self.texts
            .iter()
            .find(|t| keys.contains(&&*t.key))
            .map(|t| t.value)
    }
}

/// A key in lowercase, borrowed when it already is.
fn lower(key: &str) -> Cow<'_, str> {
    if key.chars().any(char::is_uppercase) {
        Cow::Owned(crate::text::lowercase(key))
    } else {
        Cow::Borrowed(key)
    }
}

/// Looks up an argument by a dotted path (`options.force`, `files.0.name`).
/// A key that itself contains dots is found first, as written.
pub(crate) fn lookup<'a>(arguments: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    if let Some(value) = arguments.get(path) {
        return Some(value);
    }
    let mut parts = path.split('.');
    let mut current = arguments.get(parts.next()?)?;
    for part in parts {
        current = match current {
            Json::Object(map) => map.get(part)?,
            Json::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Puts `value` where [`lookup`] finds `path`; `false` when nothing is there.
pub(crate) fn replace(arguments: &mut Map<String, Json>, path: &str, value: Json) -> bool {
    if let Some(slot) = arguments.get_mut(path) {
        *slot = value;
        return true;
    }
    let mut parts = path.split('.');
    let Some(mut current) = parts.next().and_then(|first| arguments.get_mut(first)) else {
        return false;
    };
    for part in parts {
        let next = match current {
            Json::Object(map) => map.get_mut(part),
            Json::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        let Some(next) = next else {
            return false;
        };
        current = next;
    }
    *current = value;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Json) -> Map<String, Json> {
        match value {
            Json::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn flattens_with_keys() {
        let arguments = object(json!({
            "path": "/a",
            "paths": ["/b", "/c"],
            "options": {"Force": true, "count": 5},
        }));
        let args = Args::collect(&arguments);
        let texts: Vec<(&str, &str, &str)> = args
            .texts
            .iter()
            .map(|t| (&*t.key, &*t.path, t.value))
            .collect();
        assert_eq!(
            texts,
            [
                ("path", "path", "/a"),
                ("path", "paths.0", "/b"),
                ("path", "paths.1", "/c")
            ]
        );
        assert_eq!(args.flags, [(Cow::Borrowed("force"), true)]);
        assert_eq!(*args.numbers, [(Cow::Borrowed("count"), 5.0)]);
        assert_eq!(args.lists, [(Cow::Borrowed("paths"), 2)]);
        // The top-level keys first, then a nested object's, in its order.
        let keys: Vec<Cow<'_, str>> = args.keys().collect();
        assert_eq!(keys, ["path", "paths", "options", "force", "count"]);
    }

    #[test]
    fn dotted_lookup() {
        let arguments = object(json!({"options": {"force": true}, "a.b": 1, "list": [{"x": 2}]}));
        assert_eq!(lookup(&arguments, "options.force"), Some(&json!(true)));
        assert_eq!(lookup(&arguments, "a.b"), Some(&json!(1)));
        assert_eq!(lookup(&arguments, "list.0.x"), Some(&json!(2)));
        assert_eq!(lookup(&arguments, "options.nope"), None);
    }
}
