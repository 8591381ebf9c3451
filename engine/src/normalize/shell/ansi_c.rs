//! Bash's ANSI-C quoting, `$'...'`: the quoted text with its escapes
//! decoded, so `$'\x72m'` is read as the `rm` it runs.

/// Reads the body of `$'...'` from `start` into `word`, decoding its
/// escapes; returns the position after the closing quote.
pub(super) fn ansi_c_quoted(chars: &[char], start: usize, word: &mut String) -> usize {
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '\'' => return i,
            '\\' => {
                let Some(&e) = chars.get(i) else { break };
                i += 1;
                let simple = match e {
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    'e' | 'E' => Some('\u{1b}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    'v' => Some('\u{b}'),
                    '\\' | '\'' | '"' | '?' => Some(e),
                    _ => None,
                };
                if let Some(decoded) = simple {
                    word.push(decoded);
                    continue;
                }
                let (radix, max, from) = match e {
                    'x' => (16, 2, i),
                    'u' => (16, 4, i),
                    'U' => (16, 8, i),
                    '0'..='7' => (8, 3, i - 1),
                    _ => {
                        word.push('\\');
                        word.push(e);
                        continue;
                    }
                };
                let digits: String = chars
                    .get(from..)
                    .unwrap_or_default()
                    .iter()
                    .take(max)
                    .take_while(|d| d.is_digit(radix))
                    .collect();
                match u32::from_str_radix(&digits, radix)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(decoded) => {
                        word.push(decoded);
                        i = from + digits.len();
                    }
                    None => {
                        word.push('\\');
                        word.push(e);
                    }
                }
            }
            other => word.push(other),
        }
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_decoded() {
        for (quoted, expected) in [
            ("rm'", "rm"),
            ("\\x72m'", "rm"),
            ("\\162\\155'", "rm"),
            ("\\u0072m'", "rm"),
            ("a\\tb\\'c'", "a\tb'c"),
            ("\\qx'", "\\qx"),
            ("unclosed", "unclosed"),
        ] {
            let chars: Vec<char> = quoted.chars().collect();
            let mut word = String::new();
            let end = ansi_c_quoted(&chars, 0, &mut word);
            assert_eq!(word, expected, "{quoted}");
            assert_eq!(end, chars.len(), "{quoted}");
        }
    }
}
