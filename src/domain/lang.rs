//! Language tags, country codes and website URLs of the catalogue and of articles. The
//! tags and URLs travel typed to the store (`sqlx(transparent)`) and back, and read back
//! from stored JSON (revision snapshots) through the same parse.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::error::{AppError, Result};

/// A BCP 47 language tag in its canonical case: `en`, `zh-Hans`, `ms-MY`, `ur`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, sqlx::Type)]
#[serde(try_from = "String")]
#[sqlx(transparent)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(field: &str, raw: &str) -> Result<LanguageTag> {
        let invalid = || {
            AppError::field(
                field,
                "must be a BCP 47 language tag such as `en`, `zh-Hans` or `ms-MY`",
            )
        };
        let mut parts = raw.trim().split('-');
        let primary = parts.next().ok_or_else(invalid)?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(invalid());
        }
        let mut out = primary.to_ascii_lowercase();
        for part in parts {
            if !(2..=8).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(invalid());
            }
            out.push('-');
            match part.len() {
                2 if part.bytes().all(|b| b.is_ascii_alphabetic()) => {
                    out.push_str(&part.to_ascii_uppercase())
                }
                4 if part.bytes().all(|b| b.is_ascii_alphabetic()) => {
                    out.push_str(&part[..1].to_ascii_uppercase());
                    out.push_str(&part[1..].to_ascii_lowercase());
                }
                _ => out.push_str(&part.to_ascii_lowercase()),
            }
        }
        Ok(LanguageTag(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for LanguageTag {
    type Error = AppError;
    fn try_from(raw: String) -> Result<LanguageTag> {
        LanguageTag::parse("language", &raw)
    }
}

impl Serialize for LanguageTag {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case: `SG`, `PK`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(field: &str, raw: &str) -> Result<CountryCode> {
        let value = raw.trim();
        if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(AppError::field(
                field,
                "must be an ISO 3166-1 alpha-2 code such as `SG`",
            ));
        }
        Ok(CountryCode(value.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An absolute `http` or `https` URL, as a URL is written: only the characters RFC 3986
/// allows (and non-ASCII ones, as in an IRI), so quotes, angle brackets, spaces and control
/// characters are refused rather than stored raw and written into HTML or XML later.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, sqlx::Type)]
#[serde(try_from = "String")]
#[sqlx(transparent)]
pub struct WebUrl(String);

/// ASCII characters a URL may hold: unreserved, reserved (gen- and sub-delims) and `%`.
fn url_char(c: char) -> bool {
    !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

impl WebUrl {
    pub fn parse(field: &str, raw: &str) -> Result<WebUrl> {
        let value = raw.trim();
        let scheme_ok = value.starts_with("https://") || value.starts_with("http://");
        // Control characters (NUL above all) would reach the database and feeds verbatim.
        if !scheme_ok
            || value.len() > 2000
            || value.chars().any(char::is_control)
            || !value.chars().all(url_char)
            || !validator::ValidateUrl::validate_url(&value)
        {
            return Err(AppError::field(
                field,
                "must be an absolute http(s) URL (percent-encode spaces, quotes and angle brackets)",
            ));
        }
        Ok(WebUrl(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WebUrl {
    type Error = AppError;
    fn try_from(raw: String) -> Result<WebUrl> {
        WebUrl::parse("url", &raw)
    }
}

impl Serialize for WebUrl {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_canonicalised() {
        assert_eq!(LanguageTag::parse("l", "EN").unwrap().as_str(), "en");
        assert_eq!(
            LanguageTag::parse("l", "zh-hans").unwrap().as_str(),
            "zh-Hans"
        );
        assert_eq!(LanguageTag::parse("l", "ms-my").unwrap().as_str(), "ms-MY");
        for bad in ["", "e", "english", "en_US", "en-", "1n"] {
            assert!(LanguageTag::parse("l", bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn countries_and_urls_are_checked() {
        assert_eq!(CountryCode::parse("c", "sg").unwrap().as_str(), "SG");
        assert!(CountryCode::parse("c", "SGP").is_err());
        assert!(WebUrl::parse("w", "https://www.dawn.com").is_ok());
        assert!(WebUrl::parse("w", "https://dawn.com/news/1?a=1&b='x'#top").is_ok());
        assert!(WebUrl::parse("w", "https://dawn.com/%3Cb%3E").is_ok());
        assert!(WebUrl::parse("w", "https://例え.jp/記事").is_ok());
        for bad in [
            "www.dawn.com",
            "javascript:alert(1)",
            "ftp://x.org",
            "https://",
            "https://dawn.com/a<b",
            "https://dawn.com/\"><script>alert(1)</script>",
            "https://dawn.com/a b",
            "https://dawn.com/{x}",
            "https://dawn.com/a\\b",
            "https://dawn.com/`x`",
        ] {
            assert!(WebUrl::parse("w", bad).is_err(), "{bad} was accepted");
        }
    }
}
