//! The subcommands: `serve [--demo [--reset]]`, `migrate`, `create-user`, `seed`, two
//! that need no database: `mail` and `openapi`, and the hidden picture processes that `serve`
//! starts (`draw-master`, `draw-renditions`: `media::draw_child`).

use std::io::BufRead;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};

use crate::clock::Clock;
use crate::config::Config;
use crate::db::embedded::{Durability, EmbeddedPostgres};
use crate::domain::{required_text, Email, Role};
use crate::metrics::server::MetricsServer;
use crate::seed::EmbargoShare;
use crate::startup::Application;
use crate::state::AppState;
use crate::users::service::{create_from_cli, NewUserInput};
use crate::{auth, db, demo, jobs, users};

#[derive(Debug, Parser)]
#[command(
    name = "newsroom",
    version,
    about = "The content backend of a news alliance."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve the API until SIGINT/SIGTERM.
    Serve {
        /// Also seed a demo alliance (once) and print its logins.
        #[arg(long)]
        demo: bool,
        /// With `--demo`: first empty the embedded cluster's database, so the demo starts
        /// afresh (refused with `DATABASE_URL`: newsroom never wipes a database it was given).
        #[arg(long, requires = "demo")]
        reset: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Create a staff account; the password is read from standard input (one line).
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Slug of an outlet the user belongs to (repeatable).
        #[arg(long = "outlet")]
        outlets: Vec<String>,
    },
    /// Print the OpenAPI document (what `GET /api/openapi.json` serves). Needs no database.
    Openapi,
    /// Print the latest emails of the `.eml` drop folder (mail without `SMTP_URL`), decoded:
    /// headers and plain text, links whole. Needs no database.
    Mail {
        /// How many of the newest emails to print.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=1000))]
        last: u16,
    },
    /// Apply pending migrations, then add synthetic stories (COPY, in batches) until there
    /// are N; a second run with the same N does nothing.
    Seed {
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        articles: u64,
        /// Also confirmed subscribers of `seed-briefings`, with their consent ledger, up to M.
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=10_000_000))]
        subscribers: Option<i64>,
        /// Share of the published stories under embargo at the head of the timeline, from 0
        /// to 0.5 (0.01 = 1 %); without it 10 in 910 (~0.011), as the seed always had.
        #[arg(long, value_name = "FRACTION", value_parser = embargo_share, allow_negative_numbers = true)]
        embargoed: Option<EmbargoShare>,
    },
    /// The picture process `serve` starts to make an upload's master (docs/media.md): the
    /// upload on standard input, the master on standard output. Not for people.
    #[command(hide = true)]
    DrawMaster {
        #[arg(long)]
        source: String,
        #[arg(long)]
        max_pixels: u64,
    },
    /// The picture process `serve` starts to draw a master's renditions (docs/media.md).
    /// Not for people.
    #[command(hide = true)]
    DrawRenditions,
}

impl Cli {
    /// The picture processes' work, when this run is one: it needs no settings, no database
    /// and no logging, so `main` runs it before any of them.
    pub fn picture_process(&self) -> Option<std::process::ExitCode> {
        match &self.command {
            Command::DrawMaster { source, max_pixels } => {
                Some(crate::media::draw_child::master(source, *max_pixels))
            }
            Command::DrawRenditions => Some(crate::media::draw_child::renditions()),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Admin,
    Editor,
    Writer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Editor => Role::Editor,
            RoleArg::Writer => Role::Writer,
        }
    }
}

