//! One partner, `/admin/partners/{id}`: a sentence saying what it sees, its name,
//! entitlements (outlets, sections), webhook URL and whether it is active, changed through the
//! API's own `UpdatePartner` and `partners::service::update` (the SSRF guard's refusal of a
//! URL is said next to the field); its API keys and webhook secret (`partner_keys.rs`), and
//! the banner of paused webhooks (`partner_deliveries.rs`). A secret or key just made is shown
//! on the answer that made it, and on no other page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::form_refusal::Refusal;
use super::names::Names;
use super::page::{redirect, render, when, DeskError, Form, Me};
use super::partner_deliveries::paused;
use super::partner_refusals::{self, ids, refused};
use super::session::Desk;
use crate::domain::Cursor;
use crate::error::FieldErrors;
use crate::partners::http::UpdatePartner;
use crate::partners::{service, ApiKeyInfo, Partner};
use crate::state::AppState;

/// The keys a partner's page lists at a time, newest first.
const KEY_ROWS: i64 = 50;

/// The partner form as shown or sent, with what was wrong.
#[derive(Default, Serialize)]
pub(super) struct PartnerForm {
    pub name: String,
    pub outlets: Vec<String>,
    pub sections: Vec<String>,
    pub webhook_url: String,
    pub active: bool,
    pub errors: FieldErrors,
    pub problem: Option<String>,
}

impl PartnerForm {
    fn of(p: &Partner) -> PartnerForm {
        PartnerForm {
            name: p.name.clone(),
            outlets: p.outlet_ids.iter().map(Uuid::to_string).collect(),
            sections: p.section_ids.iter().map(Uuid::to_string).collect(),
            webhook_url: p.webhook_url.clone().unwrap_or_default(),
            active: p.active,
            ..PartnerForm::default()
        }
    }

    /// The fields as a form sent them (a checkbox not ticked is not sent).
    pub(super) fn sent(form: &Form) -> PartnerForm {
        let all = |name| form.all(name).into_iter().map(str::to_owned).collect();
        PartnerForm {
            name: form.get("name").unwrap_or_default().to_owned(),
            outlets: all("outlet_ids"),
            sections: all("section_ids"),
            webhook_url: form.get("webhook_url").unwrap_or_default().to_owned(),
            active: form.get("active").is_some(),
            ..PartnerForm::default()
        }
    }

    /// The webhook URL; none when blank.
    pub(super) fn webhook_url(&self) -> Option<String> {
        Some(self.webhook_url.trim().to_owned()).filter(|u| !u.is_empty())
    }
}

/// A secret or key just made, shown on this answer only.
#[derive(Serialize)]
pub(super) struct Once {
    /// "webhook secret", "API key".
    pub what: &'static str,
    /// The field's label: "Webhook secret", "API key".
    pub label: &'static str,
    pub value: String,
    pub note: String,
}

impl Once {
    pub(super) fn webhook_secret(value: String) -> Once {
        Once {
            what: "webhook secret",
            label: "Webhook secret",
            value,
            note: "It signs every webhook sent to this partner (HMAC-SHA256, in the \
                   X-Newsroom-Signature header): give it to the partner now."
                .into(),
        }
    }

    pub(super) fn api_key(value: String, expires_at: Option<DateTime<Utc>>) -> Once {
        let expiry = match expires_at {
            Some(at) => format!("It works until {}.", when(at)),
            None => "It works until it is revoked.".to_owned(),
        };
        Once {
            what: "API key",
            label: "API key",
            value,
            note: format!("The partner sends it as a bearer token. {expiry}"),
        }
    }
}

/// The key form as sent, with what was wrong.
#[derive(Default, Serialize)]
pub(super) struct KeyForm {
    pub expires_on: String,
    pub errors: FieldErrors,
}

/// The secret rotation's form as sent, with what was wrong.
#[derive(Serialize)]
pub(super) struct RotationForm {
    pub overlap_hours: String,
    pub errors: FieldErrors,
}

impl Default for RotationForm {
    fn default() -> Self {
        RotationForm {
            overlap_hours: "24".into(),
            errors: FieldErrors::new(),
        }
    }
}

/// What a partner's page shows besides the partner: a notice, a secret or key made just now,
/// and the forms as they were sent when refused.
#[derive(Default)]
pub(super) struct Shown {
    pub once: Option<Once>,
    pub notice: Option<&'static str>,
    /// The partner form as sent, when it was refused (else: as stored).
    pub form: Option<PartnerForm>,
    pub key_form: KeyForm,
    pub rotation: RotationForm,
    /// The keys' page: those made before this key (the list's cursor); none: the newest.
    pub keys_before: Option<Uuid>,
}

