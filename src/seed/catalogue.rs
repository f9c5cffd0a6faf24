//! The outlets, sections and authors seeded stories belong to: the demo alliance's (created if
//! missing, reused if there), plus six staff authors per outlet so bylines vary.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::content::{Catalogue, SeedOutlet};
use crate::demo::{AUTHORS, OUTLETS, SECTIONS};

const FIRST: &[&str] = &[
    "aisha", "bao", "chandra", "dewi", "elif", "farhan", "grace", "hui", "imran", "jia", "kavya",
    "lin", "maya", "nadia", "omar", "priya", "qiang", "rina", "sanjay", "tara", "umar", "vivian",
    "wei", "xin", "yusuf", "zara", "amir", "bushra", "daniel", "esther",
];
const LAST: &[&str] = &[
    "rahman",
    "tan",
    "lim",
    "hossain",
    "wong",
    "siddiqui",
    "chen",
    "nair",
    "abdullah",
    "ng",
    "chowdhury",
    "lee",
    "iqbal",
    "goh",
    "das",
    "zhang",
    "malik",
    "ong",
    "karim",
    "liu",
    "sharma",
    "teo",
    "haque",
    "wu",
    "qureshi",
    "yeo",
    "islam",
    "huang",
    "baig",
    "koh",
];
const STAFF_PER_OUTLET: usize = 6;

/// Creates what is missing (by slug; nothing existing is changed) and reads the ids back.
pub async fn ensure(conn: &mut PgConnection, now: DateTime<Utc>) -> anyhow::Result<Catalogue> {
    for (slug, name, country, website, description) in OUTLETS {
        sqlx::query(
            "insert into outlets (id, slug, name, country, language, website, description, created_at, updated_at)
             values ($1, $2, $3, $4, 'en', $5, $6, $7, $7) on conflict (slug) do nothing",
        )
        .bind(Uuid::now_v7())
        .bind(slug)
        .bind(name)
        .bind(country)
        .bind(website)
        .bind(description)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    // Parents come first in SECTIONS.
    for (slug, name, parent) in SECTIONS {
        sqlx::query(
            "insert into sections (id, slug, name, parent_id, created_at, updated_at)
             values ($1, $2, $3, (select id from sections where slug = $4), $5, $5) on conflict (slug) do nothing",
        )
        .bind(Uuid::now_v7())
        .bind(slug)
        .bind(name)
        .bind(parent)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    let mut authors: Vec<(String, String, &str, Option<&str>)> = AUTHORS
        .iter()
        .map(|(slug, name, outlet, bio)| {
            ((*slug).to_owned(), (*name).to_owned(), *outlet, Some(*bio))
        })
        .collect();
    for (o, (outlet, ..)) in OUTLETS.iter().enumerate() {
        for j in 0..STAFF_PER_OUTLET {
            let k = o * STAFF_PER_OUTLET + j;
            let (first, last) = (FIRST[k % FIRST.len()], LAST[(k * 7 + o) % LAST.len()]);
            let name = format!("{} {}", capitalised(first), capitalised(last));
            authors.push((format!("{first}-{last}"), name, outlet, None));
        }
    }
    for (slug, name, outlet, bio) in &authors {
        sqlx::query(
            "insert into authors (id, slug, name, bio, outlet_id, created_at, updated_at)
             values ($1, $2, $3, $4, (select id from outlets where slug = $5), $6, $6) on conflict (slug) do nothing",
        )
        .bind(Uuid::now_v7())
        .bind(slug)
        .bind(name)
        .bind(bio)
        .bind(outlet)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    read(conn).await
}

async fn read(conn: &mut PgConnection) -> anyhow::Result<Catalogue> {
    let outlet_slugs: Vec<&str> = OUTLETS.iter().map(|o| o.0).collect();
    let rows: Vec<(Uuid, String, Option<String>)> =
        sqlx::query_as("select id, slug, website from outlets where slug = any($1) order by slug")
            .bind(&outlet_slugs)
            .fetch_all(&mut *conn)
            .await?;
    let by_outlet: Vec<(Uuid, Uuid)> =
        sqlx::query_as("select outlet_id, id from authors where outlet_id = any($1) order by slug")
            .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
            .fetch_all(&mut *conn)
            .await?;
    let mut staff: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (outlet, author) in by_outlet {
        staff.entry(outlet).or_default().push(author);
    }
    let mut outlets = Vec::new();
    for (id, slug, website) in rows {
        let authors = staff.remove(&id).unwrap_or_default();
        anyhow::ensure!(
            !authors.is_empty(),
            "outlet `{slug}` has no authors to sign seeded stories"
        );
        outlets.push(SeedOutlet {
            id,
            website: website.unwrap_or_else(|| format!("https://{slug}.example")),
            authors,
        });
    }
    let section_slugs: Vec<&str> = SECTIONS.iter().map(|s| s.0).collect();
    let sections: Vec<Uuid> =
        sqlx::query_scalar("select id from sections where slug = any($1) order by slug")
            .bind(&section_slugs)
            .fetch_all(&mut *conn)
            .await?;
    anyhow::ensure!(
        outlets.len() == OUTLETS.len() && sections.len() == SECTIONS.len(),
        "the seed outlets and sections could not be created"
    );
    Ok(Catalogue { outlets, sections })
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
