//! URL slugs, one type for the whole crate. Catalogue entries (outlets, sections, authors,
//! newsletters) take lowercase ASCII, which cannot hold a look-alike letter. Articles keep the
//! letters of every script, so their slugs are normalised to NFC (`café` typed either way is
//! one slug) and refused when a word mixes look-alike scripts or uses a compatibility form
//! such as a fullwidth letter: the Unicode security rules of UTS #39, through the
//! `unicode-security` crate that rustc's own confusable lints use.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::{is_nfc, UnicodeNormalization};
use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

use crate::error::{AppError, Result};

/// A slug: lowercase letters and digits joined by single hyphens, at most 100 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize, sqlx::Type)]
#[serde(try_from = "String")]
#[sqlx(transparent)]
pub struct Slug(String);

/// The longest slug, in characters (ASCII slugs: in bytes too).
pub const MAX_SLUG_LEN: usize = 100;

const ARTICLE_SLUG_RULE: &str =
    "must be lowercase letters or digits (any script) joined by single hyphens, at most 100 characters";

impl Slug {
    /// A catalogue slug: lowercase ASCII letters and digits joined by single hyphens.
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

    /// Derives a catalogue slug from a name: ASCII letters and digits kept, everything else a
    /// hyphen.
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

    /// An article slug as a client sends it: normalised to NFC, then checked as
    /// [`Slug::parse_any_script`] checks it.
    pub fn parse_article(field: &str, raw: &str) -> Result<Slug> {
        // ASCII is its own NFC (every public story read parses one: skip the copy).
        if raw.is_ascii() {
            return Slug::parse_any_script(field, raw);
        }
        let normalised: String = raw.trim().nfc().collect();
        Slug::parse_any_script(field, &normalised)
    }

    /// An article slug exactly as given (trimmed): letters and digits of any script in NFC,
    /// lowercase, joined by single hyphens, at most 100 characters, and no word that mixes
    /// look-alike scripts (`pаypal` with a Cyrillic `а`) or uses a character UTS #39 keeps out
    /// of identifiers (fullwidth letters, emoji, symbols).
    pub fn parse_any_script(field: &str, raw: &str) -> Result<Slug> {
        let slug = raw.trim();
        let shaped = !slug.is_empty()
            && slug.chars().count() <= MAX_SLUG_LEN
            && slug.split('-').all(|part| {
                !part.is_empty() && part.chars().all(|c| is_slug_char(c) && !c.is_uppercase())
            });
        if !shaped {
            return Err(AppError::field(field, ARTICLE_SLUG_RULE));
        }
        // ASCII letters and digits are in NFC and of one script: nothing more to check.
        if slug.is_ascii() {
            return Ok(Slug(slug.to_owned()));
        }
        if !is_nfc(slug) {
            return Err(AppError::field(
                field,
                "must be in Unicode normal form C (NFC)",
            ));
        }
        if !slug.split('-').all(safe_word) {
            return Err(AppError::field(
                field,
                "must not mix look-alike scripts in one word or use compatibility forms such as fullwidth letters",
            ));
        }
        Ok(Slug(slug.to_owned()))
    }

