//! The outlets, `/admin/outlets`: the list (everyone signed in reads it), and for those
//! `outlets::service::may_change` lets (admins) a form that creates one, an edit page and a
//! delete that asks first. The forms are parsed by the API's own `CreateOutlet` and
//! `UpdateOutlet`; every refusal is the service's.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::catalogue::{self, optional, optional_id, Doomed, MOST};
use super::page::{redirect, render, DeskError, Form, Me};
use super::session::Desk;
use crate::domain::Key;
use crate::error::{AppError, FieldErrors};
use crate::outlets::http::{CreateOutlet, UpdateOutlet};
use crate::outlets::service as outlets;
use crate::outlets::store::ListFilter;
use crate::outlets::Outlet;
use crate::state::AppState;

/// An outlet's fields as the form shows and sends them.
#[derive(Default, Serialize)]
struct Fields {
    name: String,
    slug: String,
    country: String,
    language: String,
    timezone: String,
    website: String,
    description: String,
    /// `#rrggbb`, blank for none.
    colour: String,
    /// The id of a picture of the outlet's library, blank for none (edit page only).
    logo_id: String,
}

impl Fields {
    fn of(o: &Outlet) -> Fields {
        Fields {
            name: o.name.clone(),
            slug: o.slug.clone(),
            country: o.country.clone(),
            language: o.language.clone(),
            timezone: o.timezone.clone(),
            website: o.website.clone().unwrap_or_default(),
            description: o.description.clone().unwrap_or_default(),
            colour: o.colour.clone().unwrap_or_default(),
            logo_id: o.logo_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    fn sent(form: &Form) -> Fields {
        let get = |name: &str| form.get(name).unwrap_or_default().to_owned();
        Fields {
            name: get("name"),
            slug: get("slug"),
            country: get("country"),
            language: get("language"),
            timezone: get("timezone"),
            website: get("website"),
            description: get("description").replace("\r\n", "\n"),
            colour: get("colour"),
            logo_id: get("logo_id"),
        }
    }

    /// A new outlet: a blank slug is made from the name, a blank time zone is UTC.
    fn create(&self) -> CreateOutlet {
        CreateOutlet {
            slug: optional(&self.slug),
            name: self.name.clone(),
            country: self.country.clone(),
            language: self.language.clone(),
            website: optional(&self.website),
            description: optional(&self.description),
            timezone: optional(&self.timezone),
            colour: optional(&self.colour),
            logo_id: None,
        }
    }

    /// Every field as sent; a blank website, description, colour or logo clears it.
    fn update(&self) -> Result<UpdateOutlet, AppError> {
        Ok(UpdateOutlet {
            slug: Some(self.slug.clone()),
            name: Some(self.name.clone()),
            country: Some(self.country.clone()),
            language: Some(self.language.clone()),
            website: Some(optional(&self.website)),
            description: Some(optional(&self.description)),
            timezone: Some(self.timezone.clone()),
            colour: Some(optional(&self.colour)),
            logo_id: Some(optional_id("logo_id", &self.logo_id)?),
        })
    }
}

async fn list_page(
    state: &AppState,
    desk: &Desk,
    query: &web::Query<std::collections::HashMap<String, String>>,
    new: Fields,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let filter = ListFilter {
        q: None,
        country: None,
        language: None,
    };
    let outlets = outlets::list(state, &filter, None, MOST).await?.items;
    render(
        status,
        "desk/outlets.html",
        context! {
            title => "Outlets", me => Me::from(desk), outlets, new, errors,
            may_change => outlets::may_change(&desk.user).is_ok(),
            deleted => query.contains_key("deleted"), here => "outlets",
        },
    )
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, DeskError> {
    let new = Fields {
        timezone: "UTC".into(),
        ..Fields::default()
    };
    list_page(
        &state,
        &desk,
        &query,
        new,
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    query: web::Query<std::collections::HashMap<String, String>>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    outlets::may_change(&desk.user).map_err(catalogue::refusal)?;
    let fields = Fields::sent(&form);
    let created = match fields.create().try_into() {
        Ok(new) => outlets::create(&state, &desk.user, new).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(outlet) => Ok(redirect(&format!("/admin/outlets/{}?saved", outlet.id))),
        Err(err) => {
            let errors = catalogue::field_errors(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            list_page(&state, &desk, &query, fields, errors, status).await
        }
    }
}

async fn edit_page(
    desk: &Desk,
    outlet: &Outlet,
    fields: Fields,
    errors: FieldErrors,
    saved: bool,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    render(
        status,
        "desk/outlet.html",
        context! {
            title => format!("Outlet: {}", outlet.name), me => Me::from(desk),
            id => outlet.id, fields, errors, saved, here => "outlets",
        },
    )
}

async fn open(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, DeskError> {
    outlets::may_change(&desk.user).map_err(catalogue::refusal)?;
    let outlet = outlets::get(&state, &Key::Id(id.into_inner())).await?;
    let saved = query.contains_key("saved");
    let fields = Fields::of(&outlet);
    edit_page(
        &desk,
        &outlet,
        fields,
        FieldErrors::new(),
        saved,
        StatusCode::OK,
    )
    .await
}

async fn save(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let key = Key::Id(id.into_inner());
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    outlets::may_change(&desk.user).map_err(catalogue::refusal)?;
    let fields = Fields::sent(&form);
    let saved = match fields.update().and_then(TryInto::try_into) {
        Ok(changes) => outlets::update(&state, &desk.user, &key, changes).await,
        Err(err) => Err(err),
    };
    match saved {
        Ok(outlet) => Ok(redirect(&format!("/admin/outlets/{}?saved", outlet.id))),
        Err(err) => {
            let errors = catalogue::field_errors(err)?;
            let outlet = outlets::get(&state, &key).await?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            edit_page(&desk, &outlet, fields, errors, false, status).await
        }
    }
}

fn doomed(outlet: &Outlet) -> Doomed {
    Doomed::new(
        "outlet",
        &outlet.name,
        format!("/admin/outlets/{}", outlet.id),
    )
}

async fn ask_delete(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    outlets::may_change(&desk.user).map_err(catalogue::refusal)?;
    let outlet = outlets::get(&state, &Key::Id(id.into_inner())).await?;
    catalogue::confirm(&desk, doomed(&outlet), None, StatusCode::OK)
}

async fn delete(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let key = Key::Id(id.into_inner());
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    let outlet = outlets::get(&state, &key).await?;
    let result = outlets::delete(&state, &desk.user, &key).await;
    catalogue::deleted(&desk, result, doomed(&outlet), "/admin/outlets")
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/outlets")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/admin/outlets/{id}")
            .route(web::get().to(open))
            .route(web::post().to(save)),
    )
    .service(
        web::resource("/admin/outlets/{id}/delete")
            .route(web::get().to(ask_delete))
            .route(web::post().to(delete)),
    );
}
