//! A partner's syndication usage, `/admin/partners/{id}/usage`: the service's report
//! (`partners::service::usage`, admins only; the last 30 days unless a from/to range is
//! asked): requests and stories fetched per day (a table, and a chart of the same,
//! `usage_chart.rs`), stories fetched per outlet and day (a table), and the same rows as CSV
//! (`/usage.csv`). The service reports one partner at a time; a request is of no one outlet
//! (a feed page spans them), so requests are per day only.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::{Days, NaiveDate};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::page::{render, DeskError, Me};
use super::partner_refusals::refused;
use super::session::Desk;
use super::usage_chart::{chart, Day};
use crate::error::{AppError, FieldErrors};
use crate::partners::{self, Usage};
use crate::state::AppState;

/// The range as the form sends it (blank means the default).
#[derive(Debug, Default, Deserialize, Serialize)]
struct Range {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl Range {
    /// The dates asked for; a field's message for one that is not a date.
    fn dates(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), AppError> {
        let parse = |field: &str, raw: &str| match raw.trim() {
            "" => Ok(None),
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::field(field, "must be a date, YYYY-MM-DD")),
        };
        Ok((parse("from", &self.from)?, parse("to", &self.to)?))
    }
}

/// The report, or the range's refusal as the form shows it.
async fn report(
    state: &AppState,
    desk: &Desk,
    id: Uuid,
    range: &Range,
) -> Result<Result<Usage, FieldErrors>, DeskError> {
    let asked = match range.dates() {
        Ok((from, to)) => partners::service::usage(state, &desk.user, id, from, to).await,
        Err(err) => Err(err),
    };
    match asked {
        Ok(usage) => Ok(Ok(usage)),
        Err(AppError::Validation(errors)) => Ok(Err(errors)),
        Err(err) => Err(refused(err)),
    }
}

/// Every day of the range with its totals over the outlets and its requests (a day without
/// is 0).
fn days(usage: &Usage) -> Vec<Day> {
    let mut out = Vec::new();
    let mut day = usage.from;
    while day <= usage.to {
        let of_day = usage.days.iter().filter(|r| r.day == day);
        out.push(Day {
            day,
            fetches: of_day.clone().map(|r| r.fetches).sum(),
            // A story belongs to one outlet, so the outlets' distinct stories add up.
            stories: of_day.map(|r| r.stories).sum(),
            requests: usage
                .requests
                .iter()
                .filter(|r| r.day == day)
                .map(|r| r.requests)
                .sum(),
        });
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    page(&state, &desk, id.into_inner(), range.into_inner()).await
}

async fn page(
    state: &AppState,
    desk: &Desk,
    id: Uuid,
    range: Range,
) -> Result<HttpResponse, DeskError> {
    let partner = partners::get(state, &desk.user, id)
        .await
        .map_err(refused)?;
    let (usage, errors, status) = match report(state, desk, id, &range).await? {
        Ok(usage) => (Some(usage), FieldErrors::new(), StatusCode::OK),
        Err(errors) => (None, errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let (rows, per_day, drawn, total_stories) = match &usage {
        Some(usage) => {
            let per_day = days(usage);
            let drawn = if usage.days.is_empty() && usage.requests.is_empty() {
                None
            } else {
                chart(&per_day)
            };
            let total_stories = per_day.iter().map(|d| d.stories).sum::<i64>();
            let active: Vec<Day> = per_day
                .into_iter()
                .filter(|d| d.requests > 0 || d.fetches > 0)
                .collect();
            (usage.days.as_slice(), active, drawn, total_stories)
        }
        None => (&[][..], Vec::new(), None, 0),
    };
    render(
        status,
        "desk/partner_usage.html",
        context! {
            title => format!("Syndication usage of {}", partner.name), me => Me::from(desk),
            id, name => partner.name.clone(), range, errors, rows, per_day, chart => drawn,
            from => usage.as_ref().map(|u| u.from.to_string()),
            to => usage.as_ref().map(|u| u.to.to_string()),
            total_fetches => usage.as_ref().map(|u| u.total_fetches).unwrap_or(0),
            total_requests => usage.as_ref().map(|u| u.total_requests).unwrap_or(0),
            total_stories,
        },
    )
}

/// A cell a spreadsheet would run as a formula gets a leading `'`.
fn neutralised(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// The report's rows as CSV: a header (day, outlet, requests, fetches, stories), then per
/// day a row of its requests with no outlet (a request is of no one outlet), and its outlets'
/// rows with no requests: each column adds up without counting anything twice.
fn csv_of(usage: &Usage) -> Result<Vec<u8>, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| AppError::Unexpected(e.into());
    out.write_record(["day", "outlet", "requests", "fetches", "stories"])
        .map_err(failed)?;
    let mut requests = usage.requests.iter().peekable();
    let mut outlets = usage.days.iter().peekable();
    loop {
        let day = match (requests.peek(), outlets.peek()) {
            (Some(r), Some(o)) => r.day.min(o.day),
            (Some(r), None) => r.day,
            (None, Some(o)) => o.day,
            (None, None) => break,
        };
        if let Some(r) = requests.next_if(|r| r.day == day) {
            let cells = [day.to_string(), String::new(), r.requests.to_string()];
            out.write_record(cells.iter().chain([&String::new(), &String::new()]))
                .map_err(failed)?;
        }
        while let Some(row) = outlets.next_if(|o| o.day == day) {
            out.write_record([
                neutralised(&row.day.to_string()),
                neutralised(&row.outlet_slug),
                String::new(),
                row.fetches.to_string(),
                row.stories.to_string(),
            ])
            .map_err(failed)?;
        }
    }
    out.into_inner()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing the CSV: {e}")))
}

/// The CSV download; a refused range answers with the page and its messages.
async fn download(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    range: web::Query<Range>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let range = range.into_inner();
    let usage = match report(&state, &desk, id, &range).await? {
        Ok(usage) => usage,
        Err(_) => return page(&state, &desk, id, range).await,
    };
    let body = csv_of(&usage)?;
    let filename = format!("usage-{id}-{}-{}.csv", usage.from, usage.to);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header(crate::http_cache::NO_STORE)
        .body(body))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/partners/{id}/usage").route(web::get().to(show)))
        .service(web::resource("/admin/partners/{id}/usage.csv").route(web::get().to(download)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        for cell in ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralised(cell), format!("'{cell}"));
        }
        for cell in ["2026-12-06", "dawn", "", "a=b"] {
            assert_eq!(neutralised(cell), cell);
        }
    }

    #[test]
    fn blank_dates_are_the_default_and_bad_ones_are_refused_by_field() {
        let range = |from: &str, to: &str| Range {
            from: from.into(),
            to: to.into(),
        };
        assert!(matches!(range("", " ").dates(), Ok((None, None))));
        let day = NaiveDate::from_ymd_opt(2026, 12, 6);
        assert!(matches!(range("2026-12-06", "").dates(), Ok((d, None)) if d == day));
        for (bad, field) in [
            (range("06/12/2026", ""), "from"),
            (range("", "2026-13-01"), "to"),
        ] {
            match bad.dates() {
                Err(AppError::Validation(errors)) => assert!(errors.contains_key(field)),
                other => panic!("{other:?}"),
            }
        }
    }
}
