//! `HEAD` answers exactly like `GET` without the body (RFC 9110, 9.3.2), so CDNs, link
//! checkers and uptime monitors can look at any GET route. actix-web matches `web::get()`
//! routes on GET only (a HEAD was a 405), so this middleware hands a HEAD request to the
//! router as a GET. The body is then left off the wire by actix-http itself, which remembers
//! the method it parsed: the answer keeps every header of the GET, `Content-Length` and
//! `ETag` included, and conditional requests (`If-None-Match` → 304) work the same.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
