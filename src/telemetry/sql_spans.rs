//! A child span per SQL statement. sqlx makes no spans: it reports each statement once it is
//! done, as a tracing event (target `sqlx::query`, with the SQL, the rows and `elapsed_secs`).
//! With traces on, this layer lets those events through (the log filter still hides them) and
//! turns each one that happens inside a traced span into an OpenTelemetry span of kind client,
//! back-dated by its elapsed time, under that span. Statements of the background loops outside
//! any span (the idle polls every second) make no trace.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use opentelemetry::trace::{SpanKind, TraceContextExt, Tracer as _};
use opentelemetry::KeyValue;
use opentelemetry_sdk::trace::Tracer;
use tracing::field::{Field, Visit};
use tracing::{Dispatch, Event, Subscriber};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

const TARGET: &str = "sqlx::query";

pub struct SqlSpans {
    tracer: Tracer,
    dispatch: OnceLock<tracing::dispatcher::WeakDispatch>,
}

/// The layer with its filter: sqlx's statement events, and every span (to find the parent).
pub fn layer<S>(tracer: Tracer) -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    SqlSpans {
        tracer,
        dispatch: OnceLock::new(),
    }
    .with_filter(filter_fn(|meta| meta.is_span() || meta.target() == TARGET))
}

impl<S> Layer<S> for SqlSpans
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_register_dispatch(&self, subscriber: &Dispatch) {
        let _ = self.dispatch.set(subscriber.downgrade());
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != TARGET {
            return;
        }
        let Some(parent) = ctx.event_span(event).map(|span| span.id()) else {
            return;
        };
        let Some(dispatch) = self.dispatch.get().and_then(|d| d.upgrade()) else {
            return;
        };
        let Some(cx) = tracing_opentelemetry::get_otel_context(&parent, &dispatch) else {
            return;
        };
        if !cx.span().span_context().is_valid() {
            return;
        }
        let mut statement = Statement::default();
        event.record(&mut statement);
        let end = SystemTime::now();
        let start = end
            .checked_sub(Duration::from_secs_f64(statement.elapsed_secs.max(0.0)))
            .unwrap_or(end);
        let name = statement
            .summary
            .split_whitespace()
            .next()
            .unwrap_or("sql")
            .to_lowercase();
        let text = if statement.sql.trim().is_empty() {
            statement.summary
        } else {
            statement.sql.trim().to_owned()
        };
        let span = self
            .tracer
            .span_builder(name)
            .with_kind(SpanKind::Client)
            .with_start_time(start)
            .with_attributes([
                KeyValue::new("db.system.name", "postgresql"),
                KeyValue::new("db.query.text", text),
                KeyValue::new("db.response.returned_rows", statement.rows_returned),
                KeyValue::new("db.rows_affected", statement.rows_affected),
            ])
            .start_with_context(&self.tracer, &cx);
        let cx = cx.with_span(span);
        cx.span().end_with_timestamp(end);
    }
}

/// The fields of sqlx's statement event.
#[derive(Default)]
struct Statement {
    summary: String,
    sql: String,
    elapsed_secs: f64,
    rows_returned: i64,
    rows_affected: i64,
}

impl Visit for Statement {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_owned(),
            "db.statement" => self.sql = value.to_owned(),
            _ => {}
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.elapsed_secs = value;
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        let value = i64::try_from(value).unwrap_or(i64::MAX);
        match field.name() {
            "rows_returned" => self.rows_returned = value,
            "rows_affected" => self.rows_affected = value,
            _ => {}
        }
    }

    /// The fields read here arrive through the typed methods above (`elapsed` comes here).
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}