    /// Derives an article slug from a headline: letters and digits of every script kept
    /// (Chinese, Urdu, Bengali headlines keep their words), lower-cased, fullwidth Latin
    /// letters and digits folded to ASCII, everything else folded into hyphens. Where a word
    /// would mix look-alike scripts, the script change starts a new word.
    pub fn from_headline(headline: &str) -> Result<Slug> {
        let mut slug = String::new();
        let mut word = String::new();
        let mut chars = 0;
        for c in headline
            .chars()
            .map(fold_fullwidth)
            .flat_map(char::to_lowercase)
        {
            if chars >= MAX_SLUG_LEN {
                break;
            }
            // A few capitals (`ϒ`, U+03D2) have no lower case: they separate words like
            // punctuation rather than make the whole headline underivable.
            let keep = is_slug_char(c) && !c.is_uppercase() && c.identifier_allowed();
            if !keep {
                if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                    chars += 1;
                }
                word.clear();
                continue;
            }
            word.push(c);
            if word.len() > c.len_utf8() && !safe_word(&word) {
                word.clear();
                word.push(c);
                slug.push('-');
                chars += 1;
                if chars >= MAX_SLUG_LEN {
                    break;
                }
            }
            slug.push(c);
            chars += 1;
        }
        let slug: String = slug.trim_end_matches('-').nfc().collect();
        Slug::parse_any_script("slug", &slug)
            .map_err(|_| AppError::field("slug", "cannot be derived from this headline; give one"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Letters and digits of every script, with the combining marks that Indic and Arabic
/// scripts need (Bengali vowel signs are marks, not letters); never punctuation or spaces.
fn is_slug_char(c: char) -> bool {
    if c.is_alphanumeric() {
        return true;
    }
    let punctuation = matches!(c as u32,
        0x00A0..=0x00BF | 0x00D7 | 0x00F7 | 0x060C | 0x061B | 0x061F | 0x066A..=0x066D | 0x06D4
        | 0x0964 | 0x0965 | 0x2000..=0x206F | 0x20A0..=0x20CF | 0x2190..=0x2BFF | 0x3000..=0x303F
        | 0xFE10..=0xFE6F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65);
    !c.is_ascii() && !c.is_whitespace() && !c.is_control() && !punctuation
}

/// Whether a word is free of confusables: every character allowed in identifiers by UTS #39,
/// and its scripts at most "moderately restrictive" (one script, or Latin with one other
/// script that has no Latin look-alikes; Chinese, Japanese and Korean mixes count as one).
fn safe_word(word: &str) -> bool {
    word.check_restriction_level(RestrictionLevel::ModeratelyRestrictive)
}

/// Fullwidth ASCII (`ＡＢＣ１２３`, common in CJK text) as plain ASCII.
fn fold_fullwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

impl TryFrom<String> for Slug {
    type Error = AppError;

    /// Slugs read back from stored JSON (revision snapshots): checked as article slugs, which
    /// every catalogue slug is too.
    fn try_from(raw: String) -> Result<Slug> {
        Slug::parse_any_script("slug", &raw)
    }
}

impl Serialize for Slug {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
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

    fn derived(headline: &str) -> String {
        Slug::from_headline(headline).unwrap().as_str().to_owned()
    }

    #[test]
    fn slugs_keep_every_script() {
        assert_eq!(
            derived("Asean ministers meet in Jakarta!"),
            "asean-ministers-meet-in-jakarta"
        );
        assert_eq!(derived("中国经济 2026"), "中国经济-2026");
        assert_eq!(derived("পদ্মা সেতু"), "পদ্মা-সেতু");
        assert_eq!(derived("پاکستان، معیشت"), "پاکستان-معیشت");
        assert_eq!(derived("“Quoted” — headline…"), "quoted-headline");
        assert_eq!(
            derived("Ekonomi Malaysia: Ringgit naik"),
            "ekonomi-malaysia-ringgit-naik"
        );
        assert!(Slug::from_headline("!!!").is_err());
        assert_eq!(derived("News ϒ 2026"), "news-2026");
        assert!(derived(&"word ".repeat(60)).chars().count() <= MAX_SLUG_LEN);
    }

    #[test]
    fn explicit_slugs_are_checked() {
        assert!(Slug::parse_article("slug", "trade-talks").is_ok());
        assert!(Slug::parse_article("slug", "中国经济").is_ok());
        for bad in ["Trade", "a--b", "-a", "a b", "a/b", ""] {
            assert!(Slug::parse_article("slug", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn article_slugs_are_one_slug_in_nfc_and_nfd() {
        let composed = Slug::parse_article("slug", "caf\u{e9}").unwrap();
        let decomposed = Slug::parse_article("slug", "cafe\u{301}").unwrap();
        assert_eq!(composed, decomposed);
        assert_eq!(composed.as_str(), "caf\u{e9}");
        assert_eq!(derived("Cafe\u{301} society"), "caf\u{e9}-society");
        // Given exactly, a slug must already be in NFC.
        assert!(Slug::parse_any_script("slug", "cafe\u{301}").is_err());
    }

    #[test]
    fn confusable_article_slugs_are_refused() {
        for bad in [
            "\u{ff54}\u{ff52}\u{ff41}\u{ff44}\u{ff45}", // fullwidth `trade`
            "p\u{430}ypal",                             // a Cyrillic `а` among Latin letters
            "news-\u{1f600}",                           // an emoji
        ] {
            assert!(
                Slug::parse_article("slug", bad).is_err(),
                "{bad} was accepted"
            );
        }
        // Single scripts, and the mixes a language needs, are fine.
        for good in ["новости-2026", "東京で会議", "iphone中国", "ελλάδα"] {
            assert!(
                Slug::parse_article("slug", good).is_ok(),
                "{good} was refused"
            );
        }
    }

    #[test]
    fn derived_slugs_fold_fullwidth_and_split_look_alike_scripts() {
        assert_eq!(
            derived("\u{ff34}\u{ff52}\u{ff41}\u{ff44}\u{ff45} talks"),
            "trade-talks"
        );
        assert_eq!(derived("中国经济 ２０２６"), "中国经济-2026");
        assert_eq!(derived("P\u{430}ypal"), "p-\u{430}-ypal");
    }
}
