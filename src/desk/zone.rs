//! Times in an outlet's time zone: the desk shows schedule, embargo and publication times on
//! the outlet's wall clock and takes `datetime-local` input in it; the database converts
//! (PostgreSQL's time zone data, `outlets::store`), and every time is stored in UTC.

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;

use crate::domain::Key;
use crate::error::{AppError, Result};
use crate::outlets;
use crate::state::AppState;

/// An outlet's time zone.
pub struct Zone {
    pub name: String,
}

impl Zone {
    pub async fn of_outlet(state: &AppState, outlet_id: Uuid) -> Result<Zone> {
        let outlet = outlets::store::get(&state.db, &Key::Id(outlet_id)).await?;
        Ok(Zone {
            name: outlet.map_or_else(|| "UTC".into(), |o| o.timezone),
        })
    }

    async fn local(&self, state: &AppState, at: &[DateTime<Utc>]) -> Result<Vec<NaiveDateTime>> {
        Ok(outlets::store::utc_to_local(&state.db, at, &self.name).await?)
    }

    /// Each time as the desk shows it: `2026-03-02 14:00 Asia/Karachi`.
    pub async fn show(
        &self,
        state: &AppState,
        at: &[Option<DateTime<Utc>>],
    ) -> Result<Vec<Option<String>>> {
        let known: Vec<DateTime<Utc>> = at.iter().flatten().copied().collect();
        let mut local = self.local(state, &known).await?.into_iter();
        Ok(at
            .iter()
            .map(|t| {
                t.and_then(|_| local.next())
                    .map(|l| format!("{} {}", l.format("%Y-%m-%d %H:%M"), self.name))
            })
            .collect())
    }

    /// The value of a `datetime-local` input for `at`.
    pub async fn input(&self, state: &AppState, at: Option<DateTime<Utc>>) -> Result<String> {
        let Some(at) = at else {
            return Ok(String::new());
        };
        let local = self.local(state, &[at]).await?;
        Ok(local
            .first()
            .map(|l| l.format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default())
    }

    /// Reads a `datetime-local` value on this zone's clock; `field` names it in the error.
    pub async fn parse(&self, state: &AppState, field: &str, raw: &str) -> Result<DateTime<Utc>> {
        let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(raw.trim(), f).ok())
            .ok_or_else(|| {
                AppError::field(field, "must be a date and time like 2026-03-02T09:30")
            })?;
        Ok(outlets::store::local_to_utc(&state.db, local, &self.name).await?)
    }
}
