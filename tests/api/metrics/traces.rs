//! Traces: `newsroom serve` with `OTEL_EXPORTER_OTLP_ENDPOINT` set posts OTLP/HTTP protobuf
//! to a collector (here a loopback receiver), with one server span per request carrying the
//! request id, and a child span per SQL statement of that request.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpResponse};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use uuid::Uuid;

use crate::helpers::TestApp;

/// Every span the receiver got.
fn spans(bodies: &Mutex<Vec<web::Bytes>>) -> Vec<Span> {
    bodies
        .lock()
        .unwrap()
        .iter()
        .filter_map(|b| ExportTraceServiceRequest::decode(b.as_ref()).ok())
        .flat_map(|r| r.resource_spans)
        .flat_map(|r| r.scope_spans)
        .flat_map(|s| s.spans)
        .collect()
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
            Value::StringValue(s) => Some(s.clone()),
            Value::IntValue(i) => Some(i.to_string()),
            _ => None,
        })
}

#[actix_web::test]
async fn a_request_is_exported_as_a_server_span_with_its_request_id_and_sql_children() {
    let app = TestApp::spawn().await;
    let bodies: Arc<Mutex<Vec<web::Bytes>>> = Arc::default();
    let got = bodies.clone();
    let collector = actix_test::start(move || {
        let got = got.clone();
        App::new().route(
            "/v1/traces",
            web::post().to(move |body: web::Bytes| {
                let got = got.clone();
                async move {
                    got.lock().unwrap().push(body);
                    HttpResponse::Ok().finish()
                }
            }),
        )
    });
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data = std::env::temp_dir().join(format!("newsroom-traces-{}", Uuid::now_v7()));
    let mut server = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .arg("serve")
        .env("DATABASE_URL", app.database_url())
        .env("NEWSROOM_ADDR", format!("127.0.0.1:{port}"))
        .env("NEWSROOM_METRICS_ADDR", "127.0.0.1:0")
        .env("NEWSROOM_DATA_DIR", &data)
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url(""))
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsroom serve");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..200 {
        if let Ok(res) = client.get(format!("{base}/health/ready")).send().await {
            if res.status() == 200 {
                ready = true;
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "the server started");
    let request_id = format!("trace-{}", Uuid::now_v7());
    let res = client
        .get(format!("{base}/public/v1/outlets"))
        .header("x-request-id", &request_id)
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let mut found = None;
    for _ in 0..100 {
        let all = spans(&bodies);
        let server_span = all
            .iter()
            .find(|s| attribute(s, "request.id").as_deref() == Some(request_id.as_str()))
            .cloned();
        if let Some(server_span) = server_span {
            let children: Vec<Span> = all
                .into_iter()
                .filter(|s| s.parent_span_id == server_span.span_id)
                .collect();
            if !children.is_empty() {
                found = Some((server_span, children));
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    let status = server.wait().unwrap();
    let mut log = String::new();
    if let Some(mut stderr) = server.stderr.take() {
        std::io::Read::read_to_string(&mut stderr, &mut log).ok();
    }
    let _ = std::fs::remove_dir_all(&data);
    assert!(status.success(), "{log}");
    let (server_span, children) = found.unwrap_or_else(|| panic!("no request span: {log}"));
    assert_eq!(server_span.name, "GET /public/v1/outlets");
    assert_eq!(server_span.kind, 2, "a server span");
    assert_eq!(
        hex(&server_span.trace_id),
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "the caller's trace goes on"
    );
    assert_eq!(
        attribute(&server_span, "http.route").as_deref(),
        Some("/public/v1/outlets")
    );
    assert_eq!(
        attribute(&server_span, "http.response.status_code").as_deref(),
        Some("200")
    );
    let sql = children
        .iter()
        .find(|s| attribute(s, "db.system.name").as_deref() == Some("postgresql"))
        .unwrap_or_else(|| panic!("an SQL child span among {children:?}"));
    assert_eq!(sql.kind, 3, "a client span");
    assert!(attribute(sql, "db.query.text").is_some_and(|q| q.contains("outlets")));
    assert!(sql.start_time_unix_nano >= server_span.start_time_unix_nano);
    assert!(sql.end_time_unix_nano <= server_span.end_time_unix_nano);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
