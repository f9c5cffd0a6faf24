//! Property tests of the token parsers that run before any database look-up: session and
//! subscription-link tokens, partner API keys. Arbitrary input never panics, every generated
//! token is recognised, and what is recognised has the promised shape.

use proptest::prelude::*;

use super::{api_key, token};

/// The prefixes `token::well_formed` is used with (sessions, subscription links).
const PREFIXES: &[&str] = &[token::SESSION_PREFIX, "nrsub_"];

proptest! {
    #[test]
    fn any_text_is_a_well_formed_token_only_if_shaped_like_one(raw in any::<String>()) {
        for prefix in PREFIXES {
            if token::well_formed(prefix, &raw) {
                prop_assert!(raw.starts_with(prefix) && raw.len() == prefix.len() + 43);
                prop_assert!(raw[prefix.len()..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            }
        }
    }

    #[test]
    fn base64url_text_of_the_right_length_is_judged_without_panicking(rest in "[A-Za-z0-9_=+/-]{40,46}") {
        for prefix in PREFIXES {
            let candidate = format!("{prefix}{rest}");
            let _ = token::well_formed(prefix, &candidate);
            prop_assert!(!token::well_formed("other_", &candidate));
        }
    }

    #[test]
    fn generated_tokens_are_recognised_and_digests_differ(_round in 0..4u8) {
        for prefix in PREFIXES {
            let t = token::generate(prefix);
            prop_assert!(token::well_formed(prefix, &t));
            prop_assert_ne!(token::digest(&t), token::digest(&token::generate(prefix)));
        }
    }

    #[test]
    fn any_text_is_a_well_formed_api_key_only_if_shaped_like_one(raw in any::<String>(), tail in "[0-9A-Za-z]{49}") {
        for candidate in [raw.clone(), format!("{}{tail}", api_key::PREFIX)] {
            if api_key::well_formed(&candidate) {
                prop_assert!(candidate.starts_with(api_key::PREFIX));
                prop_assert_eq!(candidate.len(), api_key::PREFIX.len() + 49);
            }
            prop_assert!(api_key::display_prefix(&candidate).chars().count() <= api_key::PREFIX.len() + 6);
        }
    }

    #[test]
    fn a_changed_character_breaks_a_key_checksum(at in 0usize..43, to in "[0-9A-Za-z]") {
        let key = api_key::generate();
        prop_assert!(api_key::well_formed(&key));
        let i = api_key::PREFIX.len() + at;
        prop_assume!(key[i..=i] != to);
        let typo = format!("{}{}{}", &key[..i], to, &key[i + 1..]);
        // A 6-character base62 checksum of 32 bits: a miss is a 1-in-4-billion event.
        prop_assert!(!api_key::well_formed(&typo), "{} passed", typo);
    }
}
