//! The rules of outlets: admins create, change and delete them; an outlet that anything
//! refers to (members, authors, articles) cannot be deleted.

use uuid::Uuid;

use super::look::Colour;
use super::store::{self, ListFilter};
use super::Outlet;
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::{CountryCode, Key, LanguageTag, Page, Role, Slug, WebUrl};
use crate::error::{AppError, Result};
use crate::state::AppState;

pub struct NewOutlet {
    pub slug: Slug,
    pub name: String,
    pub country: CountryCode,
    pub language: LanguageTag,
    pub website: Option<WebUrl>,
    pub description: Option<String>,
    /// `UTC` when absent.
    pub timezone: Option<String>,
    pub colour: Option<Colour>,
    /// A picture of this outlet's library.
    pub logo_id: Option<Uuid>,
}

#[derive(Default)]
pub struct OutletChanges {
    pub slug: Option<Slug>,
    pub name: Option<String>,
    pub country: Option<CountryCode>,
    pub language: Option<LanguageTag>,
    pub website: Option<Option<WebUrl>>,
    pub description: Option<Option<String>>,
    pub timezone: Option<String>,
    pub colour: Option<Option<Colour>>,
    pub logo_id: Option<Option<Uuid>>,
}

/// Ok when `by` may create, change and delete outlets (admins), else the refusal.
pub fn may_change(by: &CurrentUser) -> Result<()> {
    by.require(Role::Admin)
}

pub async fn list(
    state: &AppState,
    filter: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> Result<Page<Outlet>> {
    let rows = store::list(&state.db, filter, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |o| o.slug.clone()))
}

pub async fn get(state: &AppState, key: &Key) -> Result<Outlet> {
    store::get(&state.db, key).await?.ok_or(AppError::NotFound)
}

pub async fn create(state: &AppState, by: &CurrentUser, new: NewOutlet) -> Result<Outlet> {
    may_change(by)?;
    let now = state.clock.now();
    let outlet = Outlet {
        id: Uuid::now_v7(),
        slug: new.slug.to_string(),
        name: new.name,
        country: new.country.as_str().to_owned(),
        language: new.language.to_string(),
        website: new.website.map(|w| w.as_str().to_owned()),
        description: new.description,
        created_at: now,
        updated_at: now,
        timezone: new.timezone.unwrap_or_else(|| "UTC".into()),
        colour: new.colour.map(|c| c.as_str().to_owned()),
        logo_id: new.logo_id,
    };
    let mut tx = state.db.begin().await?;
    check_timezone(&mut *tx, &outlet.timezone).await?;
    check_logo(&mut *tx, outlet.id, outlet.logo_id).await?;
    let saved = store::save(&mut *tx, &outlet).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "outlet.create",
        saved.id,
        None,
        Some(&saved),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn update(
    state: &AppState,
    by: &CurrentUser,
    key: &Key,
    changes: OutletChanges,
) -> Result<Outlet> {
    may_change(by)?;
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut after = before.clone();
    if let Some(slug) = changes.slug {
        after.slug = slug.to_string();
    }
    if let Some(name) = changes.name {
        after.name = name;
    }
    if let Some(country) = changes.country {
        after.country = country.as_str().to_owned();
    }
    if let Some(language) = changes.language {
        after.language = language.to_string();
    }
    if let Some(website) = changes.website {
        after.website = website.map(|w| w.as_str().to_owned());
    }
    if let Some(description) = changes.description {
        after.description = description;
    }
    if let Some(timezone) = changes.timezone {
        check_timezone(&mut *tx, &timezone).await?;
        after.timezone = timezone;
    }
    if let Some(colour) = changes.colour {
        after.colour = colour.map(|c| c.as_str().to_owned());
    }
    if let Some(logo) = changes.logo_id {
        check_logo(&mut *tx, after.id, logo).await?;
        after.logo_id = logo;
    }
    after.updated_at = state.clock.now();
    let saved = store::save(&mut *tx, &after).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "outlet.update",
        saved.id,
        Some(&before),
        Some(&saved),
        after.updated_at,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// 422 on `timezone` unless PostgreSQL knows the name.
async fn check_timezone(db: impl sqlx::PgExecutor<'_>, name: &str) -> Result<()> {
    if store::known_timezone(db, name).await? {
        Ok(())
    } else {
        Err(AppError::field(
            "timezone",
            "must be an IANA time zone name, e.g. Asia/Karachi or UTC",
        ))
    }
}

/// 422 on `logo_id` unless it names a picture of the outlet's own library (a new outlet has
/// none yet: its logo is chosen once a picture is uploaded to it).
async fn check_logo(db: impl sqlx::PgExecutor<'_>, outlet: Uuid, logo: Option<Uuid>) -> Result<()> {
    let Some(logo) = logo else {
        return Ok(());
    };
    let pictures = crate::media::service::resolve(db, &[logo]).await?;
    if pictures.iter().any(|p| p.outlet_id == outlet) {
        Ok(())
    } else {
        Err(AppError::field(
            "logo_id",
            "must be a picture of this outlet's library",
        ))
    }
}

pub async fn delete(state: &AppState, by: &CurrentUser, key: &Key) -> Result<()> {
    may_change(by)?;
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    store::delete(&mut *tx, before.id)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict { .. } => AppError::conflict(
                "the outlet is in use (members, authors or articles refer to it)",
            ),
            other => other,
        })?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "outlet.delete",
        before.id,
        Some(&before),
        None,
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
