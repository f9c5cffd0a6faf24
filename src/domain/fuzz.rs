//! Property tests of the value parsers every request goes through: slugs, cursors, emails,
//! URLs, language and country codes, path keys. Arbitrary input never panics; what is
//! accepted keeps the type's promise and parses again to itself; what is refused is a field
//! error on the field named, never another kind of error.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use uuid::Uuid;

use super::{Cursor, Email, Key, LanguageTag, Slug, WebUrl};
use crate::error::AppError;

/// Asserts a refusal is a validation problem on `field`.
fn assert_field_error(err: AppError, field: &str) -> Result<(), TestCaseError> {
    match err {
        AppError::Validation(errors) => {
            prop_assert!(errors.contains_key(field), "{:?}", errors);
            Ok(())
        }
        other => Err(TestCaseError::fail(format!("not a field error: {other:?}"))),
    }
}

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn timestamp() -> impl Strategy<Value = DateTime<Utc>> {
    // The whole range chrono can represent, to the nanosecond.
    (
        -8_334_601_228_800i64..=8_210_266_876_799i64,
        0u32..1_000_000_000,
    )
        .prop_filter_map("representable", |(s, n)| DateTime::from_timestamp(s, n))
}

proptest! {
    #[test]
    fn slugs_derived_from_any_headline_are_valid_slugs(headline in any::<String>()) {
        if let Ok(slug) = Slug::from_headline(&headline) {
            prop_assert!(slug.as_str().chars().count() <= super::slug::MAX_SLUG_LEN);
            prop_assert_eq!(Slug::parse_any_script("slug", slug.as_str()).ok(), Some(slug.clone()));
        }
    }

    #[test]
    fn article_slug_parsing_accepts_only_what_it_promises(raw in any::<String>()) {
        match Slug::parse_any_script("slug", &raw) {
            Ok(slug) => {
                prop_assert_eq!(slug.as_str(), raw.trim());
                prop_assert!(slug.as_str().chars().count() <= super::slug::MAX_SLUG_LEN);
                prop_assert!(slug.as_str().split('-').all(|p| !p.is_empty()));
                prop_assert!(!slug.as_str().chars().any(|c| c.is_uppercase() || c.is_whitespace()));
            }
            Err(crate::error::AppError::Validation(errors)) => prop_assert!(errors.contains_key("slug")),
            Err(other) => prop_assert!(false, "unexpected error {:?}", other),
        }
    }

    #[test]
    fn an_article_slug_is_the_same_slug_in_nfc_and_nfd(raw in any::<String>()) {
        use unicode_normalization::UnicodeNormalization;
        let decomposed: String = raw.nfd().collect();
        prop_assert_eq!(
            Slug::parse_article("slug", &raw).ok(),
            Slug::parse_article("slug", &decomposed).ok()
        );
    }

    #[test]
    fn a_headline_with_words_always_yields_a_slug(words in prop::collection::vec("\\PC{1,12}", 1..12)) {
        let headline = format!("News {}", words.join(" "));
        prop_assert!(Slug::from_headline(&headline).is_ok(), "{:?}", headline);
    }

    #[test]
    fn slug_parsing_never_panics_and_keeps_its_promise(raw in any::<String>()) {
        match Slug::parse("slug", &raw) {
            Ok(slug) => {
                let s = slug.as_str();
                prop_assert!(!s.is_empty() && s.len() <= super::slug::MAX_SLUG_LEN);
                prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
                prop_assert_eq!(Slug::parse("slug", s).ok(), Some(slug.clone()));
            }
            Err(err) => assert_field_error(err, "slug")?,
        }
    }

    #[test]
    fn well_formed_slugs_are_accepted(parts in prop::collection::vec("[a-z0-9]{1,10}", 1..8)) {
        let raw = parts.join("-");
        prop_assume!(raw.len() <= super::slug::MAX_SLUG_LEN);
        prop_assert_eq!(Slug::parse("slug", &raw).map(|s| s.as_str().to_owned()).ok(), Some(raw));
    }

    #[test]
    fn slugs_derived_from_any_name_are_valid(name in any::<String>()) {
        match Slug::from_name("slug", &name) {
            Ok(slug) => prop_assert_eq!(Slug::parse("slug", slug.as_str()).ok(), Some(slug.clone())),
            Err(err) => assert_field_error(err, "slug")?,
        }
    }

    #[test]
    fn a_long_name_yields_a_slug_of_at_most_the_limit(words in prop::collection::vec("[A-Za-z0-9]{1,15}", 1..60)) {
        let slug = Slug::from_name("slug", &words.join(" -- "));
        prop_assert!(slug.is_ok(), "{:?}", slug);
    }

    #[test]
    fn cursors_round_trip_every_key_the_lists_use(
        text in any::<String>(),
        id in uuid(),
        n in any::<i64>(),
        version in any::<i32>(),
        at in timestamp(),
        rank in any::<f32>().prop_filter("finite", |r| r.is_finite()),
    ) {
        prop_assert_eq!(Cursor::decode::<String>(Some(&Cursor::encode(&text))).ok(), Some(Some(text.clone())));
        prop_assert_eq!(Cursor::decode::<Uuid>(Some(&Cursor::encode(&id))).ok(), Some(Some(id)));
        prop_assert_eq!(Cursor::decode::<i32>(Some(&Cursor::encode(&version))).ok(), Some(Some(version)));
        prop_assert_eq!(Cursor::decode::<(i64, Uuid)>(Some(&Cursor::encode(&(n, id)))).ok(), Some(Some((n, id))));
        prop_assert_eq!(Cursor::decode::<(DateTime<Utc>, Uuid)>(Some(&Cursor::encode(&(at, id)))).ok(), Some(Some((at, id))));
        let ranked = Cursor::decode::<(f32, Uuid)>(Some(&Cursor::encode(&(rank, id)))).ok().flatten();
        prop_assert_eq!(ranked, Some((rank, id)));
    }

    #[test]
    fn any_cursor_text_decodes_or_is_a_cursor_error(raw in any::<String>()) {
        for result in [
            Cursor::decode::<String>(Some(&raw)).map(|_| ()),
            Cursor::decode::<Uuid>(Some(&raw)).map(|_| ()),
            Cursor::decode::<i32>(Some(&raw)).map(|_| ()),
            Cursor::decode::<(i64, Uuid)>(Some(&raw)).map(|_| ()),
            Cursor::decode::<(DateTime<Utc>, Uuid)>(Some(&raw)).map(|_| ()),
            Cursor::decode::<crate::articles::search::After>(Some(&raw)).map(|_| ()),
        ] {
            if let Err(err) = result {
                assert_field_error(err, "cursor")?;
            }
        }
    }

    #[test]
    fn any_encoded_json_decodes_or_is_a_cursor_error(json in "[\\[\\]{}\",:0-9a-z\\\\.eE+-]{0,64}") {
        let raw = URL_SAFE_NO_PAD.encode(json.as_bytes());
        for result in [
            Cursor::decode::<(i64, Uuid)>(Some(&raw)).map(|_| ()),
            Cursor::decode::<crate::articles::search::After>(Some(&raw)).map(|_| ()),
            Cursor::decode::<String>(Some(&raw)).map(|_| ()),
        ] {
            if let Err(err) = result {
                assert_field_error(err, "cursor")?;
            }
        }
    }

    #[test]
    fn email_parsing_never_panics(raw in any::<String>()) {
        match Email::parse("email", &raw) {
            Ok(email) => {
                prop_assert!(email.as_str().len() <= 254);
                prop_assert_eq!(Email::parse("email", email.as_str()).ok(), Some(email.clone()));
            }
            Err(err) => assert_field_error(err, "email")?,
        }
    }

    #[test]
    fn web_urls_are_http_and_free_of_control_characters_and_markup(raw in any::<String>(), path in any::<String>()) {
        for candidate in [raw.clone(), format!("https://dawn.example/{path}")] {
            match WebUrl::parse("website", &candidate) {
                Ok(url) => {
                    prop_assert!(url.as_str().starts_with("http://") || url.as_str().starts_with("https://"));
                    prop_assert!(!url.as_str().chars().any(char::is_control), "{:?}", url);
                    prop_assert!(!url.as_str().contains(['<', '>', '"', ' ', '\\', '`']), "{:?}", url);
                }
                Err(err) => assert_field_error(err, "website")?,
            }
        }
    }

    #[test]
    fn language_tags_normalise_to_a_fixed_point(raw in any::<String>(), tag in "[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}") {
        for candidate in [raw.as_str(), tag.as_str()] {
            match LanguageTag::parse("language", candidate) {
                Ok(parsed) => prop_assert_eq!(LanguageTag::parse("language", parsed.as_str()).ok(), Some(parsed.clone())),
                Err(err) => assert_field_error(err, "language")?,
            }
        }
        prop_assert!(LanguageTag::parse("language", &tag).is_ok());
    }

    #[test]
    fn a_path_key_is_an_id_exactly_when_it_is_a_uuid(raw in any::<String>(), id in uuid()) {
        match Key::parse(&raw) {
            Key::Id(parsed) => prop_assert_eq!(Uuid::parse_str(&raw).ok(), Some(parsed)),
            Key::Slug(slug) => prop_assert_eq!(slug, raw),
        }
        prop_assert!(matches!(Key::parse(&id.to_string()), Key::Id(parsed) if parsed == id));
    }
}
