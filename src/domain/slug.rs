//! URL slugs of catalogue entries: lowercase ASCII letters and digits joined by single hyphens.

use std::fmt;

use crate::error::{AppError, Result};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slug(String);

pub const MAX_SLUG_LEN: usize = 100;

impl Slug {
    pub fn parse(field: &str, raw: &str) -> Result<Slug> {
        let value = raw.trim();
        let well_formed = !value.is_empty()
            && value.len() <= MAX_SLUG_LEN
            && value.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !well_formed {
            return Err(AppError::field(
                field,
                format!("must be 1-{MAX_SLUG_LEN} lowercase letters, digits and single hyphens, like `the-daily-star`"),
            ));
        }
        Ok(Slug(value.to_owned()))
    }

    /// Derives a slug from a name: ASCII letters and digits kept, everything else a hyphen.
    pub fn from_name(field: &str, name: &str) -> Result<Slug> {
        let mut out = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out
            .trim_end_matches('-')
            .chars()
            .take(MAX_SLUG_LEN)
            .collect();
        Slug::parse(field, trimmed.trim_end_matches('-')).map_err(|_| {
            AppError::field(
                field,
                "could not be derived from the name; give one explicitly",
            )
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_slugs_are_accepted() {
        for good in ["dawn", "the-daily-star", "section-2"] {
            assert_eq!(Slug::parse("slug", good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn malformed_slugs_are_refused() {
        let long = "a".repeat(MAX_SLUG_LEN + 1);
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "Dawn",
            "a b",
            "ü",
            "a_b",
            long.as_str(),
        ] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn slugs_are_derived_from_names() {
        assert_eq!(
            Slug::from_name("slug", "The Straits Times")
                .unwrap()
                .as_str(),
            "the-straits-times"
        );
        assert_eq!(
            Slug::from_name("slug", "  Economics & Trade! ")
                .unwrap()
                .as_str(),
            "economics-trade"
        );
        assert!(Slug::from_name("slug", "中文").is_err());
    }
}
