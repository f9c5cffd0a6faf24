//! Opaque bearer tokens: a typed prefix and 256 random bits, shown once; only their SHA-256
//! is stored, so a database leak yields no usable token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of staff session tokens.
pub const SESSION_PREFIX: &str = "nrs_";

/// A new random token with the given prefix: `nrs_` + 43 base64url characters.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 digest that is stored and looked up.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Whether `token` has the shape of a token of this prefix (cheap rejection before any I/O).
pub fn well_formed(prefix: &str, token: &str) -> bool {
    token
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.len() == 43 && URL_SAFE_NO_PAD.decode(rest).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_recognised() {
        let a = generate(SESSION_PREFIX);
        let b = generate(SESSION_PREFIX);
        assert_ne!(a, b);
        assert!(well_formed(SESSION_PREFIX, &a));
        assert!(!well_formed(SESSION_PREFIX, &a[1..]));
        assert!(!well_formed("nr_live_", &a));
        assert_eq!(digest(&a).len(), 32);
    }
}
