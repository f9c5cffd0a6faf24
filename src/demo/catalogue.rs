//! The demo alliance's catalogue: outlets, sections and authors (also the catalogue of
//! `newsroom seed`), written through the stores with `cli` audit entries.

use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::authors::{self, Author};
use crate::outlets::{self, Outlet};
use crate::sections::{self, Section};
use crate::state::AppState;

/// The time zone of each demo outlet's country.
fn timezone_of(country: &str) -> &'static str {
    match country {
        "CN" => "Asia/Shanghai",
        "SG" => "Asia/Singapore",
        "BD" => "Asia/Dhaka",
        "MY" => "Asia/Kuala_Lumpur",
        "PK" => "Asia/Karachi",
        _ => "UTC",
    }
}

/// (slug, name, country, website, description)
/// Each demo outlet's colour on the reader site (the text on it is computed).
const COLOURS: &[(&str, &str)] = &[
    ("china-daily", "#9b1b30"),
    ("the-straits-times", "#1a4f8b"),
    ("the-daily-star", "#0f6b4f"),
    ("the-star", "#ffd500"),
    ("dawn", "#2b2d42"),
];

pub(crate) const OUTLETS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "china-daily",
        "China Daily",
        "CN",
        "https://www.chinadaily.com.cn",
        "China's national English-language newspaper.",
    ),
    (
        "the-straits-times",
        "The Straits Times",
        "SG",
        "https://www.straitstimes.com",
        "Singapore's English-language daily since 1845.",
    ),
    (
        "the-daily-star",
        "The Daily Star",
        "BD",
        "https://www.thedailystar.net",
        "Bangladesh's leading English-language daily.",
    ),
    (
        "the-star",
        "The Star",
        "MY",
        "https://www.thestar.com.my",
        "Malaysian English-language newspaper.",
    ),
    (
        "dawn",
        "Dawn",
        "PK",
        "https://www.dawn.com",
        "Pakistan's oldest English-language newspaper.",
    ),
];

/// (slug, name, parent slug)
pub(crate) const SECTIONS: &[(&str, &str, Option<&str>)] = &[
    ("diplomacy", "Diplomacy", None),
    ("economics", "Economics", None),
    ("trade", "Trade", Some("economics")),
    ("politics", "Politics", None),
    ("climate", "Climate", None),
    ("technology", "Technology", None),
    ("culture", "Culture", None),
    ("opinion", "Opinion", None),
];

/// (slug, name, outlet slug, bio)
pub(crate) const AUTHORS: &[(&str, &str, &str, &str)] = &[
    (
        "china-daily",
        "China Daily",
        "china-daily",
        "China Daily is a member of the Asia News Network, an alliance of Asian newspapers.",
    ),
    (
        "mei-lin",
        "Mei Lin",
        "china-daily",
        "Mei Lin covers regional diplomacy from Beijing.",
    ),
    (
        "tan-wei-ming",
        "Tan Wei Ming",
        "the-straits-times",
        "Tan Wei Ming writes on trade and the Singapore economy.",
    ),
    (
        "arjun-rahman",
        "Arjun Rahman",
        "the-daily-star",
        "Arjun Rahman reports on climate and the Bay of Bengal from Dhaka.",
    ),
    (
        "siti-aminah",
        "Siti Aminah",
        "the-star",
        "Siti Aminah is The Star's technology correspondent in Kuala Lumpur.",
    ),
    (
        "ayesha-khan",
        "Ayesha Khan",
        "dawn",
        "Ayesha Khan is Dawn's political editor in Islamabad.",
    ),
];

pub(super) async fn seed_catalogue(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now();
    let actor = Actor::cli();
    let mut tx = state.db.begin().await?;
    let mut outlet_ids = std::collections::HashMap::new();
    for (slug, name, country, website, description) in OUTLETS {
        if let Some(id) = existing(&mut tx, "outlets", slug).await? {
            outlet_ids.insert(*slug, id);
            continue;
        }
        let outlet = Outlet {
            id: Uuid::now_v7(),
            slug: (*slug).into(),
            name: (*name).into(),
            country: (*country).into(),
            language: "en".into(),
            website: Some((*website).into()),
            description: Some((*description).into()),
            created_at: now,
            updated_at: now,
            timezone: timezone_of(country).into(),
            colour: COLOURS
                .iter()
                .find(|(s, _)| s == slug)
                .map(|(_, c)| (*c).to_owned()),
            logo_id: None,
        };
        let saved = outlets::store::save(&mut *tx, &outlet).await?;
        audit::record_change(
            &mut *tx,
            &actor,
            "outlet.create",
            saved.id,
            None,
            Some(&saved),
            now,
        )
        .await?;
        outlet_ids.insert(*slug, saved.id);
    }
    let mut section_ids = std::collections::HashMap::new();
    for (slug, name, parent) in SECTIONS {
        if let Some(id) = existing(&mut tx, "sections", slug).await? {
            section_ids.insert(*slug, id);
            continue;
        }
        let section = Section {
            id: Uuid::now_v7(),
            slug: (*slug).into(),
            name: (*name).into(),
            description: None,
            parent_id: parent.and_then(|p| section_ids.get(p).copied()),
            created_at: now,
            updated_at: now,
        };
        let saved = sections::store::save(&mut *tx, &section).await?;
        audit::record_change(
            &mut *tx,
            &actor,
            "section.create",
            saved.id,
            None,
            Some(&saved),
            now,
        )
        .await?;
        section_ids.insert(*slug, saved.id);
    }
    for (slug, name, outlet, bio) in AUTHORS {
        if existing(&mut tx, "authors", slug).await?.is_some() {
            continue;
        }
        let author = Author {
            id: Uuid::now_v7(),
            slug: (*slug).into(),
            name: (*name).into(),
            bio: Some((*bio).into()),
            outlet_id: outlet_ids.get(outlet).copied(),
            user_id: None,
            created_at: now,
            updated_at: now,
        };
        let saved = authors::store::save(&mut *tx, &author).await?;
        audit::record_change(
            &mut *tx,
            &actor,
            "author.create",
            saved.id,
            None,
            Some(&saved),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The id of the row of `table` with this slug: `newsroom seed` may have created the
/// catalogue already, and it is reused.
async fn existing(
    tx: &mut sqlx::PgTransaction<'_>,
    table: &str,
    slug: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(&format!("select id from {table} where slug = $1"))
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await
}
