//! When a write empties the reader site's cache of this instance (`page_cache`): a write
//! that can change what readers see, made by a signed-in member of staff, that succeeded.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};

use crate::auth::SignedIn;
use crate::state::AppState;

/// Middleware: after a staff write this instance answered with success, drop every page and
/// the catalogue it keeps, so its next page shows the change (other instances within their
/// `NEWSROOM_SITE_CACHE_MS`). Only writes that can change what readers see count: made by a
/// signed-in member of staff (`auth::SignedIn`, set when the API's token or the desk's
/// cookie names a live session), answered 2xx or 3xx, and not the editor's preview or
/// presence or signing out. So no anonymous request, refused write or reader's sign-up can
/// keep the cache empty.
pub async fn forget_after_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let writes = !req.method().is_safe() && may_change_pages(req.path());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let res = next.call(req).await?;
    let done = res.status().is_success() || res.status().is_redirection();
    let staff = res.request().extensions().contains::<SignedIn>();
    if let (true, true, true, Some(state)) = (writes, done, staff, state) {
        state.site.forget_all();
    }
    Ok(res)
}

/// Whether a write to `path` can change a reader's page: the staff API and the desk, less
/// the routes that only read or concern the writer's own session.
fn may_change_pages(path: &str) -> bool {
    let staff = path.starts_with("/api/v1/") || path.starts_with("/admin/");
    let own = path.starts_with("/api/v1/auth/")
        || path == "/admin/login"
        || path == "/admin/logout"
        || path.ends_with("/preview")
        || path.ends_with("/presence");
    staff && !own
}

#[cfg(test)]
mod tests {
    use super::may_change_pages;

    #[test]
    fn staff_writes_change_pages_and_session_preview_presence_and_readers_do_not() {
        for path in [
            "/api/v1/articles/1/actions/kill",
            "/api/v1/outlets",
            "/admin/stories/1",
            "/admin/outlets/1",
        ] {
            assert!(may_change_pages(path), "{path}");
        }
        for path in [
            "/api/v1/auth/login",
            "/admin/login",
            "/admin/logout",
            "/admin/stories/1/preview",
            "/admin/stories/1/presence",
            "/newsletter/eastern-briefings",
            "/public/v1/subscriptions",
        ] {
            assert!(!may_change_pages(path), "{path}");
        }
    }
}
