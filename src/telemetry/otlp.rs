//! Traces over OTLP/HTTP (protobuf), on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. The
//! exporter (`opentelemetry-otlp`, the reference implementation) reads the standard variables
//! itself (`OTEL_EXPORTER_OTLP_ENDPOINT`, `…_TRACES_ENDPOINT`, `…_HEADERS`, `…_TIMEOUT`,
//! `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_BSP_*`) and sends batches from a
//! thread of its own. It posts through the `reqwest` client newsroom already builds for
//! webhooks (rustls, no gRPC stack): [`Client`] runs each post on a one-thread runtime of its
//! own, since the exporter's thread has none. When the variable is unset nothing here runs:
//! no provider, no layer, no thread.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracerProvider, Tracer};
use opentelemetry_sdk::Resource;

static ON: AtomicBool = AtomicBool::new(false);

/// Whether traces are exported (set once, at start-up).
pub fn enabled() -> bool {
    ON.load(Ordering::Relaxed)
}

/// The tracer provider and a tracer of it for newsroom's spans.
pub fn start() -> anyhow::Result<(SdkTracerProvider, Tracer)> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_http_client(Client::new()?)
        .build()
        .context("setting up the OTLP exporter")?;
    let mut resource = Resource::builder()
        .with_attribute(opentelemetry::KeyValue::new(
            "service.version",
            env!("CARGO_PKG_VERSION"),
        ))
        .with_attribute(opentelemetry::KeyValue::new(
            "vcs.ref.head.revision",
            crate::metrics::process::GIT_COMMIT,
        ));
    if std::env::var_os("OTEL_SERVICE_NAME").is_none() {
        resource = resource.with_service_name("newsroom");
    }
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource.build())
        .build();
    let tracer = provider.tracer("newsroom");
    ON.store(true, Ordering::Relaxed);
    Ok((provider, tracer))
}

/// The W3C `traceparent` of an incoming request, so a caller's trace goes on through newsroom.
pub fn parent_of(headers: &actix_web::http::header::HeaderMap) -> opentelemetry::Context {
    TraceContextPropagator::new().extract(&Headers(headers))
}

struct Headers<'a>(&'a actix_web::http::header::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

/// Posts the exporter's requests with reqwest, on a runtime of its own.
#[derive(Debug)]
struct Client {
    http: reqwest::Client,
    runtime: Runtime,
}

impl Client {
    fn new() -> anyhow::Result<Client> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("otlp-export")
            .enable_all()
            .build()
            .context("starting the OTLP export thread")?;
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .context("building the OTLP HTTP client")?;
        Ok(Client {
            http,
            runtime: Runtime(Some(runtime)),
        })
    }
}

/// A runtime that may be dropped anywhere, an async context included (the exporter is dropped
/// when `main` shuts the provider down).
#[derive(Debug)]
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

type Answer = Result<Response<Bytes>, HttpError>;

// `HttpClient` is an `async_trait`; this is the signature that macro would write.
impl HttpClient for Client {
    fn send_bytes<'life0, 'async_trait>(
        &'life0 self,
        request: Request<Bytes>,
    ) -> Pin<Box<dyn Future<Output = Answer> + Send + 'async_trait>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let http = self.http.clone();
        let Some(runtime) = self.runtime.0.as_ref() else {
            return Box::pin(async { Err("the OTLP export thread has stopped".into()) });
        };
        let sent = runtime.spawn(async move {
            let res = http.execute(reqwest::Request::try_from(request)?).await?;
            let mut answer = Response::builder().status(res.status());
            if let Some(headers) = answer.headers_mut() {
                *headers = res.headers().clone();
            }
            Ok::<_, HttpError>(answer.body(res.bytes().await?)?)
        });
        Box::pin(async move { sent.await? })
    }
}
