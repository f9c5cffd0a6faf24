//! The most common passwords, shipped in the binary (`common_passwords.txt`, from Django's
//! `CommonPasswordValidator`, BSD-3-Clause; source and licence in `common_passwords.md`).
//! NIST SP 800-63B (5.1.1.2) asks to refuse passwords found in lists of commonly used or
//! breached ones; a list in the binary works offline and leaks nothing to a third party.

use std::collections::HashSet;
use std::sync::LazyLock;

static LIST: &str = include_str!("common_passwords.txt");

/// Built once, on first use: about 20,000 entries, a few hundred KiB.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    LIST.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

/// Whether `candidate` is on the list, ignoring case and spaces at either end (the list is
/// lower-cased).
pub fn is_common(candidate: &str) -> bool {
    COMMON.contains(candidate.trim().to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_at_least_the_ten_thousand_most_common_passwords() {
        assert!(COMMON.len() >= 10_000, "{}", COMMON.len());
        for common in ["123456", "password", "qwerty123456", "1q2w3e4r5t6y"] {
            assert!(is_common(common), "{common}");
        }
    }

    #[test]
    fn the_check_ignores_case_and_surrounding_spaces() {
        assert!(is_common("QWERTY123456"));
        assert!(is_common("  Qwerty123456 "));
        assert!(!is_common("qwerty 123456"));
        assert!(!is_common("correct horse battery staple"));
    }
}
