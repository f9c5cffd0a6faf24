//! Partner API keys: `nr_live_` + 43 base62 characters (256 random bits) + a 6-character
//! checksum, so a mistyped key is refused before any database look-up. Shown once; only the
//! SHA-256 is stored, with a short public prefix to tell keys apart in lists.

use rand::RngCore;
use sha2::{Digest, Sha256};

pub const PREFIX: &str = "nr_live_";
const RANDOM_CHARS: usize = 43;
const CHECKSUM_CHARS: usize = 6;
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new key.
pub fn generate() -> String {
    let mut random = String::with_capacity(RANDOM_CHARS);
    let mut bytes = [0u8; 64];
    while random.len() < RANDOM_CHARS {
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        // Rejection sampling keeps every character uniform (248 = 4 × 62).
        for b in bytes.iter().filter(|b| **b < 248) {
            if random.len() < RANDOM_CHARS {
                random.push(ALPHABET[(*b % 62) as usize] as char);
            }
        }
    }
    let checksum = checksum(&random);
    format!("{PREFIX}{random}{checksum}")
}

fn checksum(random: &str) -> String {
    let digest = Sha256::digest(random.as_bytes());
    let mut n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    let mut out = [b'0'; CHECKSUM_CHARS];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `key` has the shape of a key and a matching checksum.
pub fn well_formed(key: &str) -> bool {
    let Some(rest) = key.strip_prefix(PREFIX) else {
        return false;
    };
    if rest.len() != RANDOM_CHARS + CHECKSUM_CHARS
        || !rest.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return false;
    }
    let (random, sum) = rest.split_at(RANDOM_CHARS);
    checksum(random) == sum
}

/// The public part shown in key lists: `nr_live_` and the first 6 random characters.
pub fn display_prefix(key: &str) -> String {
    key.chars().take(PREFIX.len() + 6).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_prefixed_random_and_checksummed() {
        let key = generate();
        assert!(
            key.starts_with(PREFIX) && key.len() == PREFIX.len() + 49,
            "{key}"
        );
        assert!(well_formed(&key));
        assert_ne!(key, generate());
        let mut typo = key.clone().into_bytes();
        let i = PREFIX.len() + 5;
        typo[i] = if typo[i] == b'a' { b'b' } else { b'a' };
        assert!(
            !well_formed(&String::from_utf8(typo).unwrap()),
            "a typo fails the checksum"
        );
        assert!(!well_formed("nr_live_short") && !well_formed(&key[1..]));
        assert_eq!(display_prefix(&key).len(), 14);
    }
}
