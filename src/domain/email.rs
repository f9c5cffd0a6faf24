//! An email address, trimmed and lower-cased so that uniqueness is case-insensitive.

use std::fmt;

use validator::ValidateEmail;

use crate::error::{AppError, Result};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Accepts what the HTML5 / validator crate's rules accept, up to 254 characters.
    pub fn parse(field: &str, raw: &str) -> Result<Email> {
        let value = raw.trim().to_lowercase();
        if value.len() > 254 || !value.validate_email() {
            return Err(AppError::field(field, "is not a valid email address"));
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        let email = Email::parse("email", "  Desk@Dawn.COM ").unwrap();
        assert_eq!(email.as_str(), "desk@dawn.com");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "plain",
            "a@",
            "@b.com",
            "a b@c.com",
            &format!("{}@x.com", "a".repeat(250)),
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad} was accepted");
        }
    }
}
