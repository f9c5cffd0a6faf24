//! `serve --demo`: seeds a small demo alliance once (outlets, sections, authors, one user of
//! each role and articles in every workflow state) and prints the logins. The passwords are fixed and public: demo data only.

use uuid::Uuid;

use crate::articles::{self, body_html, Article, ArticleContent, Headline, Status};
use crate::audit::{self, Actor};
use crate::auth::Password;
use crate::authors::{self, Author};
use crate::domain::{Email, LanguageTag, Role, Slug};
use crate::outlets::{self, Outlet};
use crate::sections::{self, Section};
use crate::state::AppState;
use crate::users::service::{create_from_cli, NewUserInput};

/// (slug, name, country, website, description)
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

/// (email, display name, role, password, outlets)
pub const LOGINS: &[(&str, &str, Role, &str, &[&str])] = &[
    (
        "admin@newsroom.example",
        "Demo Admin",
        Role::Admin,
        "newsroom-admin-demo",
        &[],
    ),
    (
        "editor@newsroom.example",
        "Demo Editor",
        Role::Editor,
        "newsroom-editor-demo",
        &["the-straits-times", "dawn"],
    ),
    (
        "writer@newsroom.example",
        "Demo Writer",
        Role::Writer,
        "newsroom-writer-demo",
        &["the-straits-times"],
    ),
];

/// Seeds the demo alliance unless it is already there, then prints the logins.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let seeded: bool = sqlx::query_scalar("select exists (select 1 from users where email = $1)")
        .bind(LOGINS[0].0)
        .fetch_one(&state.db)
        .await?;
    if seeded {
        tracing::info!("demo alliance already seeded");
    } else {
        seed_catalogue(state).await?;
        seed_users(state).await?;
        seed_articles(state).await?;
        tracing::info!("demo alliance seeded");
    }
    seed_newsletter(state).await?;
    println!("\nDemo logins (POST /api/v1/auth/login):");
    for (email, _, role, password, _) in LOGINS {
        println!(
            "  {:<8} {email:<26} password: {password}",
            format!("{role:?}").to_lowercase()
        );
    }
    println!();
    Ok(())
}

/// The alliance's newsletter, added to demo data seeded before newsletters existed too.
async fn seed_newsletter(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now();
    sqlx::query(
        "insert into newsletters (id, slug, name, description, created_at, updated_at)
         values ($1, 'eastern-briefings', 'Eastern Briefings', $2, $3, $3)
         on conflict (slug) do nothing",
    )
    .bind(Uuid::now_v7())
    .bind("Curated stories from 22 Asian newspapers.")
    .bind(now)
    .execute(&state.db)
    .await?;
    Ok(())
}

async fn seed_catalogue(state: &AppState) -> anyhow::Result<()> {
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

/// (status, outlet, section, author, headline, standfirst, body)
const ARTICLES: &[(Status, &str, &str, &str, &str, &str, &str)] = &[
    (Status::Draft, "the-straits-times", "economics", "tan-wei-ming", "Port volumes climb as shipping lines return",
     "Container traffic is back above its 2019 peak.", "Throughput at the port rose for a sixth month.\n\nAnalysts credit new routes to the Gulf."),
    (Status::InReview, "the-straits-times", "trade", "tan-wei-ming", "Regional trade pact enters its second year",
     "Tariff cuts reach farm goods next.", "Ministers meet in Jakarta next week to review the pact.\n\nExporters want faster customs checks."),
    (Status::Approved, "dawn", "politics", "ayesha-khan", "Assembly debates new budget rules",
     "A cap on supplementary grants is on the table.", "The finance committee backed the cap on Tuesday.\n\nThe opposition wants a sunset clause."),
    (Status::Scheduled, "dawn", "climate", "ayesha-khan", "Heatwave plan for Karachi published",
     "Cooling centres will open across the city.", "The plan names forty cooling centres.\n\nHospitals get extra staff from May."),
    (Status::Published, "the-daily-star", "climate", "arjun-rahman", "Monsoon arrives early in the Bay of Bengal",
     "Farmers race to bring in the rice harvest.", "Rain reached the coast a week ahead of forecasts.\n\n## What it means\n\nFarmers in the delta are harvesting early."),
    (Status::Published, "china-daily", "diplomacy", "mei-lin", "Ministers agree on a regional rail link study",
     "The study will take eighteen months.", "Transport ministers signed the study agreement in Beijing.\n\nThe route would link five capitals."),
    (Status::Unpublished, "the-star", "technology", "siti-aminah", "Chip plant expansion on hold",
     "The company is reviewing its investment plans.", "The expansion was announced in March.\n\nThe company declined to comment further."),
    (Status::Killed, "the-star", "culture", "siti-aminah", "Festival line-up leaked",
     "Withdrawn on legal advice.", "This story was withdrawn."),
];

async fn seed_articles(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now();
    let actor = Actor::cli();
    let writer: Option<Uuid> = sqlx::query_scalar("select id from users where email = $1")
        .bind(LOGINS[2].0)
        .fetch_optional(&state.db)
        .await?;
    let mut tx = state.db.begin().await?;
    for (i, (status, outlet, section, author, headline, standfirst, body)) in
        ARTICLES.iter().enumerate()
    {
        let outlet_id: Uuid = sqlx::query_scalar("select id from outlets where slug = $1")
            .bind(outlet)
            .fetch_one(&mut *tx)
            .await?;
        let section_id: Uuid = sqlx::query_scalar("select id from sections where slug = $1")
            .bind(section)
            .fetch_one(&mut *tx)
            .await?;
        let author_id: Uuid = sqlx::query_scalar("select id from authors where slug = $1")
            .bind(author)
            .fetch_one(&mut *tx)
            .await?;
        let created = now - chrono::Duration::hours(48 - i as i64);
        let was_published = matches!(
            status,
            Status::Published | Status::Unpublished | Status::Killed
        );
        let mut content = ArticleContent::new(
            Slug::from_headline(headline)?,
            Headline::parse("headline", headline)?,
            LanguageTag::parse("language", "en")?,
        );
        content.standfirst = Some((*standfirst).into());
        content.body = (*body).into();
        content.section_id = Some(section_id);
        content.author_ids = vec![author_id];
        content.tags = vec![(*section).into()];
        let article = Article {
            id: Uuid::now_v7(),
            outlet_id,
            body_html: body_html(body),
            content,
            status: *status,
            version: 1,
            created_by: if *outlet == "the-straits-times" {
                writer
            } else {
                None
            },
            created_at: created,
            updated_at: created,
            first_published_at: was_published.then_some(created),
            published_at: was_published.then_some(created),
            scheduled_at: (*status == Status::Scheduled).then(|| now + chrono::Duration::days(2)),
            embargo_released_at: None,
        };
        articles::import(&mut tx, &actor, &article, created).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn seed_users(state: &AppState) -> anyhow::Result<()> {
    for (email, name, role, password, outlets) in LOGINS {
        let outlet_slugs: Vec<String> = outlets.iter().map(|s| (*s).to_owned()).collect();
        let outlet_ids = crate::users::store::outlet_ids_by_slug(&state.db, &outlet_slugs).await?;
        let input = NewUserInput {
            email: Email::parse("email", email).map_err(|e| anyhow::anyhow!("{e}"))?,
            display_name: (*name).into(),
            role: *role,
            outlet_ids: outlet_ids.into_iter().map(|(_, id)| id).collect(),
            password: Password::parse("password", (*password).into())
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        create_from_cli(state, input)
            .await
            .map_err(|e| anyhow::anyhow!("seeding {email}: {e}"))?;
    }
    Ok(())
}
