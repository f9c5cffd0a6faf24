//! Response headers that tell browsers to treat every answer as exactly what it says it is:
//! no MIME sniffing, no framing, no referrer, and a content security policy that lets the
//! service's own HTML pages (subscription pages, the newsletter's web version) show inline
//! styles and images but run no script and post forms only to this origin. The API docs page
//! (Swagger UI, which runs its own scripts) gets every header but the policy.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The policy of every response but the docs page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Where Swagger UI is served.
const DOCS_PREFIX: &str = "/api/docs";

pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let is_docs = req.path().starts_with(DOCS_PREFIX);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !is_docs {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
    }
    Ok(res)
}
