//! The state in a URL fragment: JSON, deflated, base64url. Nothing leaves
//! the browser: the fragment is never sent to a server.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::model::{SNAPSHOT_VERSION, Snapshot};

/// The fragment's key: `#s=<state>`.
pub const FRAGMENT_KEY: &str = "s=";

/// The largest state a link may expand to (a 4 MiB policy plus the rest).
const MAX_STATE_BYTES: usize = 8 * 1024 * 1024;

/// Encodes a snapshot for a URL fragment (without the `#s=`).
#[must_use]
pub fn encode(snapshot: &Snapshot) -> String {
    let json = serde_json::to_vec(snapshot).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    URL_SAFE_NO_PAD.encode(packed)
}

/// Decodes what [`encode`] wrote.
///
/// # Errors
///
/// A sentence saying what is wrong with the link (cut short, not ours, from
/// a newer playground).
pub fn decode(text: &str) -> Result<Snapshot, String> {
    let packed = URL_SAFE_NO_PAD
        .decode(text.trim().trim_end_matches('='))
        .map_err(|_| "the link's state is not valid base64url (was it cut short?)".to_owned())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE_BYTES)
        .map_err(|_| "the link's state does not decompress (was it cut short?)".to_owned())?;
    let snapshot: Snapshot = serde_json::from_slice(&json)
        .map_err(|e| format!("the link's state is not a playground state: {e}"))?;
    if snapshot.v > SNAPSHOT_VERSION {
        return Err(format!(
            "the link was made by a newer playground (format {}, this one reads {})",
            snapshot.v, SNAPSHOT_VERSION
        ));
    }
    Ok(snapshot)
}

/// The state in a location hash (`#s=...`), if it holds one.
#[must_use]
pub fn from_hash(hash: &str) -> Option<&str> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix(FRAGMENT_KEY))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CallForm;

    fn snapshot() -> Snapshot {
        Snapshot {
            v: SNAPSHOT_VERSION,
            preset: Some("aegis".to_owned()),
            policy: "version: \"1\"\nrules: []\n".repeat(40),
            call: CallForm {
                tool: "read_file".to_owned(),
                arguments: "{\"path\": \"/tmp/é\"}".to_owned(),
                ..CallForm::default()
            },
            ..Snapshot::default()
        }
    }

    #[test]
    fn round_trips_and_compresses() -> Result<(), String> {
        let s = snapshot();
        let encoded = encode(&s);
        assert!(encoded.len() < s.policy.len() / 4, "{}", encoded.len());
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode(&encoded)?, s);
        assert_eq!(from_hash(&format!("#s={encoded}")), Some(encoded.as_str()));
        Ok(())
    }

    #[test]
    fn bad_links_say_why() {
        let encoded = encode(&snapshot());
        let cut = encoded.get(..encoded.len() / 2).unwrap_or_default();
        for (text, says) in [
            ("!!!", "base64url"),
            (cut, "cut short"),
            ("aGVsbG8", "decompress"),
        ] {
            assert!(decode(text).is_err_and(|e| e.contains(says)), "{text}");
        }
        let newer = encode(&Snapshot {
            v: SNAPSHOT_VERSION + 1,
            ..snapshot()
        });
        assert!(decode(&newer).is_err_and(|e| e.contains("newer")));
        assert_eq!(from_hash("#other=1"), None);
    }
}
