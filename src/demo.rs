//! `serve --demo`: seeds a small demo alliance once (outlets, sections, authors and one user
//! of each role) and prints the logins. The passwords are fixed and public: demo data only.

use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::Password;
use crate::authors::{self, Author};
use crate::domain::{Email, Role};
use crate::outlets::{self, Outlet};
use crate::sections::{self, Section};
use crate::state::AppState;
use crate::users::service::{create_from_cli, NewUserInput};

/// (slug, name, country, website, description)
const OUTLETS: &[(&str, &str, &str, &str, &str)] = &[
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
const SECTIONS: &[(&str, &str, Option<&str>)] = &[
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
const AUTHORS: &[(&str, &str, &str, &str)] = &[
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
        tracing::info!("demo alliance seeded");
    }
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

async fn seed_catalogue(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now();
    let actor = Actor::cli();
    let mut tx = state.db.begin().await?;
    let mut outlet_ids = std::collections::HashMap::new();
    for (slug, name, country, website, description) in OUTLETS {
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
