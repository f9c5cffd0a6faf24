//! JSON request bodies, read one way for every route: [`Json`] (the extractor) and
//! [`optional`] (for a body that may be left out). A body must be a JSON *object*: serde's
//! derived structs would otherwise take an array and map it onto the fields by position
//! (`["email", "pw"]` as a login). A body that cannot be used is told in the API's own
//! words: the field it concerns (from `serde_path_to_error`) and what JSON was expected,
//! never the name of a Rust type.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::{AppError, FieldErrors, Result};

/// A request body parsed from a JSON object; the extractor every JSON route takes. Size limit
/// (`PayloadConfig`, 413), content type (415), syntax (400) and shape (422) are checked here.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Json<T>>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared_json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !declared_json {
                return Err(AppError::UnsupportedMediaType);
            }
            let bytes = bytes.await.map_err(unreadable)?;
            parse(&bytes).map(Json)
        })
    }
}

/// A body that may be absent: empty (or only whitespace) and `null` both mean `T::default()`.
/// A body that is there must be declared as JSON and be an object.
pub fn optional<T: DeserializeOwned + Default>(req: &HttpRequest, body: &[u8]) -> Result<T> {
    let text = body.trim_ascii();
    if text.is_empty() || text == b"null" {
        return Ok(T::default());
    }
    if !is_json(req) {
        return Err(AppError::UnsupportedMediaType);
    }
    parse(body)
}

/// A body read by the handler itself (as bytes, because it may also be a form): it must be
/// declared as JSON (415 otherwise) and be an object.
pub fn declared<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T> {
    if !is_json(req) {
        return Err(AppError::UnsupportedMediaType);
    }
    parse(body)
}

/// Whether the request declares a JSON body (`application/json` or any `+json` type).
pub fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| {
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        })
}

/// Parses `bytes` as a JSON object into `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, Object<T>>(&mut de)
        .map_err(|err| shape_error(err.path().to_string(), err.into_inner()))?;
    de.end().map_err(|err| shape_error(".".into(), err))?;
    Ok(value.0)
}

/// A body that could not be read at all: too large, or cut off.
fn unreadable(err: actix_web::Error) -> AppError {
    match err.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => AppError::PayloadTooLarge,
        _ => AppError::BadRequest(format!("The body could not be read: {err}")),
    }
}

/// How a JSON error is told: syntax is a 400, a body of the wrong shape a 422 naming the
/// field (`path`, `.` for the body itself).
fn shape_error(path: String, err: serde_json::Error) -> AppError {
    if !err.is_data() {
        return AppError::BadRequest(format!(
            "The body is not well-formed JSON: {}",
            plain(&err.to_string())
        ));
    }
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    let prefix = if path == "." {
        String::new()
    } else {
        format!("{path}.")
    };
    let quoted = |lead: &str| {
        let rest = message.strip_prefix(lead)?.strip_prefix('`')?;
        rest.split('`').next().map(str::to_owned)
    };
    let (field, text) = if let Some(field) = quoted("unknown field ") {
        // The path already ends with the unknown key.
        (
            if path == "." { field } else { path },
            "is not a field of this request; it cannot be set here".to_owned(),
        )
    } else if let Some(field) = quoted("missing field ") {
        (format!("{prefix}{field}"), "is required".to_owned())
    } else if path == "." {
        ("body".to_owned(), plain(message))
    } else {
        (path, plain(message))
    };
    let mut errors = FieldErrors::new();
    errors.insert(field, vec![text]);
    AppError::Validation(errors)
}

