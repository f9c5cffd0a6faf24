//! The section tree, `/admin/sections`: the network's sections as nested lists (everyone
//! signed in reads them), and for those `sections::service::may_change` lets (admins) a form
//! that adds one (under a parent or at the top), an edit page that renames or moves one, and
//! a delete that asks first. The forms are parsed by the API's own `CreateSection` and
//! `UpdateSection`; a cycle, a taken slug or a section in use is the service's refusal.

use std::collections::{HashMap, HashSet};

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;
use uuid::Uuid;

use super::catalogue::{self, optional, optional_id, Doomed, MOST};
use super::page::{redirect, render, DeskError, Form, Me};
use super::session::Desk;
use crate::domain::Key;
use crate::error::FieldErrors;
use crate::sections::http::{CreateSection, UpdateSection};
use crate::sections::service as sections;
use crate::sections::store::ListFilter;
use crate::sections::Section;
use crate::state::AppState;

type Query = web::Query<HashMap<String, String>>;

/// A section in the tree, with its sub-sections.
#[derive(Serialize)]
struct Node {
    id: Uuid,
    name: String,
    slug: String,
    children: Vec<Node>,
}

/// A parent the form offers, indented by its depth.
#[derive(Serialize)]
struct Parent {
    id: Uuid,
    label: String,
}