pub async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    if matches!(cli.command, Command::Serve { reset: true, .. }) && config.database_url.is_some() {
        bail!(
            "--reset empties the embedded cluster's database only; with DATABASE_URL set, \
             drop and recreate that database yourself"
        );
    }
    // Reading the drop folder needs no database: it must not start (or collide with) the
    // embedded cluster of a running `serve`.
    match cli.command {
        Command::Mail { last } => return print_mail(&config, last.into()),
        Command::Openapi => return print_openapi(),
        _ => {}
    }
    let (state, cluster) = open(config).await?;
    let result = match cli.command {
        Command::Serve { demo, reset } => serve(state.clone(), demo, reset).await,
        Command::Migrate => db::migrate(&state.db).await,
        Command::CreateUser {
            email,
            name,
            role,
            outlets,
        } => {
            db::migrate(&state.db).await?;
            create_user(&state, &email, &name, role.into(), &outlets).await
        }
        Command::Seed {
            articles,
            subscribers,
            embargoed,
        } => {
            db::migrate(&state.db).await?;
            crate::seed::command::articles(&state, articles, embargoed.unwrap_or_default()).await?;
            match subscribers {
                Some(n) => crate::seed::command::subscribers(&state, n).await,
                None => Ok(()),
            }
        }
        // Answered above, before any database is started (the picture processes in `main`).
        Command::Mail { last } => print_mail(&state.config, last.into()),
        Command::Openapi => print_openapi(),
        Command::DrawMaster { .. } | Command::DrawRenditions => Ok(()),
    };
    state.db.close().await;
    state.read_pools.close().await;
    if let Some(cluster) = cluster {
        tracing::info!("stopping the embedded PostgreSQL");
        cluster.stop()?;
    }
    result
}

/// Connects to `DATABASE_URL`, or starts the embedded cluster when it is unset.
async fn open(config: Config) -> anyhow::Result<(AppState, Option<EmbeddedPostgres>)> {
    let (url, cluster) = match &config.database_url {
        Some(url) => (url.expose().to_owned(), None),
        None => {
            let root = config.data_dir.join("postgres");
            tracing::info!(dir = %root.display(), "DATABASE_URL is unset: starting the embedded PostgreSQL");
            // Started from this (the main) thread: the cluster's parent-death signal is tied to it.
            let cluster = EmbeddedPostgres::start(&root, Durability::Full)?;
            tracing::info!(dir = %cluster.data_dir().display(), "the embedded PostgreSQL is running; its files are here");
            (cluster.url(), Some(cluster))
        }
    };
    let pool = db::pool("DATABASE_URL", &url, config.db_max_connections)?;
    let read_pool = match &config.database_read_url {
        Some(read_url) => Some(db::pool(
            "DATABASE_READ_URL",
            read_url.expose(),
            config.db_max_connections,
        )?),
        None => None,
    };
    let mut state = AppState::new(pool, Clock::system(), Arc::new(config));
    if let Some(read_pool) = read_pool {
        tracing::info!("the syndication and public APIs read from DATABASE_READ_URL");
        state = state.with_read_pool(read_pool);
    }
    Ok((state, cluster))
}

/// How long the background loops may take to finish their pass once the server stopped.
const LOOPS_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve(state: AppState, with_demo: bool, reset: bool) -> anyhow::Result<()> {
    if let Some(dir) = &state.config.site_templates {
        let replaced = crate::templates::replace_site_templates(dir)?;
        tracing::info!(folder = %dir.display(), ?replaced, "site templates replaced");
    }
    crate::email::check_settings(&state.config)?;
    state.media.storage.check()?;
    if reset {
        demo::reset(&state).await?;
    }
    db::migrate(&state.db).await?;
    if with_demo {
        demo::seed(&state).await?;
    }
    let addr = state.config.addr.clone();
    let every = std::time::Duration::from_secs(1);
    // Scheduled publishing, embargo lifts and housekeeping; catches up at once on anything
    // overdue. Webhooks and email have their own loops, so a slow partner or mail server never
    // delays a publication.
    let (stopping, stop) = jobs::Stop::new();
    let loops = [
        actix_web::rt::spawn(jobs::run(state.clone(), every, stop.clone())),
        actix_web::rt::spawn(jobs::deliver_webhooks(state.clone(), every, stop.clone())),
        actix_web::rt::spawn(jobs::deliver_email(state.clone(), every, stop.clone())),
        actix_web::rt::spawn(jobs::make_story_docs(
            state.clone(),
            jobs::STORY_DOCS_EVERY,
            stop,
        )),
    ];
    let app = Application::build(state.clone(), &addr)?;
    let metrics = match &state.config.metrics_addr {
        Some(at) => {
            let server = MetricsServer::build(state.clone(), at)?;
            tracing::info!(port = server.port(), "metrics on http://{at}/metrics");
            Some((server.handle(), actix_web::rt::spawn(server.run())))
        }
        None => None,
    };
    tracing::info!(port = app.port(), "newsroom listening on http://{addr}");
    let served = app.run_until_stopped().await.context("serving");
    if let Some((handle, task)) = metrics {
        handle.stop(true).await;
        let _ = task.await;
    }
    // The loops finish the pass they are in, up to 10 s, and are dropped here, while the
    // runtime still runs (the SMTP pool spawns a task as it closes).
    stopping.send_replace(true);
    let deadline = tokio::time::Instant::now() + LOOPS_GRACE;
    for mut task in loops {
        if tokio::time::timeout_at(deadline, &mut task).await.is_err() {
            tracing::warn!("a background loop was still busy after 10 s; cut off");
            task.abort();
            let _ = task.await;
        }
    }
    if let Err(err) = state.usage.flush(&state.db).await {
        tracing::warn!(error = %err, "could not write the last usage records");
    }
    tracing::info!("server stopped");
    served
}