/// Rewrites serde's words for Rust types into JSON's: `expected i64` → `expected an integer`,
/// `expected struct CreateArticle` → `expected a JSON object`, `sequence` → `array`.
/// Turns a query string's serde message into field errors: `unknown field `status`` ->
/// `{"status": [...]}`, in JSON's words rather than Rust's.
pub fn serde_problem(place: &str, message: &str) -> AppError {
    let quoted = |prefix: &str| {
        let rest = message.split(prefix).nth(1)?;
        let rest = rest.strip_prefix('`')?;
        rest.split('`').next().map(str::to_owned)
    };
    let mut errors = FieldErrors::new();
    if let Some(field) = quoted("unknown field ") {
        errors.insert(
            field,
            vec!["is not a field of this request; it cannot be set here".into()],
        );
    } else if let Some(field) = quoted("missing field ") {
        errors.insert(field, vec!["is required".into()]);
    } else {
        errors.insert(place.to_owned(), vec![plain(message)]);
    }
    AppError::Validation(errors)
}

pub fn plain(message: &str) -> String {
    let (head, expected) = match message.split_once(", expected ") {
        Some((head, expected)) => (head, Some(expected)),
        None => (message, None),
    };
    let head = head
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: object")
        .replace("invalid type: unit value", "invalid type: null")
        .replace("invalid type: floating point", "invalid type: number")
        .replace("invalid type: integer", "invalid type: number");
    let Some(expected) = expected else {
        return head;
    };
    let first = expected.split_whitespace().next().unwrap_or_default();
    let json = match first {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" => "an integer",
        "f32" | "f64" => "a number",
        "struct" | "map" | "tuple" => "a JSON object",
        "enum" => "one of the documented values",
        "unit" => "null",
        "option" => "a value or null",
        "char" => "a single character",
        "a" if expected.starts_with("a sequence") => "an array",
        "a" if expected.starts_with("a map") => "a JSON object",
        "sequence" => "an array",
        _ => expected,
    };
    format!("{head}, expected {json}")
}

/// A `T` that must come from a JSON object: an array, a string or a number is refused before
/// `T` sees it.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Object<T>, A::Error> {
        T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Login {
        email: String,
        password: String,
        #[serde(default)]
        attempts: Option<u16>,
    }

    fn field_error(err: AppError) -> (String, String) {
        match err {
            AppError::Validation(errors) => {
                let (field, messages) = errors.into_iter().next().expect("a field");
                (field, messages.join("; "))
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn an_object_is_parsed_and_an_array_by_position_is_refused() {
        let ok: Login = parse(br#"{"email": "a@b.c", "password": "pw"}"#).unwrap();
        assert_eq!(ok.email, "a@b.c");
        let (field, message) = field_error(parse::<Login>(br#"["a@b.c", "pw"]"#).unwrap_err());
        assert_eq!(field, "body");
        assert_eq!(message, "invalid type: array, expected a JSON object");
        for other in [&b"\"text\""[..], b"12", b"true"] {
            assert!(matches!(
                parse::<Login>(other),
                Err(AppError::Validation(_))
            ));
        }
    }

    #[test]
    fn a_wrong_field_is_named_and_no_rust_type_is() {
        let (field, message) =
            field_error(parse::<Login>(br#"{"email": 5, "password": "pw"}"#).unwrap_err());
        assert_eq!(field, "email");
        assert_eq!(message, "invalid type: number `5`, expected a string");
        let (field, message) = field_error(
            parse::<Login>(br#"{"email": "a", "password": "pw", "attempts": "x"}"#).unwrap_err(),
        );
        assert_eq!(field, "attempts");
        assert!(message.ends_with("expected an integer"), "{message}");
        let (field, message) =
            field_error(parse::<Login>(br#"{"email": "a", "role": "admin"}"#).unwrap_err());
        assert_eq!(field, "role");
        assert!(message.contains("cannot be set here"));
        let (field, _) = field_error(parse::<Login>(br#"{"email": "a"}"#).unwrap_err());
        assert_eq!(field, "password");
    }

    #[test]
    fn broken_json_and_trailing_text_are_bad_requests() {
        assert!(matches!(
            parse::<Login>(b"{\"email\": "),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            parse::<Login>(br#"{"email": "a", "password": "b"} {}"#),
            Err(AppError::BadRequest(_))
        ));
    }
}
