//! Logging: `tracing` with pretty or JSON lines, and one line per request (method, path,
//! status, latency, request id). The request id is taken from a well-formed incoming
//! `X-Request-Id` or made up, returned in the same header and attached to every log line
//! and audit entry of the request. With `OTEL_EXPORTER_OTLP_ENDPOINT` set, the request's
//! span is also exported as an OpenTelemetry server span (`otlp.rs`), with a child span per
//! SQL statement (`sql_spans.rs`).

mod otlp;
mod sql_spans;

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use opentelemetry::trace::{Status, TraceContextExt};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::{Instrument, Level, Subscriber};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

use crate::config::{Config, LogFormat};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The id of the request being served, in the request's extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The log filter when `RUST_LOG` is unset.
const DEFAULT_FILTER: &str = "info,sqlx=warn";

/// What `init` started; [`Telemetry::shutdown`] sends the spans still buffered.
#[must_use]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Flushes and stops the trace exporter (a no-op when traces are off). Blocks for up to
    /// the exporter's timeout: call it once the server has stopped.
    pub fn shutdown(self) {
        if let Some(provider) = self.traces {
            if let Err(err) = provider.shutdown() {
                eprintln!("newsroom: the last traces could not be sent: {err}");
            }
        }
    }
}

type Boxed = Box<dyn Layer<Registry> + Send + Sync>;

/// Installs the global subscriber once: log lines filtered by `RUST_LOG`, the connection
/// pools' checkout times for the metrics, and the trace export when
/// `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Each part has its own filter, so the log filter
/// never hides what the metrics or the traces need, and vice versa.
pub fn init(config: &Config) -> Telemetry {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let logs: Boxed = match config.log_format {
        LogFormat::Pretty => tracing_subscriber::fmt::layer()
            .compact()
            .with_writer(std::io::stderr)
            .with_filter(filter)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_writer(std::io::stderr)
            .with_filter(filter)
            .boxed(),
    };
    let base = tracing_subscriber::registry()
        .with(logs)
        .with(crate::metrics::pool_waits::layer());
    match config.otlp_endpoint.as_ref().map(|_| otlp::start()) {
        Some(Ok((provider, tracer))) => {
            // Layered, not a Vec of layers: a Vec does not hand the dispatcher on to its
            // layers, and the SQL layer needs it to find a statement's parent span.
            let _ = base
                .with(trace_layer(tracer.clone()))
                .with(sql_spans::layer(tracer))
                .try_init();
            Telemetry {
                traces: Some(provider),
            }
        }
        failed => {
            if let Some(Err(err)) = failed {
                eprintln!("newsroom: traces are off: {err:#}");
            }
            let _ = base.try_init();
            Telemetry { traces: None }
        }
    }
}

/// newsroom's own spans (and the events in them) as OpenTelemetry spans.
fn trace_layer<S>(tracer: opentelemetry_sdk::trace::Tracer) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'a> LookupSpan<'a> + Send + Sync,
{
    tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_filter(Targets::new().with_target("newsroom", Level::INFO))
        .boxed()
}

fn incoming_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then(|| value.to_owned())
}

/// Middleware: request id, span and the access-log line.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = incoming_id(&req).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = req.path().to_owned();
    let started = Instant::now();
    let traced = otlp::enabled();
    let span = if traced {
        server_span(&req, &id)
    } else {
        tracing::info_span!("request", request_id = %id)
    };
    // Handlers' errors arrive here as responses; an `Err` can only come from a middleware.
    let mut res = match next.call(req).instrument(span.clone()).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => {
            let status = err.as_response_error().status_code().as_u16();
            span.in_scope(|| tracing::warn!(%method, %path, status, error = %err, "request failed in middleware"));
            return Err(err);
        }
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    let status = res.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if traced {
        span.set_attribute("http.response.status_code", i64::from(status));
        if status >= 500 {
            span.set_status(Status::error(format!("answered {status}")));
        }
    }
    span.in_scope(|| {
        tracing::info!(%method, %path, status, latency_ms = format!("{latency_ms:.2}"), "request");
    });
    Ok(res)
}

/// The request's span as an OpenTelemetry server span: named after the route pattern, a
/// child of the caller's `traceparent` when it sent one.
fn server_span(req: &ServiceRequest, id: &str) -> tracing::Span {
    let route = req.match_pattern();
    let name = format!(
        "{} {}",
        req.method(),
        route.as_deref().unwrap_or("unmatched")
    );
    let span =
        tracing::info_span!("request", request_id = %id, otel.name = %name, otel.kind = "server");
    let parent = otlp::parent_of(req.headers());
    if parent.span().span_context().is_valid() {
        let _ = span.set_parent(parent);
    }
    span.set_attribute("http.request.method", req.method().to_string());
    span.set_attribute("url.path", req.path().to_owned());
    span.set_attribute("request.id", id.to_owned());
    if let Some(route) = route {
        span.set_attribute("http.route", route);
    }
    span
}
