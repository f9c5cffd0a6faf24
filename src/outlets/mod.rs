//! Outlets: the member newspapers of the alliance. Admins manage them; everyone signed in
//! reads them.

pub mod http;
pub mod look;
pub mod service;
pub mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use service::{NewOutlet, OutletChanges};

#[derive(Clone, Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Outlet {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// BCP 47 tag of the outlet's main language.
    pub language: String,
    pub website: Option<String>,
    pub description: Option<String>,
    /// The IANA time zone the outlet works in (`Asia/Karachi`); `UTC` unless set. The desk
    /// shows and takes schedule and embargo times in it.
    pub timezone: String,
    /// The outlet's colour on the reader site, `#rrggbb`.
    pub colour: Option<String>,
    /// The outlet's logo: a picture of its own library.
    pub logo_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
