//! Request bodies are accepted as sent, never inflated: the server is built without
//! actix-web's decompression features, so a `Content-Encoding: gzip` body would otherwise
//! reach the JSON parser as binary and earn a puzzling "not JSON" answer. A compressed body
//! (a gzip bomb above all) is refused up front with a `415` that says why (RFC 9110 §15.5.16).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::ResponseError;

use crate::error::AppError;

/// Whether the request declares any coding but `identity`.
fn encoded(req: &ServiceRequest) -> bool {
    req.headers()
        .get_all(header::CONTENT_ENCODING)
        .flat_map(|v| v.to_str().unwrap_or("?").split(','))
        .map(str::trim)
        .any(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("identity"))
}

pub async fn refuse_encoded<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if encoded(&req) {
        let res = AppError::UnsupportedEncoding.error_response();
        return Ok(req.into_response(res).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