async fn create_user(
    state: &AppState,
    email: &str,
    name: &str,
    role: Role,
    outlets: &[String],
) -> anyhow::Result<()> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password).to_owned();
    let found = users::store::outlet_ids_by_slug(&state.db, outlets).await?;
    let missing: Vec<&String> = outlets
        .iter()
        .filter(|s| !found.iter().any(|(slug, _)| slug == *s))
        .collect();
    if !missing.is_empty() {
        bail!("no outlet with slug {missing:?}");
    }
    let input = (|| {
        Ok::<_, crate::error::AppError>(NewUserInput {
            email: Email::parse("email", email)?,
            display_name: required_text("name", name, 200)?,
            role,
            outlet_ids: found.iter().map(|(_, id)| *id).collect(),
            password: auth::Password::parse("password", password)?,
        })
    })()
    .map_err(describe)?;
    let user = create_from_cli(state, input).await.map_err(describe)?;
    println!("{}", user.id);
    Ok(())
}

/// `--embargoed`: a number, then the seed's own range check.
fn embargo_share(value: &str) -> Result<EmbargoShare, String> {
    let share: f64 = value
        .parse()
        .map_err(|_| format!("{value:?} is not a number (0.01 = 1 %)"))?;
    EmbargoShare::parse(share)
}

/// `newsroom openapi`: the document, for generating a client without a running server.
fn print_openapi() -> anyhow::Result<()> {
    use utoipa::OpenApi;
    println!("{}", crate::openapi::ApiDoc::openapi().to_pretty_json()?);
    Ok(())
}

/// `newsroom mail`: the newest emails of the drop folder, oldest of them first.
fn print_mail(config: &Config, last: usize) -> anyhow::Result<()> {
    let dir = config.data_dir.join("mail");
    if config.smtp_url.is_some() {
        eprintln!(
            "SMTP_URL is set: new emails go to the SMTP server, not to {}",
            dir.display()
        );
    }
    let mail = crate::email::drop_folder::latest(&dir, last)?;
    if mail.is_empty() {
        println!("no emails in {}", dir.display());
    }
    for message in &mail {
        println!("{}", crate::email::drop_folder::show(message));
    }
    Ok(())
}

/// A service error as one line for the terminal.
fn describe(err: crate::error::AppError) -> anyhow::Error {
    match err {
        crate::error::AppError::Validation(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|(f, m)| format!("{f} {}", m.join(", ")))
                .collect();
            anyhow::anyhow!(parts.join("; "))
        }
        crate::error::AppError::Conflict {
            detail,
            field: Some(field),
        } => anyhow::anyhow!("{field} {detail}"),
        other => anyhow::anyhow!(other.to_string()),
    }
}
