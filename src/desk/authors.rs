//! The authors, `/admin/authors`: the bylines' people and desks with their "About the
//! Author" bio, searched by name (everyone signed in reads them). Who may create, edit or
//! delete which author is `authors::service`'s rule (admins any; editors those of their
//! outlets): the list links, the outlet choices and every refusal come from it. The forms are
//! parsed by the API's own `CreateAuthor` and `UpdateAuthor`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::catalogue::{self, optional, optional_id, Doomed, MOST};
use super::page::{redirect, render, DeskError, Form, Me};
use super::session::Desk;
use crate::authors::http::{CreateAuthor, UpdateAuthor};
use crate::authors::service as authors;
use crate::authors::store::ListFilter;
use crate::authors::Author;
use crate::domain::Key;
use crate::error::{AppError, FieldErrors};
use crate::outlets;
use crate::state::AppState;

type Query = web::Query<HashMap<String, String>>;

/// Rows per page.
const PAGE_ROWS: i64 = 100;

#[derive(Serialize)]
struct Row {
    id: Uuid,
    name: String,
    slug: String,
    outlet: String,
    editable: bool,
}

/// An outlet the author form offers.
#[derive(Serialize)]
struct Choice {
    id: Uuid,
    name: String,
}

/// The outlets by id, and those an author of which `desk`'s user may manage; `alliance` when
/// they may manage authors of no outlet.
struct Outlets {
    names: HashMap<Uuid, String>,
    choices: Vec<Choice>,
    alliance: bool,
}

impl Outlets {
    async fn load(state: &AppState, desk: &Desk) -> Result<Outlets, DeskError> {
        let filter = outlets::store::ListFilter {
            q: None,
            country: None,
            language: None,
        };
        let all = outlets::service::list(state, &filter, None, MOST)
            .await?
            .items;
        let choices = all
            .iter()
            .filter(|o| authors::may_manage(&desk.user, Some(o.id)))
            .map(|o| Choice {
                id: o.id,
                name: o.name.clone(),
            })
            .collect();
        Ok(Outlets {
            names: all.into_iter().map(|o| (o.id, o.name)).collect(),
            choices,
            alliance: authors::may_manage(&desk.user, None),
        })
    }

    fn name(&self, id: Option<Uuid>) -> String {
        match id {
            None => "Alliance-wide".into(),
            Some(id) => self.names.get(&id).cloned().unwrap_or_else(|| "—".into()),
        }
    }
}

/// An author's fields as the form shows and sends them.
#[derive(Default, Serialize)]
struct Fields {
    name: String,
    slug: String,
    outlet_id: String,
    bio: String,
}

impl Fields {
    fn of(a: &Author) -> Fields {
        Fields {
            name: a.name.clone(),
            slug: a.slug.clone(),
            outlet_id: a.outlet_id.map(|o| o.to_string()).unwrap_or_default(),
            bio: a.bio.clone().unwrap_or_default(),
        }
    }

    fn sent(form: &Form) -> Fields {
        let get = |name: &str| form.get(name).unwrap_or_default().to_owned();
        Fields {
            name: get("name"),
            slug: get("slug"),
            outlet_id: get("outlet_id"),
            bio: get("bio").replace("\r\n", "\n"),
        }
    }

    fn create(&self) -> Result<CreateAuthor, AppError> {
        Ok(CreateAuthor {
            slug: optional(&self.slug),
            name: self.name.clone(),
            bio: optional(&self.bio),
            outlet_id: optional_id("outlet_id", &self.outlet_id)?,
            user_id: None,
        })
    }

    /// Every field as sent (a blank bio clears it); the linked staff account is kept.
    fn update(&self) -> Result<UpdateAuthor, AppError> {
        Ok(UpdateAuthor {
            slug: Some(self.slug.clone()),
            name: Some(self.name.clone()),
            bio: Some(optional(&self.bio)),
            outlet_id: Some(optional_id("outlet_id", &self.outlet_id)?),
            user_id: None,
        })
    }
}

