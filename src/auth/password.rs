//! Password policy and argon2id hashing. Hashing and verifying run on threads of their own,
//! off the async workers: one verification costs ~20 MiB and 13.5 ms of CPU. Each needs a
//! [`Ticket`]: a place in the instance's CPU budget and one of its slots (`hashing.rs`), so a
//! storm of logins can take neither more than its share of a core from the readers nor 20 MiB
//! per request from the memory; beyond the budget's short queue logins are answered 429.

use std::sync::{LazyLock, Mutex, PoisonError};

use anyhow::anyhow;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

pub use super::hashing::Ticket;
use crate::error::{AppError, Result};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// The OWASP minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

/// A new password that meets the policy (NIST SP 800-63B): 12-128 characters, at least 12
/// of them between the first and the last that is not a space (padding is not length), and
/// not one of the most common passwords in any case; used exactly as typed.
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
        if raw.trim().chars().count() < MIN_CHARS {
            return Err(AppError::field(
                field,
                format!("must hold at least {MIN_CHARS} characters besides spaces at either end"),
            ));
        }
        if super::common_passwords::is_common(&raw) {
            return Err(AppError::field(
                field,
                "is one of the most common passwords, which are guessed first; choose another",
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

/// Hashes in the background, in the turn of `ticket`; returns a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(ticket: Ticket<'_>, password: Password) -> Result<String> {
    ticket.run(move || hash_now(password.expose())).await?
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

/// Verifies in the background, in the turn of `ticket`. `None` (no such account) verifies
/// against a dummy hash.
pub async fn verify(ticket: Ticket<'_>, stored: Option<String>, candidate: String) -> Result<bool> {
    ticket
        .run(move || {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let matches = verify_now(&stored, candidate.as_bytes())
                .map_err(|e| anyhow!("stored hash is malformed: {e}"))?;
            Ok(known && matches)
        })
        .await?
}

/// Whether `candidate` hashes to `stored` (a PHC string, with its own parameters), computed in
/// reused working memory ([`with_memory`]); the outputs are compared in constant time.
fn verify_now(stored: &str, candidate: &[u8]) -> argon2::password_hash::Result<bool> {
    use argon2::password_hash::Error;
    let parsed = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(Error::PhcStringField);
    };
    let params = Params::try_from(&parsed)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let hasher = Argon2::new(Algorithm::try_from(parsed.algorithm)?, version, params);
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    let computed = Output::init_with(expected.len(), |out| {
        with_memory(hasher.params().block_count(), |blocks| {
            hasher.hash_password_into_with_memory(candidate, salt, out, blocks)
        })
        .map_err(Error::from)
    })?;
    Ok(computed == expected)
}

/// argon2's working memory (19 MiB), kept between verifications, one buffer per verification
/// running at once (at most one per hashing slot). Allocated afresh, each verification mapped
/// 19 MiB, faulted every page in and unmapped it again: 22 ms a verification instead of 13.5,
/// and beside a login storm the feed's p99 rose about 8× instead of 3.6× (with twice the
/// logins served); see `bench/results/2026-11-29.md`.
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    let spare = MEMORY.lock().unwrap_or_else(PoisonError::into_inner).pop();
    let mut memory = spare.unwrap_or_default();
    memory.resize(blocks, Block::default());
    let result = work(&mut memory);
    MEMORY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(memory);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::hashing::{Hashing, SLOT_WAIT};
    use crate::config::HashingBudget;
    use std::time::Duration;

    #[test]
    fn the_policy_counts_characters_not_bytes() {
        assert!(Password::parse("p", "short".into()).is_err());
        assert!(Password::parse("p", "ééééééééééé".into()).is_err()); // 11 chars, 22 bytes
        assert!(Password::parse("p", "éééééééééééé".into()).is_ok());
        assert!(Password::parse("p", "x".repeat(129)).is_err());
        assert!(Password::parse("p", "x".repeat(128)).is_ok());
    }

    #[test]
    fn blank_ish_and_common_passwords_are_refused() {
        for bad in [
            " ".repeat(12),
            "\t".repeat(20),
            "    short    ".into(),
            "qwerty123456".into(),
            "QWERTY123456".into(),
            " 1q2w3e4r5t6y ".into(),
        ] {
            assert!(Password::parse("p", bad.clone()).is_err(), "{bad:?}");
        }
        let padded = Password::parse("p", " twelve chars ".into()).unwrap();
        assert_eq!(padded.expose(), " twelve chars ", "used exactly as typed");
    }

    #[test]
    fn the_demo_passwords_meet_the_policy() {
        for (email, _, _, password, _) in crate::demo::LOGINS {
            assert!(Password::parse("p", (*password).into()).is_ok(), "{email}");
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_password_and_never_truncates() {
        let hashing = Hashing::new(&HashingBudget::default(), 1, SLOT_WAIT);
        let ticket = || hashing.reserve().unwrap();
        let long = "a".repeat(100);
        let hash = hash(ticket(), Password::parse("p", long.clone()).unwrap())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(ticket(), Some(hash.clone()), long.clone())
            .await
            .unwrap());
        assert!(!verify(ticket(), Some(hash), "a".repeat(99)).await.unwrap());
        assert!(!verify(ticket(), None, long).await.unwrap());
    }

    #[test]
    fn verification_reads_the_parameters_of_each_stored_hash_and_reuses_its_memory() {
        let salt = SaltString::generate(&mut OsRng);
        let hash_with = |algorithm, m| {
            let params = Params::new(m, 1, 1, None).unwrap();
            Argon2::new(algorithm, Version::V0x13, params)
                .hash_password(b"a password of mine", &salt)
                .unwrap()
                .to_string()
        };
        // Smaller and bigger than the buffer left by the previous one, and another variant.
        for stored in [
            hash_with(Algorithm::Argon2id, 64),
            hash_with(Algorithm::Argon2id, 2048),
            hash_with(Algorithm::Argon2i, 256),
        ] {
            assert!(verify_now(&stored, b"a password of mine").unwrap());
            assert!(!verify_now(&stored, b"a password of min").unwrap());
        }
        assert!(verify_now("$argon2id$v=19$m=64,t=1,p=1$c2FsdA", b"x").is_err());
        assert!(verify_now("not a hash", b"x").is_err());
    }

    #[tokio::test]
    async fn a_busy_hasher_answers_busy_after_a_bounded_wait() {
        let hashing = Hashing::new(&HashingBudget::default(), 1, Duration::from_millis(50));
        let held = hashing.take_all().await.unwrap();
        let busy = verify(hashing.reserve().unwrap(), None, "x".repeat(12)).await;
        assert!(matches!(
            busy,
            Err(AppError::Busy {
                retry_after_secs: 1
            })
        ));
        drop(held);
        let ticket = hashing.reserve().unwrap();
        assert!(!verify(ticket, None, "x".repeat(12)).await.unwrap());
    }

    #[tokio::test]
    async fn beyond_the_budget_s_queue_a_hash_is_refused_with_a_retry_after() {
        let tight = HashingBudget {
            percent_of_a_core: 1,
            burst: Duration::ZERO,
            queue: Duration::ZERO,
        };
        let hashing = Hashing::new(&tight, 1, SLOT_WAIT);
        let first = hashing.reserve().unwrap();
        let refused = hashing.reserve().err();
        assert!(
            matches!(refused, Some(AppError::TooManyRequests { retry_after_secs }) if retry_after_secs >= 1),
            "{refused:?}"
        );
        drop(first);
        assert!(
            hashing.reserve().is_ok(),
            "an unused ticket gives its place back"
        );
    }
}
