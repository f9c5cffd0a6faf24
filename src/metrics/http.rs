//! HTTP metrics: requests by route pattern, method and status class, their latency, and the
//! requests in flight. The route label is the pattern actix matched (`/api/v1/articles/{id}`),
//! never the path, so a thousand article ids make one series; a path that matches no route is
//! `unmatched`.

use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use super::labels::{self, HttpLabels};
use crate::state::AppState;

/// From 1 ms to 10 s.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug)]
pub struct HttpMetrics {
    requests: Family<HttpLabels, Counter>,
    duration: Family<HttpLabels, Histogram>,
    in_flight: Gauge,
}

impl HttpMetrics {
    pub fn new(registry: &mut Registry) -> HttpMetrics {
        let http = HttpMetrics {
            requests: Family::default(),
            duration: Family::new_with_constructor(|| Histogram::new(BUCKETS)),
            in_flight: Gauge::default(),
        };
        registry.register(
            "newsroom_http_requests",
            "HTTP requests by route pattern, method and status class",
            http.requests.clone(),
        );
        registry.register_with_unit(
            "newsroom_http_request_duration",
            "Time to answer an HTTP request (until the response starts)",
            Unit::Seconds,
            http.duration.clone(),
        );
        registry.register(
            "newsroom_http_requests_in_flight",
            "HTTP requests being served now",
            http.in_flight.clone(),
        );
        http
    }

    fn record(&self, labels: HttpLabels, took: Duration) {
        self.duration
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
        self.requests.get_or_create(&labels).inc();
    }
}

/// Takes a request off the in-flight gauge however it ends (a dropped connection included).
struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Middleware: counts and times every request of the public listener.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let http = &state.metrics.http;
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = labels::method(req.method());
    http.in_flight.inc();
    let _in_flight = InFlight(http.in_flight.clone());
    let started = Instant::now();
    let res = next.call(req).await;
    let status = match &res {
        Ok(res) => res.status(),
        Err(err) => err.as_response_error().status_code(),
    };
    let labels = HttpLabels {
        route,
        method,
        status: labels::status_class(status.as_u16()),
    };
    http.record(labels, started.elapsed());
    Ok(res?.map_into_boxed_body())
}
