//! Every refusal under `/admin` is a desk page with the desk's header: a `DeskError` says
//! which page (`DeskError::problem`), and anything else that fails there before a desk
//! handler runs — an extractor's error (a path id that is not a UUID, a query the handler
//! cannot read), a route or method the desk does not have, a body too large — is said as a
//! sentence by its status instead of the API's problem+json. Whoever is signed in is shown in
//! the header, as on every other screen, read from the session cookie like `Desk` does.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::FromRequest;

use super::page::{problem_page, sentence, DeskError, Me, Problem, SOMETHING_WRONG};
use super::session::Desk;
use crate::error::AppError;

/// Whether `path` is the desk's.
fn is_desk(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

fn is_html(res: &ServiceResponse<BoxBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

/// The page for a failure that did not come from a desk handler, by its status.
fn by_status(status: StatusCode) -> Problem {
    let (status, title, message) = match status.as_u16() {
        404 => (status, "Not found", sentence(&AppError::NotFound)),
        405 => (
            status,
            "Not done",
            "This page cannot be used that way. Follow a link or a button of the desk.".into(),
        ),
        413 => (
            status,
            "Not done",
            "What you sent is too large. Shorten it and send it again.".into(),
        ),
        400..=499 => (
            StatusCode::BAD_REQUEST,
            "Not understood",
            "This address asks for something the desk does not understand. Go back to the \
             stories and follow a link from there."
                .into(),
        ),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            SOMETHING_WRONG.into(),
        ),
    };
    Problem {
        status,
        title,
        message,
    }
}

/// Middleware (innermost, so the app's problem+json fallback lets the page through).
pub async fn as_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let desk = is_desk(req.path());
    let res = next.call(req).await?.map_into_boxed_body();
    let failed = res.status().is_client_error() || res.status().is_server_error();
    if !desk || !failed {
        return Ok(res);
    }
    let (problem, paged) = match res.response().error().map(|e| e.as_error::<DeskError>()) {
        Some(Some(err)) => match err.problem() {
            Some(problem) => (problem, true),
            None => return Ok(res),
        },
        Some(None) => (by_status(res.status()), false),
        // A page a handler chose to answer with (a 401 sign-in, a 422 form): kept as it is.
        None if is_html(&res) => return Ok(res),
        None => (by_status(res.status()), false),
    };
    let me = Desk::from_request(res.request(), &mut Payload::None)
        .await
        .ok()
        .map(|desk| Me::from(&desk));
    if paged && me.is_none() {
        // Already the page, and there is no one to show in the header.
        return Ok(res);
    }
    let page = problem_page(&problem, me.as_ref());
    Ok(res.into_response(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_desks_paths_are_the_desks() {
        assert!(is_desk("/admin"));
        assert!(is_desk("/admin/stories/x"));
        assert!(!is_desk("/administrators"));
        assert!(!is_desk("/api/v1/articles"));
    }

    #[test]
    fn a_query_the_desk_cannot_read_is_a_400_and_a_missing_page_a_404() {
        let unreadable = by_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
        assert!(unreadable.message.contains("does not understand"));
        assert_eq!(
            by_status(StatusCode::NOT_FOUND).status,
            StatusCode::NOT_FOUND
        );
    }
}
