//! Uploading the featured picture from the story editor: `POST /admin/stories/{id}/picture`,
//! a `multipart/form-data` form (a file, its alt text, caption and credit, the CSRF token)
//! that works without JavaScript. The file goes through media's upload rules into the
//! story's outlet, then becomes the story's featured picture through `articles::update` (the
//! same checks as any save). A refused file comes back as the editor with the message next to
//! the file field and the upload's status (413, 415, 422); nothing is stored.

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use uuid::Uuid;

use super::editor::{page, Notice};
use super::fields::Fields;
use super::page::{redirect, DeskError};
use super::session::Desk;
use super::zone::Zone;
use crate::articles::{self, ArticleChanges, ArticleView};
use crate::error::{AppError, FieldErrors};
use crate::media::form_upload;
use crate::state::AppState;

/// The form's fields, named as the editor page names them (`picture_` before the upload's).
const PREFIX: &str = "picture_";

async fn upload(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    id: web::Path<Uuid>,
    form: Multipart,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let view = articles::get(&state, &desk.user, id).await?;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let sent = match form_upload::receive(&state, declared, form, &["csrf"]).await {
        Ok(sent) => sent,
        Err(err) => return refused(&state, &desk, &view, err).await,
    };
    desk.check_csrf(&req, sent.get("csrf"))?;
    let outlet = view.article.outlet_id;
    let picture = match form_upload::upload_to(&state, &desk.user, sent, outlet).await {
        Ok(picture) => picture,
        Err(err) => return refused(&state, &desk, &view, err).await,
    };
    // Only the featured picture changes, on the version just read: nobody's edit is lost.
    let changes = ArticleChanges {
        featured_media_id: Some(Some(picture.picture.id)),
        ..ArticleChanges::default()
    };
    let now = state.clock.now();
    let version = view.article.version;
    let saved = crate::db::transaction(&state.db, async |tx| {
        articles::update(tx, &desk.user, id, version, changes, now).await
    })
    .await;
    match saved {
        Ok(_) => Ok(redirect(&format!(
            "/admin/stories/{id}?done=featured+picture+uploaded"
        ))),
        Err(err) => {
            let view = articles::get(&state, &desk.user, id).await?;
            let detail = match err {
                AppError::Validation(errors) => errors
                    .into_values()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; "),
                AppError::PreconditionFailed => {
                    "the story changed meanwhile; pick the picture under Featured picture".into()
                }
                err => return Err(err.into()),
            };
            let message = format!(
                "The picture is in the library, but it is not the featured picture: {detail}."
            );
            let notice = Notice {
                problem: Some(message),
                ..Notice::default()
            };
            let fields = stored_fields(&state, &view).await?;
            page(
                &state,
                &desk,
                &view,
                fields,
                FieldErrors::new(),
                notice,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The editor with the refusal next to the upload's field, at the refusal's status.
async fn refused(
    state: &AppState,
    desk: &Desk,
    view: &ArticleView,
    err: AppError,
) -> Result<HttpResponse, DeskError> {
    let status = err.status_code();
    let errors: FieldErrors = match err {
        AppError::Validation(errors) => errors
            .into_iter()
            .map(|(field, messages)| (format!("{PREFIX}{field}"), messages))
            .collect(),
        AppError::TooLarge(why) | AppError::UnsupportedContent(why) | AppError::BadRequest(why) => {
            FieldErrors::from([(format!("{PREFIX}file"), vec![why])])
        }
        err => return Err(err.into()),
    };
    let fields = stored_fields(state, view).await?;
    page(state, desk, view, fields, errors, Notice::default(), status).await
}

async fn stored_fields(state: &AppState, view: &ArticleView) -> Result<Fields, DeskError> {
    let zone = Zone::of_outlet(state, view.article.outlet_id).await?;
    let embargo = zone
        .input(state, view.article.content.embargo_until)
        .await?;
    Ok(Fields::of(&view.article, embargo))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/stories/{id}/picture").route(web::post().to(upload)));
}
