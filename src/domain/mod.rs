//! Small value types shared by every feature. Each has a parse constructor, so a value that
//! exists is valid: handlers parse request fields into these before calling a service.

mod email;
mod lang;
mod page;
mod role;
mod slug;

pub use email::Email;
pub use lang::{CountryCode, LanguageTag, WebUrl};
pub use page::{limit, Cursor, Page};
pub use role::Role;
pub use slug::{Slug, MAX_SLUG_LEN};

/// Trims a required single-line field (a name, a headline, a subject) and checks its length
/// in characters; control characters and line breaks are refused (see [`single_line`]).
pub fn required_text(field: &str, value: &str, max_chars: usize) -> crate::error::Result<String> {
    let value = nonempty_within(field, value, max_chars)?;
    single_line(field, value)?;
    Ok(value.to_owned())
}

fn nonempty_within<'a>(
    field: &str,
    value: &'a str,
    max_chars: usize,
) -> crate::error::Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(crate::error::AppError::field(field, "must not be empty"));
    }
    if value.chars().count() > max_chars {
        return Err(crate::error::AppError::field(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(value)
}

/// Refuses control characters (CR, LF, tab, NUL, escape, C1 controls …) and the Unicode line
/// and paragraph separators in a field meant to hold one line: such a value would break the
/// line it is written into (an email header or plain-text body, a log line, a CSV cell).
pub fn single_line(field: &str, value: &str) -> crate::error::Result<()> {
    if value
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    {
        return Err(crate::error::AppError::field(
            field,
            "must be one line without control characters",
        ));
    }
    Ok(())
}

/// Refuses the NUL character, which PostgreSQL text cannot hold (it would fail the insert).
pub fn no_nul(field: &str, value: &str) -> crate::error::Result<()> {
    if value.contains('\0') {
        return Err(crate::error::AppError::field(
            field,
            "must not contain the NUL character",
        ));
    }
    Ok(())
}

/// The longest list of ids (outlets, sections) a body may carry.
pub const MAX_ID_LIST: usize = 1000;

/// Checks a list of ids from a body: at most `max`, none twice (a repeated author in a
/// byline, or outlet in a membership list, is a mistake the client should hear about).
pub fn id_list(
    field: &str,
    ids: Vec<uuid::Uuid>,
    max: usize,
) -> crate::error::Result<Vec<uuid::Uuid>> {
    if ids.len() > max {
        return Err(crate::error::AppError::field(
            field,
            format!("at most {max} ids"),
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    if !ids.iter().all(|id| seen.insert(*id)) {
        return Err(crate::error::AppError::field(field, "lists an id twice"));
    }
    Ok(ids)
}

/// Trims an optional free-text field that may span lines (a description, a bio, a
/// standfirst; empty becomes none) and checks its length. Line breaks and tabs are kept;
/// NUL is refused.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max_chars: usize,
) -> crate::error::Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => {
            let v = nonempty_within(field, v, max_chars)?;
            no_nul(field, v)?;
            Ok(Some(v.to_owned()))
        }
    }
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A path segment that names a resource by id or by slug: `/outlets/dawn` or `/outlets/<uuid>`.
#[derive(Clone, Debug)]
pub enum Key {
    Id(uuid::Uuid),
    Slug(String),
}

impl Key {
    pub fn parse(raw: &str) -> Key {
        match uuid::Uuid::parse_str(raw) {
            Ok(id) => Key::Id(id),
            Err(_) => Key::Slug(raw.to_owned()),
        }
    }

    /// The id, or nil for a slug (for `where id = $1 or slug = $2` look-ups).
    pub fn id(&self) -> uuid::Uuid {
        match self {
            Key::Id(id) => *id,
            Key::Slug(_) => uuid::Uuid::nil(),
        }
    }

    pub fn slug(&self) -> &str {
        match self {
            Key::Id(_) => "",
            Key::Slug(s) => s,
        }
    }
}

/// For PATCH bodies: tells an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn patch_field<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_fields_refuse_line_breaks_and_control_characters() {
        for bad in [
            "Dawn\r\nBcc: x@example.org",
            "a\nb",
            "tab\there",
            "nul\0",
            "esc\u{1b}[31m",
            "n\u{85}el",
            "line\u{2028}sep",
            "para\u{2029}sep",
        ] {
            assert!(
                required_text("name", bad, 200).is_err(),
                "{bad:?} was accepted"
            );
        }
        assert_eq!(
            required_text("name", "  Dawn — ڈان 😀  ", 200).unwrap(),
            "Dawn — ڈان 😀"
        );
        assert_eq!(
            optional_text("bio", Some("two\r\nlines\tand a tab"), 200).unwrap(),
            Some("two\r\nlines\tand a tab".to_owned())
        );
        assert!(optional_text("bio", Some("a\0b"), 200).is_err());
    }
}
