//! Response headers that tell browsers to treat every answer as exactly what it says it is:
//! no MIME sniffing, no framing, no referrer, and a content security policy that lets the
//! service's own HTML pages (subscription pages, the newsletter's web version) show inline
//! styles and images but run no script and post forms only to this origin. The API docs page
//! (Swagger UI) and the desk (`/admin`) get policies of their own: their scripts and styles,
//! all served from here.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The policy of every response but the docs page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of the docs page, Swagger UI 5 as vendored by utoipa-swagger-ui: its bundle,
/// preset and initializer are scripts of this origin (the page has no inline script), its
/// CSS is ours too with icons as `data:` images, and it fetches `/api/openapi.json` and sends
/// "Try it out" requests to this origin. Nothing else: the validator badge Swagger UI would
/// load from validator.swagger.io (telling it the document's URL) is blocked. Styles allow
/// `'unsafe-inline'` because the UI sets `style` attributes as it renders.
pub const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of the desk (`/admin`): its own scripts and styles only, no inline script,
/// style or event attribute, fetches (htmx) and form posts to this origin alone; frames of
/// this origin only (an email's preview, which sets its own policy below).
pub const DESK_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
     frame-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of an email shown as its reader gets it inside a desk page (the issue preview's
/// frame): the email's inline styles and its pictures, no script, no form, a sandbox, framed
/// by this origin's pages only. The handler sets it; the middleware keeps it.
pub const EMAIL_PREVIEW_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; \
     style-src 'unsafe-inline'; img-src https: data:; form-action 'none'; \
     frame-ancestors 'self'; base-uri 'none'; sandbox";

/// The policy of the reader site's pages (`crate::site`), which set it themselves since the
/// site answers at `/` and below: its stylesheet and images of this origin, no script at all
/// (the story's JSON-LD is `application/ld+json`, data a browser never runs, so it needs no
/// `script-src`), forms posted to this origin only.
pub const SITE_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
     img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Where the desk is served.
const DESK_PREFIX: &str = "/admin";

/// Where Swagger UI is served.
const DOCS_PREFIX: &str = "/api/docs";

pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let is_docs = req.path().starts_with(DOCS_PREFIX);
    let is_desk = req.path() == DESK_PREFIX || req.path().starts_with("/admin/");
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let is_email_preview = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| v.as_bytes() == EMAIL_PREVIEW_CONTENT_SECURITY_POLICY.as_bytes());
    let frames = if is_email_preview {
        "SAMEORIGIN"
    } else {
        "DENY"
    };
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static(frames));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let is_site = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| v.as_bytes() == SITE_CONTENT_SECURITY_POLICY.as_bytes());
    let policy = if is_email_preview {
        EMAIL_PREVIEW_CONTENT_SECURITY_POLICY
    } else if is_site {
        SITE_CONTENT_SECURITY_POLICY
    } else if is_docs {
        DOCS_CONTENT_SECURITY_POLICY
    } else if is_desk {
        DESK_CONTENT_SECURITY_POLICY
    } else {
        CONTENT_SECURITY_POLICY
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    Ok(res)
}
