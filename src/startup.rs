//! Building and running the HTTP application. `app()` is the one wiring of routes, limits
//! and middleware, used by `newsroom serve` and by the tests alike.

use std::net::TcpListener;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{from_fn, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpServer};

use crate::error::{AppError, Problem, PROBLEM_JSON};
use crate::state::AppState;
use crate::{
    articles, audit, auth, authors, content_encoding, desk, head_requests, health, json_body,
    media, metrics, newsletters, openapi, outlets, partners, public, ratelimit, sections,
    security_headers, site, subscribers, subscriptions, syndication, telemetry, users, webhooks,
};

/// Largest JSON body the admin API accepts (a long story's Markdown fits many times over).
pub const JSON_LIMIT: usize = 1024 * 1024;

/// A bound, not yet running server.
pub struct Application {
    server: Server,
    port: u16,
}

impl Application {
    /// Binds `addr` (port 0 picks a free one) and prepares the server.
    pub fn build(state: AppState, addr: &str) -> anyhow::Result<Application> {
        let listener =
            TcpListener::bind(addr).map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || app(state.clone()))
            .workers(crate::db::read_pools::worker_threads())
            .listen(listener)?
            .shutdown_timeout(30)
            .run();
        Ok(Application { server, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM, then drains in-flight requests (up to 30 s).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The application: every route, extractor limit, error rendering and the request log. Made
/// once per worker thread, so it takes that worker's read pool (`AppState::for_worker`).
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(state.for_worker()))
        // The JSON extractor (`json_body::Json`) reads bodies through this limit.
        .app_data(web::PayloadConfig::new(JSON_LIMIT))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|err, _| json_body::serde_problem("query", &err.to_string()).into()),
        )
        .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        // Innermost: a refusal under /admin is a desk page, not problem+json.
        .wrap(from_fn(desk::problem_pages))
        // A write that succeeded empties the reader site's cache of this instance.
        .wrap(from_fn(site::forget_after_writes))
        // Next to the router, so the request log still shows HEAD.
        .wrap(from_fn(head_requests::as_get))
        .wrap(from_fn(content_encoding::refuse_encoded))
        .wrap(ErrorHandlers::new().default_handler(problem_for_bare_errors))
        .wrap(from_fn(security_headers::add))
        .wrap(from_fn(metrics::http::track))
        .wrap(from_fn(telemetry::request_log))
        .configure(routes)
        .default_service(web::to(|| async {
            Err::<actix_web::HttpResponse, _>(AppError::NotFound)
        }))
}

/// Every route of the service.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .configure(auth::http::routes)
            .configure(users::http::routes)
            .configure(outlets::http::routes)
            .configure(sections::http::routes)
            .configure(authors::http::routes)
            .configure(articles::http::routes)
            .configure(partners::http::routes)
            .configure(webhooks::http::routes)
            .configure(newsletters::http::routes)
            .configure(newsletters::issues_http::routes)
            .configure(subscribers::http::routes)
            .configure(audit::http::routes)
            .configure(media::http::routes),
    )
    .service(
        web::scope("/syndication/v1")
            .configure(syndication::http::routes)
            .configure(syndication::feeds::routes),
    )
    .service(
        web::scope("/public/v1")
            .wrap(from_fn(ratelimit::per_client))
            .wrap(from_fn(subscriptions::http::refusals_as_pages))
            .configure(public::http::routes)
            .configure(subscriptions::http::routes)
            .configure(newsletters::issues_http::public_routes),
    )
    .configure(desk::routes)
    .configure(media::serve::routes)
    .configure(health::routes)
    .configure(openapi::routes)
    // Last: the reader site's `/{outlet}/{slug}` must not shadow any route above.
    .configure(site::routes);
}

/// Gives responses that actix made by itself (no route, wrong method, unread extractor errors)
/// a problem+json body, so clients never see an empty or plain-text error.
fn problem_for_bare_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Problem documents, and the HTML pages that answer a reader's form post (see
    // `subscriptions::http`), are deliberate answers; actix's own are plain text.
    let is_answer = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()) || v.as_bytes().starts_with(b"text/html")
    });
    if is_answer {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = match status.as_u16() {
        404 => "No route matches this path.".to_owned(),
        405 => "This path does not accept this HTTP method.".to_owned(),
        _ => res
            .response()
            .error()
            .map(|e| e.to_string())
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("Error").to_owned()),
    };
    let (req, _) = res.into_parts();
    let mut response = Problem::for_status(status, detail).response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        if let Some(allow) = openapi::methods_for(req.path()) {
            response
                .headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_static(allow));
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
