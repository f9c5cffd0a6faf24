//! One staff account, `/admin/staff/{id}`: its name, role and outlets, changed through the
//! API's own `UpdateUser` and `users::service::update`; deactivating it (a confirm page, then
//! the service ends its sessions) and reactivating it. The service refuses what may not be
//! done (not an admin; demoting or deactivating oneself) and the page says so.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::names::Names;
use super::page::{redirect, render, when, DeskError, Form, Me};
use super::session::Desk;
use super::staff::{outlet_ids, refused, role, Refusal};
use crate::domain::Role;
use crate::error::FieldErrors;
use crate::state::AppState;
use crate::users::http::UpdateUser;
use crate::users::{service, User};

/// The account form as shown or sent, with what was wrong.
#[derive(Default, Serialize)]
struct Account {
    display_name: String,
    role: String,
    outlets: Vec<String>,
    errors: FieldErrors,
    problem: Option<String>,
}

impl Account {
    fn of(user: &User) -> Account {
        Account {
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            outlets: user.outlet_ids.iter().map(Uuid::to_string).collect(),
            ..Account::default()
        }
    }
}

/// What the page says after a change (`?saved`, `?created`, …).
#[derive(Deserialize)]
struct Done {
    saved: Option<String>,
    created: Option<String>,
    deactivated: Option<String>,
    reactivated: Option<String>,
}

impl Done {
    fn notice(&self) -> Option<&'static str> {
        [
            (&self.created, "The account was created."),
            (&self.saved, "Saved."),
            (
                &self.deactivated,
                "Deactivated: the account can no longer sign in.",
            ),
            (
                &self.reactivated,
                "Reactivated: the account can sign in again.",
            ),
        ]
        .into_iter()
        .find(|(flag, _)| flag.is_some())
        .map(|(_, said)| said)
    }
}

async fn page(
    state: &AppState,
    desk: &Desk,
    user: &User,
    account: Account,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let names = Names::load(state).await?;
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    render(
        status,
        "desk/staff_account.html",
        context! {
            title => user.display_name.clone(), me => Me::from(desk), id => user.id,
            email => user.email.clone(), active => user.active,
            outlet_names => names.byline(&user.outlet_ids),
            created => when(user.created_at), updated => when(user.updated_at),
            editable => service::may_manage(&desk.user), account, roles,
            outlets => names.outlets, notice,
        },
    )
}

async fn show(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    done: web::Query<Done>,
) -> Result<HttpResponse, DeskError> {
    let user = service::get(&state, &desk.user, id.into_inner())
        .await
        .map_err(refused)?;
    let account = Account::of(&user);
    page(&state, &desk, &user, account, done.notice(), StatusCode::OK).await
}

/// Saves name, role and outlets (the form always sends the whole set of outlets).
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
    let sent = Account {
        display_name: form.get("display_name").unwrap_or_default().to_owned(),
        role: form.get("role").unwrap_or_default().to_owned(),
        outlets: form
            .all("outlet_ids")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        ..Account::default()
    };
    let changes = role(&sent.role).and_then(|role| {
        UpdateUser {
            display_name: Some(sent.display_name.clone()),
            role: Some(role),
            outlet_ids: Some(outlet_ids(&sent.outlets)?),
            active: None,
        }
        .try_into()
    });
    // Read first: a forged save of an account one may not see is a 403, not a form message.
    let user = service::get(&state, &desk.user, id)
        .await
        .map_err(refused)?;
    let saved = match changes {
        Ok(changes) => service::update(&state, &desk.user, id, changes).await,
        Err(err) if service::may_manage(&desk.user) => Err(err),
        Err(_) => Err(crate::error::AppError::Forbidden),
    };
    match saved {
        Ok(_) => Ok(redirect(&format!("/admin/staff/{id}?saved"))),
        Err(err) => {
            let refusal = Refusal::of(err)?;
            let account = Account {
                errors: refusal.errors,
                problem: refusal.problem,
                ..sent
            };
            page(&state, &desk, &user, account, None, refusal.status).await
        }
    }
}

/// The confirm step before deactivating: what will happen, and the form that does it.
async fn confirm(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    let user = service::get(&state, &desk.user, id.into_inner())
        .await
        .map_err(refused)?;
    render(
        StatusCode::OK,
        "desk/staff_deactivate.html",
        context! {
            title => format!("Deactivate {}", user.display_name), me => Me::from(&desk),
            id => user.id, name => user.display_name, email => user.email,
            active => user.active, may => service::may_manage(&desk.user),
        },
    )
}

/// Sets the account's active flag; deactivation ends its sessions (the service does).
async fn set_active(
    state: &AppState,
    desk: &Desk,
    req: &HttpRequest,
    id: Uuid,
    body: &[u8],
    active: bool,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(body);
    desk.check_csrf(req, form.get("csrf"))?;
    let changes = service::UserChanges {
        active: Some(active),
        ..Default::default()
    };
    service::update(state, &desk.user, id, changes)
        .await
        .map_err(refused)?;
    let done = if active { "reactivated" } else { "deactivated" };
    Ok(redirect(&format!("/admin/staff/{id}?{done}")))
}

async fn deactivate(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    set_active(&state, &desk, &req, id.into_inner(), &body, false).await
}

async fn reactivate(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    set_active(&state, &desk, &req, id.into_inner(), &body, true).await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/staff/{id}")
            .route(web::get().to(show))
            .route(web::post().to(save)),
    )
    .service(
        web::resource("/admin/staff/{id}/deactivate")
            .route(web::get().to(confirm))
            .route(web::post().to(deactivate)),
    )
    .service(web::resource("/admin/staff/{id}/reactivate").route(web::post().to(reactivate)));
}