async fn list_page(
    state: &AppState,
    desk: &Desk,
    query: &Query,
    new: Fields,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let q = query
        .get("q")
        .map(|q| q.trim().to_owned())
        .unwrap_or_default();
    let filter = ListFilter {
        q: Some(q.clone()).filter(|q| !q.is_empty()),
        outlet_id: None,
    };
    let after = crate::domain::Cursor::decode::<String>(query.get("cursor").map(String::as_str))?;
    let found = authors::list(state, &filter, after, PAGE_ROWS).await?;
    let outlets = Outlets::load(state, desk).await?;
    let rows: Vec<Row> = found
        .items
        .into_iter()
        .map(|a| Row {
            editable: authors::may_change(&desk.user, a.outlet_id).is_ok(),
            outlet: outlets.name(a.outlet_id),
            id: a.id,
            name: a.name,
            slug: a.slug,
        })
        .collect();
    let next_url = found.next.map(|cursor| {
        let query = serde_urlencoded::to_string([("q", &q), ("cursor", &cursor)]);
        format!("/admin/authors?{}", query.unwrap_or_default())
    });
    render(
        status,
        "desk/authors.html",
        context! {
            title => "Authors", me => Me::from(desk), rows, next_url, q, new, errors,
            choices => outlets.choices, alliance => outlets.alliance,
            may_create => authors::may_manage_some(&desk.user).is_ok(),
            deleted => query.contains_key("deleted"), here => "authors",
        },
    )
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    query: Query,
) -> Result<HttpResponse, DeskError> {
    let status = StatusCode::OK;
    list_page(
        &state,
        &desk,
        &query,
        Fields::default(),
        FieldErrors::new(),
        status,
    )
    .await
}

async fn create(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    query: Query,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    authors::may_manage_some(&desk.user).map_err(catalogue::refusal)?;
    let fields = Fields::sent(&form);
    let created = match fields.create().and_then(TryInto::try_into) {
        Ok(new) => authors::create(&state, &desk.user, new).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(author) => Ok(redirect(&format!("/admin/authors/{}?saved", author.id))),
        Err(err) => {
            let errors = catalogue::field_errors(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            list_page(&state, &desk, &query, fields, errors, status).await
        }
    }
}

async fn edit_page(
    state: &AppState,
    desk: &Desk,
    author: &Author,
    fields: Fields,
    errors: FieldErrors,
    saved: bool,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let outlets = Outlets::load(state, desk).await?;
    render(
        status,
        "desk/author.html",
        context! {
            title => format!("Author: {}", author.name), me => Me::from(desk),
            id => author.id, fields, errors, saved, here => "authors",
            choices => outlets.choices, alliance => outlets.alliance,
        },
    )
}

async fn open(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    query: Query,
) -> Result<HttpResponse, DeskError> {
    let author = authors::get(&state, &Key::Id(id.into_inner())).await?;
    authors::may_change(&desk.user, author.outlet_id).map_err(catalogue::refusal)?;
    let saved = query.contains_key("saved");
    let fields = Fields::of(&author);
    let status = StatusCode::OK;
    edit_page(
        &state,
        &desk,
        &author,
        fields,
        FieldErrors::new(),
        saved,
        status,
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
    let author = authors::get(&state, &key).await?;
    authors::may_change(&desk.user, author.outlet_id).map_err(catalogue::refusal)?;
    let fields = Fields::sent(&form);
    let saved = match fields.update().and_then(TryInto::try_into) {
        Ok(changes) => authors::update(&state, &desk.user, &key, changes).await,
        Err(err) => Err(err),
    };
    match saved {
        Ok(author) => Ok(redirect(&format!("/admin/authors/{}?saved", author.id))),
        Err(err) => {
            let errors = catalogue::field_errors(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            edit_page(&state, &desk, &author, fields, errors, false, status).await
        }
    }
}

fn doomed(author: &Author) -> Doomed {
    Doomed::new(
        "author",
        &author.name,
        format!("/admin/authors/{}", author.id),
    )
}

async fn ask_delete(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    let author = authors::get(&state, &Key::Id(id.into_inner())).await?;
    authors::may_change(&desk.user, author.outlet_id).map_err(catalogue::refusal)?;
    catalogue::confirm(&desk, doomed(&author), None, StatusCode::OK)
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
    let author = authors::get(&state, &key).await?;
    let result = authors::delete(&state, &desk.user, &key).await;
    catalogue::deleted(&desk, result, doomed(&author), "/admin/authors")
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/authors")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/admin/authors/{id}")
            .route(web::get().to(open))
            .route(web::post().to(save)),
    )
    .service(
        web::resource("/admin/authors/{id}/delete")
            .route(web::get().to(ask_delete))
            .route(web::post().to(delete)),
    );
}
