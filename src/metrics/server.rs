//! The metrics listener: `GET /metrics` on `NEWSROOM_METRICS_ADDR`, apart from the public
//! port so that the figures (routes, partners, backlogs) are never served to the Internet by
//! mistake. One worker: a scrape every few seconds needs no more.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::http::header;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

use super::{OPENMETRICS, PROMETHEUS_TEXT};
use crate::state::AppState;

/// A bound metrics listener, not yet running.
pub struct MetricsServer {
    server: Server,
    port: u16,
}

impl MetricsServer {
    /// Binds `addr` (port 0 picks a free one).
    pub fn build(state: AppState, addr: &str) -> anyhow::Result<MetricsServer> {
        let listener = TcpListener::bind(addr)
            .map_err(|e| anyhow::anyhow!("cannot listen on NEWSROOM_METRICS_ADDR {addr}: {e}"))?;
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .route("/metrics", web::get().to(scrape))
                .default_service(web::to(HttpResponse::NotFound))
        })
        .workers(1)
        // Stopped by `serve` after the public server has drained, so the drain can be watched.
        .disable_signals()
        .shutdown_timeout(1)
        .listen(listener)?
        .run();
        Ok(MetricsServer { server, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until [`ServerHandle::stop`].
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// OpenMetrics for a scraper that asks for it (Prometheus does), else Prometheus text.
async fn scrape(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let openmetrics = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/openmetrics-text"));
    state.metrics.database.refresh(&state).await;
    let body = state.metrics.encode(openmetrics);
    let content_type = if openmetrics {
        OPENMETRICS
    } else {
        PROMETHEUS_TEXT
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(body)
}
