//! The dashboard, `/admin`: where sign-in lands. What a person sees is what
//! `dashboard::for_user` gives their role (the query string asks for nothing): their own open
//! stories; for editors, stories waiting for review and scheduled in the next 24 hours (on
//! each outlet's clock, `zone.rs`); for admins, failing and paused webhooks, newsletter
//! issues being sent with their tallies, and the newest audit entries.

use std::collections::hash_map::Entry as Slot;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::page::{render, when, DeskError, Me};
use super::session::Desk;
use super::zone::Zone;
use crate::articles::queues::Queued;
use crate::dashboard::{self, SCHEDULE_HORIZON};
use crate::domain::Key;
use crate::error::Result;
use crate::outlets;
use crate::state::AppState;

/// A story as a block lists it, its times on its outlet's clock.
#[derive(Serialize)]
struct Story {
    id: Uuid,
    headline: String,
    outlet: String,
    updated: String,
    scheduled: Option<String>,
}

/// Each outlet's name and clock, read once a page.
#[derive(Default)]
struct Outlets(HashMap<Uuid, (String, Zone)>);

impl Outlets {
    /// The rows as the blocks list them: one read of each new outlet, one conversion of the
    /// times of each outlet's rows.
    async fn stories(&mut self, state: &AppState, rows: Vec<Queued>) -> Result<Vec<Story>> {
        for q in &rows {
            if let Slot::Vacant(slot) = self.0.entry(q.outlet_id) {
                let outlet = outlets::store::get(&state.db, &Key::Id(q.outlet_id)).await?;
                let (name, zone) = outlet.map_or_else(
                    || ("—".to_owned(), "UTC".to_owned()),
                    |o| (o.name, o.timezone),
                );
                slot.insert((name, Zone { name: zone }));
            }
        }
        let mut shown: HashMap<Uuid, std::vec::IntoIter<Option<String>>> = HashMap::new();
        for (id, (_, zone)) in &self.0 {
            let times: Vec<_> = rows
                .iter()
                .filter(|q| q.outlet_id == *id)
                .flat_map(|q| [Some(q.updated_at), q.scheduled_at])
                .collect();
            if !times.is_empty() {
                shown.insert(*id, zone.show(state, &times).await?.into_iter());
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for q in rows {
            let (Some((outlet, _)), Some(times)) =
                (self.0.get(&q.outlet_id), shown.get_mut(&q.outlet_id))
            else {
                continue;
            };
            out.push(Story {
                id: q.id,
                headline: q.headline,
                outlet: outlet.clone(),
                updated: times.next().flatten().unwrap_or_default(),
                scheduled: times.next().flatten(),
            });
        }
        Ok(out)
    }
}

#[derive(Serialize)]
struct Trouble {
    id: Uuid,
    name: String,
    failures: i32,
    retrying: i64,
    failed: i64,
    paused: Option<String>,
    /// Why an admin paused it by hand.
    reason: Option<String>,
    last: Option<String>,
}

impl From<crate::webhooks::watch::Trouble> for Trouble {
    fn from(t: crate::webhooks::watch::Trouble) -> Trouble {
        Trouble {
            id: t.partner_id,
            name: t.name,
            failures: t.failures,
            retrying: t.retrying,
            failed: t.failed,
            paused: t.paused_at.map(when),
            reason: t.pause_reason,
            last: t.last,
        }
    }
}

#[derive(Serialize)]
struct Entry {
    at: String,
    who: String,
    action: String,
    target: String,
    /// The log filtered to this entry's target.
    url: Option<String>,
}

async fn show(state: web::Data<AppState>, desk: Desk) -> Result<HttpResponse, DeskError> {
    let board = dashboard::for_user(&state, &desk.user).await?;
    let mut outlets = Outlets::default();
    let drafts = outlets.stories(&state, board.own.drafts).await?;
    let in_review_mine = outlets.stories(&state, board.own.in_review).await?;
    let editor = match board.editor {
        Some(e) => Some(context! {
            in_review => outlets.stories(&state, e.in_review.items).await?,
            in_review_total => e.in_review.total,
            scheduled => outlets.stories(&state, e.scheduled).await?,
        }),
        None => None,
    };
    let admin = board.admin.map(|a| {
        let audit: Vec<Entry> = a
            .audit
            .into_iter()
            .map(|e| Entry {
                url: e.entity_id.map(|id| {
                    let query = [
                        ("entity_type", e.entity_type.clone()),
                        ("entity_id", id.to_string()),
                    ];
                    let query = serde_urlencoded::to_string(query).unwrap_or_default();
                    format!("/admin/audit?{query}")
                }),
                at: when(e.created_at),
                who: e.actor_label,
                action: e.action,
                target: e.entity_type,
            })
            .collect();
        context! {
            failing => a.failing.into_iter().map(Trouble::from).collect::<Vec<_>>(),
            paused => a.paused.into_iter().map(Trouble::from).collect::<Vec<_>>(),
            sending => a.sending, audit,
        }
    });
    render(
        StatusCode::OK,
        "desk/dashboard.html",
        context! {
            title => "Dashboard", me => Me::from(&desk), drafts, in_review_mine, editor, admin,
            horizon_hours => SCHEDULE_HORIZON.num_hours(),
        },
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin").route(web::get().to(show)))
        .service(web::resource("/admin/").route(web::get().to(show)));
}
