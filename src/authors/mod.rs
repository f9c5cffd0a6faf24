//! Authors: the people and desks in bylines, with their "About the Author" bio. Editors
//! manage the authors of their outlets, admins all of them; everyone signed in reads them.

pub mod http;
pub mod service;
pub mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use service::{AuthorChanges, NewAuthor};

#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Author {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// The "About the Author" note.
    pub bio: Option<String>,
    /// The outlet the author writes for; none for freelancers and alliance-wide desks.
    pub outlet_id: Option<Uuid>,
    /// The staff account of this author, when they have one.
    pub user_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
