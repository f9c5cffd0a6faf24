//! `serve --demo`: seeds a small demo alliance once (outlets, sections, authors, one user of
//! each role, a newsletter and stories in every workflow state) and prints the logins. The
//! passwords are fixed and public: demo data only. `serve --demo --reset` wipes the embedded
//! cluster's database first, so the walk-through can be run again from the start.

mod articles;
mod catalogue;

pub(crate) use catalogue::{AUTHORS, OUTLETS, SECTIONS};

use uuid::Uuid;

use crate::auth::Password;
use crate::domain::{Email, Role};
use crate::state::AppState;
use crate::users::service::{create_from_cli, NewUserInput};

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
        catalogue::seed_catalogue(state).await?;
        seed_users(state).await?;
        articles::seed_articles(state).await?;
        tracing::info!("demo alliance seeded");
    }
    seed_newsletter(state).await?;
    let root = state.config.public_url.trim_end_matches('/');
    println!("\nThe reader site: {root}/");
    println!("The desk: {root}/admin (sign in with a demo login)");
    println!("Demo logins (also for POST /api/v1/auth/login):");
    for (email, _, role, password, _) in LOGINS {
        println!(
            "  {:<8} {email:<26} password: {password}",
            format!("{role:?}").to_lowercase()
        );
    }
    println!();
    Ok(())
}

/// Drops everything in the database (the `public` schema: every table, type and function
/// of the migrations, and the migrations' own record), so that the migrations and the seed
/// start from nothing. Only for the embedded cluster, whose database belongs to newsroom
/// alone: `cli` refuses `--reset` with `DATABASE_URL`.
pub async fn reset(state: &AppState) -> anyhow::Result<()> {
    // `usage` for everyone, as PostgreSQL's own `public` schema has (a read-only role of a
    // replica or a report still finds the tables).
    sqlx::raw_sql(
        "drop schema public cascade; create schema public; grant usage on schema public to public;",
    )
    .execute(&state.db)
    .await?;
    tracing::warn!("--reset: the demo database was emptied");
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