/// What the partner sees, as one sentence (`partners::entitled` is the rule it describes:
/// empty lists mean all; a section list leaves out stories without a section).
fn summary(names: &Names, p: &Partner) -> String {
    let outlets = if p.outlet_ids.is_empty() {
        "the published stories of every outlet".to_owned()
    } else {
        format!("the published stories of {}", names.byline(&p.outlet_ids))
    };
    let sections = if p.section_ids.is_empty() {
        "in every section".to_owned()
    } else {
        format!(
            "in {} only (stories without a section are left out)",
            names.byline(&p.section_ids)
        )
    };
    let webhooks = match (&p.webhook_url, p.active) {
        (_, false) => " It is inactive: its keys are refused and no webhook is sent.".to_owned(),
        (Some(url), true) => format!(" Webhooks for them go to {url}."),
        (None, true) => " No webhook URL is set: it gets no webhooks.".to_owned(),
    };
    format!("{} may fetch {outlets}, {sections}.{webhooks}", p.name)
}

#[derive(Serialize)]
struct KeyRow {
    id: Uuid,
    prefix: String,
    created: String,
    expires: String,
    last_used: String,
    /// "Active", "Expired" or "Revoked …".
    state: String,
    revoked: bool,
}

impl KeyRow {
    fn of(k: ApiKeyInfo, now: DateTime<Utc>) -> KeyRow {
        let state = match (k.revoked_at, k.expires_at) {
            (Some(at), _) => format!("Revoked {}", when(at)),
            (None, Some(at)) if at <= now => "Expired".to_owned(),
            _ => "Active".to_owned(),
        };
        KeyRow {
            id: k.id,
            created: when(k.created_at),
            expires: k.expires_at.map(when).unwrap_or_else(|| "Never".into()),
            last_used: k.last_used_at.map(when).unwrap_or_else(|| "Never".into()),
            revoked: k.revoked_at.is_some(),
            prefix: k.prefix,
            state,
        }
    }
}

/// The partner's page.
pub(super) async fn page(
    state: &AppState,
    desk: &Desk,
    partner: &Partner,
    shown: Shown,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let names = Names::load(state).await?;
    let keys = service::keys(state, &desk.user, partner.id, shown.keys_before, KEY_ROWS)
        .await
        .map_err(refused)?;
    let now = state.clock.now();
    let older_keys = keys
        .next
        .map(|cursor| format!("/admin/partners/{}?keys={cursor}#keys", partner.id));
    let newest_keys = shown.keys_before.is_some();
    let keys: Vec<KeyRow> = keys.items.into_iter().map(|k| KeyRow::of(k, now)).collect();
    let paused = paused(state, desk, partner).await?;
    let form = shown.form.unwrap_or_else(|| PartnerForm::of(partner));
    render(
        status,
        "desk/partner.html",
        context! {
            title => partner.name.clone(), me => Me::from(desk), id => partner.id,
            summary => summary(&names, partner), active => partner.active,
            webhook_url => partner.webhook_url.clone(),
            created => when(partner.created_at), updated => when(partner.updated_at),
            outlets => names.outlets, sections => names.sections, form, keys, older_keys,
            newest_keys,
            paused, once => shown.once, notice => shown.notice, key_form => shown.key_form,
            rotation => shown.rotation,
        },
    )
}

/// What the page says after a change (`?saved`, `?revoked`, …).
#[derive(Deserialize)]
struct Done {
    saved: Option<String>,
    revoked: Option<String>,
    /// The keys' cursor.
    keys: Option<String>,
}

impl Done {
    fn notice(&self) -> Option<&'static str> {
        [
            (&self.saved, "Saved."),
            (&self.revoked, "The key was revoked: it no longer works."),
        ]
        .into_iter()
        .find(|(flag, _)| flag.is_some())
        .map(|(_, said)| said)
    }
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    done: web::Query<Done>,
) -> Result<HttpResponse, DeskError> {
    let partner = service::get(&state, &desk.user, id.into_inner())
        .await
        .map_err(refused)?;
    let shown = Shown {
        notice: done.notice(),
        keys_before: Cursor::decode(done.keys.as_deref())?,
        ..Shown::default()
    };
    page(&state, &desk, &partner, shown, StatusCode::OK).await
}

/// Saves name, entitlements, webhook URL and the active flag (the form sends them all; a
/// blank URL removes the webhook).
async fn save(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    // Read first: a forged save by one who may not see partners is a 403, not a form message.
    let partner = partner_refusals::partner(&state, &desk, id).await?;
    let sent = PartnerForm::sent(&form);
    let changes = ids("outlet_ids", &sent.outlets).and_then(|outlet_ids| {
        UpdatePartner {
            name: Some(sent.name.clone()),
            outlet_ids: Some(outlet_ids),
            section_ids: Some(ids("section_ids", &sent.sections)?),
            webhook_url: Some(sent.webhook_url()),
            active: Some(sent.active),
        }
        .try_into()
    });
    let saved = match changes {
        Ok(changes) => service::update(&state, &desk.user, id, changes).await,
        Err(err) => Err(err),
    };
    match saved {
        Ok(_) => Ok(redirect(&format!("/admin/partners/{id}?saved"))),
        Err(err) => {
            let refusal = Refusal::of(err, refused)?;
            let form = PartnerForm {
                errors: refusal.errors,
                problem: refusal.problem,
                ..sent
            };
            let shown = Shown {
                form: Some(form),
                ..Shown::default()
            };
            page(&state, &desk, &partner, shown, refusal.status).await
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/partners/{id}")
            .route(web::get().to(show))
            .route(web::post().to(save)),
    );
}
