//! The public API's rate limit as a middleware: one bucket per client address, from the
//! limits held in the application state (`ratelimit::Limits`).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use super::PublicRefusal;
use crate::error::AppError;
use crate::state::AppState;

/// Middleware for the public API: one bucket per client address (see `client::ip`). A
/// request over the limit gets 429 with `Retry-After` and never reaches the handler.
pub async fn per_client(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> std::result::Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let Some(state) = state {
        let ip = crate::client::ip(req.request(), state.config.trust_forwarded);
        if let Some(ip) = ip {
            if let Err(err) = state.limits.public(ip) {
                state.metrics.work.refused(crate::metrics::Limit::Public);
                let refused = match err {
                    AppError::TooManyRequests { retry_after_secs } => {
                        Some(PublicRefusal { retry_after_secs })
                    }
                    _ => None,
                };
                let mut res = req.error_response(err);
                if let Some(refused) = refused {
                    res.response_mut().extensions_mut().insert(refused);
                }
                return Ok(res);
            }
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
