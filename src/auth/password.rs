//! Password policy and argon2id hashing. Hashing and verifying run on the blocking pool:
//! one verification costs ~20 MiB and tens of milliseconds, which would stall an async worker.

use std::sync::LazyLock;

use anyhow::anyhow;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, Result};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// The OWASP minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

/// A new password that meets the policy: 12-128 characters, used exactly as typed.
pub struct Password(String);

impl Password {
    pub fn parse(field: &str, raw: String) -> Result<Password> {
        let chars = raw.chars().count();
        if !(MIN_CHARS..=MAX_CHARS).contains(&chars) {
            return Err(AppError::field(
                field,
                format!("must be {MIN_CHARS} to {MAX_CHARS} characters long"),
            ));
        }
        Ok(Password(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn argon2() -> Argon2<'static> {
    // The constants are valid parameters, so this cannot fail.
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on the blocking pool; returns a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(password: Password) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_now(password.expose()))
        .await
        .map_err(|e| anyhow!("hashing task failed: {e}"))?
}

fn hash_now(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hashing a password: {e}").into())
}

/// A hash of a random password: verifying against it for unknown accounts costs the same as a
/// real verification, so response times do not reveal which emails have accounts.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now(&crate::auth::token::generate("dummy_")).unwrap_or_default());

/// Verifies on the blocking pool. `None` (no such account) verifies against a dummy hash.
pub async fn verify(stored: Option<String>, candidate: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let parsed =
            PasswordHash::new(&stored).map_err(|e| anyhow!("stored hash is malformed: {e}"))?;
        let matches = argon2()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(|e| anyhow!("verification task failed: {e}"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_counts_characters_not_bytes() {
        assert!(Password::parse("p", "short".into()).is_err());
        assert!(Password::parse("p", "ééééééééééé".into()).is_err()); // 11 chars, 22 bytes
        assert!(Password::parse("p", "éééééééééééé".into()).is_ok());
        assert!(Password::parse("p", "x".repeat(129)).is_err());
        assert!(Password::parse("p", "x".repeat(128)).is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_password_and_never_truncates() {
        let long = "a".repeat(100);
        let hash = hash(Password::parse("p", long.clone()).unwrap())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(Some(hash.clone()), long.clone()).await.unwrap());
        assert!(!verify(Some(hash), "a".repeat(99)).await.unwrap());
        assert!(!verify(None, long).await.unwrap());
    }
}