/// The sections as a forest (roots by slug, each level by slug), and the same in reading
/// order as parent choices. A section whose parent is not among those read is a root.
fn tree(all: Vec<Section>) -> (Vec<Node>, Vec<Parent>) {
    let ids: HashSet<Uuid> = all.iter().map(|s| s.id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<Section>> = HashMap::new();
    for s in all {
        let parent = s.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(s);
    }
    fn grow(
        parent: Option<Uuid>,
        depth: usize,
        children: &mut HashMap<Option<Uuid>, Vec<Section>>,
        parents: &mut Vec<Parent>,
    ) -> Vec<Node> {
        let level = children.remove(&parent).unwrap_or_default();
        level
            .into_iter()
            .map(|s| {
                parents.push(Parent {
                    id: s.id,
                    label: format!("{}{}", "— ".repeat(depth), s.name),
                });
                Node {
                    children: grow(Some(s.id), depth + 1, children, parents),
                    id: s.id,
                    name: s.name,
                    slug: s.slug,
                }
            })
            .collect()
    }
    let mut parents = Vec::new();
    let roots = grow(None, 0, &mut children, &mut parents);
    (roots, parents)
}

async fn load(state: &AppState) -> Result<(Vec<Node>, Vec<Parent>), DeskError> {
    let filter = ListFilter {
        q: None,
        parent_id: None,
    };
    Ok(tree(
        sections::list(state, &filter, None, MOST).await?.items,
    ))
}

/// A section's fields as the form shows and sends them.
#[derive(Default, Serialize)]
struct Fields {
    name: String,
    slug: String,
    description: String,
    parent_id: String,
}

impl Fields {
    fn of(s: &Section) -> Fields {
        Fields {
            name: s.name.clone(),
            slug: s.slug.clone(),
            description: s.description.clone().unwrap_or_default(),
            parent_id: s.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        }
    }

    fn sent(form: &Form) -> Fields {
        let get = |name: &str| form.get(name).unwrap_or_default().to_owned();
        Fields {
            name: get("name"),
            slug: get("slug"),
            description: get("description").replace("\r\n", "\n"),
            parent_id: get("parent_id"),
        }
    }

    fn create(&self) -> Result<CreateSection, crate::error::AppError> {
        Ok(CreateSection {
            slug: optional(&self.slug),
            name: self.name.clone(),
            description: optional(&self.description),
            parent_id: optional_id("parent_id", &self.parent_id)?,
        })
    }

    /// Every field as sent; no parent makes it a top-level section.
    fn update(&self) -> Result<UpdateSection, crate::error::AppError> {
        Ok(UpdateSection {
            slug: Some(self.slug.clone()),
            name: Some(self.name.clone()),
            description: Some(optional(&self.description)),
            parent_id: Some(optional_id("parent_id", &self.parent_id)?),
        })
    }
}

async fn tree_page(
    state: &AppState,
    desk: &Desk,
    query: &Query,
    new: Fields,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let (roots, parents) = load(state).await?;
    render(
        status,
        "desk/sections.html",
        context! {
            title => "Sections", me => Me::from(desk), roots, parents, new, errors,
            may_change => sections::may_change(&desk.user).is_ok(),
            deleted => query.contains_key("deleted"), created => query.contains_key("created"),
            here => "sections",
        },
    )
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    query: Query,
) -> Result<HttpResponse, DeskError> {
    let new = Fields {
        parent_id: query.get("parent").cloned().unwrap_or_default(),
        ..Fields::default()
    };
    tree_page(
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
    query: Query,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    desk.check_csrf(&req, form.get("csrf"))?;
    sections::may_change(&desk.user).map_err(catalogue::refusal)?;
    let fields = Fields::sent(&form);
    let created = match fields.create().and_then(TryInto::try_into) {
        Ok(new) => sections::create(&state, &desk.user, new).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(_) => Ok(redirect("/admin/sections?created")),
        Err(err) => {
            let errors = catalogue::field_errors(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            tree_page(&state, &desk, &query, fields, errors, status).await
        }
    }
}

async fn edit_page(
    state: &AppState,
    desk: &Desk,
    section: &Section,
    fields: Fields,
    errors: FieldErrors,
    saved: bool,
    status: StatusCode,
) -> Result<HttpResponse, DeskError> {
    let (_, parents) = load(state).await?;
    render(
        status,
        "desk/section.html",
        context! {
            title => format!("Section: {}", section.name), me => Me::from(desk),
            id => section.id, fields, errors, saved, parents, here => "sections",
        },
    )
}

async fn open(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    query: Query,
) -> Result<HttpResponse, DeskError> {
    sections::may_change(&desk.user).map_err(catalogue::refusal)?;
    let section = sections::get(&state, &Key::Id(id.into_inner())).await?;
    let saved = query.contains_key("saved");
    let fields = Fields::of(&section);
    let status = StatusCode::OK;
    edit_page(
        &state,
        &desk,
        &section,
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
    sections::may_change(&desk.user).map_err(catalogue::refusal)?;
    let fields = Fields::sent(&form);
    let saved = match fields.update().and_then(TryInto::try_into) {
        Ok(changes) => sections::update(&state, &desk.user, &key, changes).await,
        Err(err) => Err(err),
    };
    match saved {
        Ok(section) => Ok(redirect(&format!("/admin/sections/{}?saved", section.id))),
        Err(err) => {
            let errors = catalogue::field_errors(err)?;
            let section = sections::get(&state, &key).await?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            edit_page(&state, &desk, &section, fields, errors, false, status).await
        }
    }
}

fn doomed(section: &Section) -> Doomed {
    Doomed::new(
        "section",
        &section.name,
        format!("/admin/sections/{}", section.id),
    )
}

async fn ask_delete(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, DeskError> {
    sections::may_change(&desk.user).map_err(catalogue::refusal)?;
    let section = sections::get(&state, &Key::Id(id.into_inner())).await?;
    catalogue::confirm(&desk, doomed(&section), None, StatusCode::OK)
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
    let section = sections::get(&state, &key).await?;
    let result = sections::delete(&state, &desk.user, &key).await;
    catalogue::deleted(&desk, result, doomed(&section), "/admin/sections")
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/sections")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/admin/sections/{id}")
            .route(web::get().to(open))
            .route(web::post().to(save)),
    )
    .service(
        web::resource("/admin/sections/{id}/delete")
            .route(web::get().to(ask_delete))
            .route(web::post().to(delete)),
    );
}
