//! Decimal numbers written as text: a policy's `1.5` or `2e3`, and the
//! text of an argument such as `"5000"` compared with a number.
//!
//! They are read with serde_json's number reader, the one every number in a
//! call's JSON goes through, so that a policy's `0.1` and a call's `0.1`
//! are the same float. (`str::parse::<f64>` rounds a few inputs with very
//! many digits differently, and its tables were 10 KB of the wasm.)

/// Reads `[-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)?`, or
/// `None` for any other text. Leading zeros are allowed (`007`, `01.5`);
/// a number too large for a float is infinite, and one too small is zero.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (mantissa, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    if let Some(e) = exponent {
        let magnitude = e.strip_prefix(['-', '+']).unwrap_or(e);
        if magnitude.is_empty() || !digits(magnitude) {
            return None;
        }
    }
    // The same number in JSON's stricter form: a sign only when negative,
    // one leading digit at least and no leading zeros, digits after a point.
    let whole = whole.trim_start_matches('0');
    let mut json = String::with_capacity(text.len() + 2);
    if negative {
        json.push('-');
    }
    json.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        json.push('.');
        json.push_str(fraction);
    }
    if let Some(exponent) = exponent {
        json.push('e');
        json.push_str(exponent);
    }
    match serde_json::from_str::<f64>(&json) {
        Ok(value) => Some(value),
        // serde_json refuses a number beyond the largest float.
        Err(_) if negative => Some(f64::NEG_INFINITY),
        Err(_) => Some(f64::INFINITY),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    #[test]
    fn reads_the_forms_of_decimal_numbers() {
        let cases = [
            ("5000", 5000.0),
            ("-2", -2.0),
            ("+2", 2.0),
            ("1.5", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("-.25", -0.25),
            ("1e3", 1000.0),
            ("2.5E-2", 0.025),
            ("1e+2", 100.0),
            ("007", 7.0),
            ("01.5", 1.5),
            ("0.1", 0.1),
            ("1e-400", 0.0),
        ];
        for (text, want) in cases {
            assert_eq!(parse_f64(text), Some(want), "{text}");
        }
        assert_eq!(parse_f64("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_f64("-1e400"), Some(f64::NEG_INFINITY));
    }

    #[test]
    fn refuses_everything_else() {
        for text in [
            "", "-", "+", ".", "e3", "1e", "1e+", "1.2.3", "1-2", "--1", "0x10", "1_000", " 1",
            "inf", "NaN", "١",
        ] {
            assert_eq!(parse_f64(text), None, "{text:?}");
        }
    }

    #[test]
    fn agrees_with_the_standard_parser_on_ordinary_numbers() {
        for text in [
            "3.14159",
            "-0.001",
            "123456.789",
            "9007199254740993",
            "1e21",
            "6.02e23",
        ] {
            assert_eq!(parse_f64(text), text.parse::<f64>().ok(), "{text}");
        }
    }
}
