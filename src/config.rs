//! Every setting newsroom reads, its default and its meaning. Settings come from the
//! environment only (`main` loads `.env` into it first); tests build a `Config` directly.
//! `.env.example` documents the same list for operators.

use std::fmt;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::Duration;

/// A value that must not appear in logs or `Debug` output (connection strings with passwords).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`; unset: newsroom runs its own embedded PostgreSQL cluster.
    pub database_url: Option<Secret>,
    /// `DATABASE_READ_URL`; optional read replica for the syndication and public APIs.
    pub database_read_url: Option<Secret>,
    /// `NEWSROOM_ADDR`, default `127.0.0.1:8080`.
    pub addr: String,
    /// `NEWSROOM_PUBLIC_URL`, default `http://<NEWSROOM_ADDR>`: base of links in emails and feeds.
    pub public_url: String,
    /// `NEWSROOM_DATA_DIR`, default `./.newsroom`: the embedded cluster and mail drops.
    pub data_dir: PathBuf,
    /// `SMTP_URL`; unset: emails are written as `.eml` files under the data folder.
    pub smtp_url: Option<Secret>,
    /// `MAIL_FROM`, default `newsroom <newsroom@localhost>`.
    pub mail_from: String,
    /// `NEWSROOM_LOG`: `pretty` (default) or `json`.
    pub log_format: LogFormat,
    /// `NEWSROOM_SESSION_TTL_HOURS`, default 12: absolute lifetime of a staff session.
    pub session_ttl: Duration,
    /// `NEWSROOM_DB_MAX_CONNECTIONS`, default 10: pool size per instance (and of the read
    /// pool, when there is one).
    pub db_max_connections: u32,
    /// `NEWSROOM_WEBHOOK_ALLOW_PRIVATE`, default false: let webhooks reach loopback, private
    /// and link-local addresses, and plain http (development and tests only).
    pub webhook_allow_private: bool,
    /// `NEWSROOM_WEBHOOK_PAUSE_AFTER`, default 15: failed attempts in a row that pause a
    /// partner's webhooks until an admin resumes them.
    pub webhook_pause_after: u32,
    /// `NEWSROOM_PARTNER_RATE` (default 10 per second) and `NEWSROOM_PARTNER_BURST`
    /// (default 20): requests each API key may make, per instance.
    pub partner_rate: Rate,
    /// `NEWSROOM_PUBLIC_RATE` (default 20 per second) and `NEWSROOM_PUBLIC_BURST` (default
    /// 60): requests each client address may make to the public API, per instance.
    pub public_rate: Rate,
    /// `NEWSROOM_TRUST_FORWARDED`, default false: take the client address from
    /// `X-Forwarded-For`/`Forwarded` (set it only behind a proxy that sets them).
    pub trust_forwarded: bool,
    /// `NEWSROOM_PUBLIC_BASE_URL`, default `http://localhost:8080`: the readers' site, where a
    /// story without a canonical URL lives at `<base>/<outlet>/<slug>` (sitemap, feed links).
    pub public_base_url: String,
    /// `NEWSROOM_SITEMAP_PAGE_SIZE`, default 50,000 (the sitemap protocol's limit): stories
    /// per sitemap page; above it `sitemap.xml` becomes an index of pages.
    pub sitemap_page_size: i64,
    /// `NEWSROOM_SITE_TEMPLATES`, unset by default: a folder whose files replace the reader
    /// site's compiled-in templates of the same name (`front.html` replaces
    /// `templates/site/front.html`), read once at startup (`serve` fails on a broken one).
    pub site_templates: Option<PathBuf>,
    /// `NEWSROOM_SITE_CACHE_MS`, default 1000 (0-1000; 0 turns it off): the oldest a reader
    /// page an instance keeps may be (`site::page_cache`), so how long a change made through
    /// another instance may take to show there.
    pub site_cache: std::time::Duration,
    /// `NEWSROOM_METRICS_ADDR`, default `127.0.0.1:9464`; set empty for none: where
    /// Prometheus scrapes `/metrics`, a listener apart from `NEWSROOM_ADDR`.
    pub metrics_addr: Option<String>,
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` (the OpenTelemetry standard name), e.g.
    /// `http://127.0.0.1:4318`: export traces over OTLP/HTTP there. Unset: no traces.
    pub otlp_endpoint: Option<String>,
    /// Pictures: where they are kept and how large an upload may be (`NEWSROOM_MEDIA_*`,
    /// `NEWSROOM_S3_*`; see docs/media.md).
    pub media: MediaSettings,
    /// The CPU budget of password hashing (`NEWSROOM_HASHING_*`; see docs/security.md).
    pub hashing: HashingBudget,
}

/// How much CPU argon2id may take (`auth::hash_budget`): a share of one core, a burst that
/// starts at once after a quiet spell, and a queue beyond which logins are answered 429.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashingBudget {
    /// `NEWSROOM_HASHING_BUDGET`, default 30 (1-10,000): percent of one core.
    pub percent_of_a_core: u32,
    /// `NEWSROOM_HASHING_BURST_MS`, default 250 (0-60,000): CPU time of hashing that may run
    /// at once after a quiet spell (about 18 logins).
    pub burst: std::time::Duration,
    /// `NEWSROOM_HASHING_QUEUE_MS`, default 2000 (0-60,000): the longest a login waits for
    /// its turn; beyond it, 429 with `Retry-After`.
    pub queue: std::time::Duration,
}

impl HashingBudget {
    fn from_env(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<HashingBudget> {
        let ms = |name: &str, default: u32| {
            number(var, name, default, 0..=60_000)
                .map(|ms| std::time::Duration::from_millis(ms.into()))
        };
        Ok(HashingBudget {
            percent_of_a_core: number(var, "NEWSROOM_HASHING_BUDGET", 30, 1..=10_000)?,
            burst: ms("NEWSROOM_HASHING_BURST_MS", 250)?,
            queue: ms("NEWSROOM_HASHING_QUEUE_MS", 2000)?,
        })
    }
}

impl Default for HashingBudget {
    fn default() -> Self {
        HashingBudget {
            percent_of_a_core: 30,
            burst: std::time::Duration::from_millis(250),
            queue: std::time::Duration::from_millis(2000),
        }
    }
}

/// The picture desk's settings.
#[derive(Clone, Debug)]
pub struct MediaSettings {
    /// `NEWSROOM_MEDIA_STORE`: `local` (default) or `s3`.
    pub store: MediaStore,
    /// `NEWSROOM_MEDIA_MAX_UPLOAD_MB`, default 40 (1-500): the largest file one upload may carry.
    pub max_upload_bytes: u64,
    /// `NEWSROOM_MEDIA_MAX_MEGAPIXELS`, default 60 (1-250): the largest picture, in width ×
    /// height, checked from the file's header before any pixel is decoded.
    pub max_pixels: u64,
    /// The program started as the picture process (`newsroom draw-master`,
    /// `draw-renditions`): this binary. The tests, which run the server inside a test
    /// binary, name the `newsroom` binary cargo built.
    pub draw_program: std::path::PathBuf,
}

/// Where masters and renditions are kept.
#[derive(Clone, Debug)]
pub enum MediaStore {
    /// Files under `<NEWSROOM_DATA_DIR>/media`: one instance, or a shared filesystem.
    Local,
    /// An S3-compatible bucket, for several instances.
    S3(S3Settings),
}

/// `NEWSROOM_S3_*`: an S3-compatible bucket.
#[derive(Clone, Debug)]
pub struct S3Settings {
    /// `NEWSROOM_S3_BUCKET` (required with `NEWSROOM_MEDIA_STORE=s3`).
    pub bucket: String,
    /// `NEWSROOM_S3_ENDPOINT`: the server's URL (MinIO, Ceph, R2 …); unset: AWS itself.
    pub endpoint: Option<String>,
    /// `NEWSROOM_S3_REGION`, default `us-east-1`.
    pub region: String,
    /// `NEWSROOM_S3_ACCESS_KEY_ID` and `NEWSROOM_S3_SECRET_ACCESS_KEY`; unset: the usual
    /// `AWS_*` variables or the instance's role.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
    /// `NEWSROOM_S3_PATH_STYLE`, default false: `endpoint/bucket/key` instead of
    /// `bucket.endpoint/key` (most self-hosted servers want true).
    pub path_style: bool,
    /// `NEWSROOM_S3_PREFIX`: a folder inside the bucket; unset: its root.
    pub prefix: Option<String>,
}

impl MediaSettings {
    fn from_env(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<MediaSettings> {
        let store = match var("NEWSROOM_MEDIA_STORE").as_deref() {
            None | Some("local") => MediaStore::Local,
            Some("s3") => MediaStore::S3(S3Settings {
                bucket: var("NEWSROOM_S3_BUCKET")
                    .context("NEWSROOM_S3_BUCKET is required when NEWSROOM_MEDIA_STORE=s3")?,
                endpoint: match var("NEWSROOM_S3_ENDPOINT") {
                    Some(e) => Some(
                        url::Url::parse(&e)
                            .context("NEWSROOM_S3_ENDPOINT must be a URL")?
                            .as_str()
                            .trim_end_matches('/')
                            .to_owned(),
                    ),
                    None => None,
                },
                region: var("NEWSROOM_S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
                access_key_id: var("NEWSROOM_S3_ACCESS_KEY_ID"),
                secret_access_key: var("NEWSROOM_S3_SECRET_ACCESS_KEY").map(Secret::new),
                path_style: flag(var, "NEWSROOM_S3_PATH_STYLE")?,
                prefix: var("NEWSROOM_S3_PREFIX").map(|p| p.trim_matches('/').to_owned()),
            }),
            Some(other) => bail!("NEWSROOM_MEDIA_STORE must be `local` or `s3`, not `{other}`"),
        };
        Ok(MediaSettings {
            store,
            max_upload_bytes: u64::from(number(var, "NEWSROOM_MEDIA_MAX_UPLOAD_MB", 40, 1..=500)?)
                << 20,
            max_pixels: u64::from(number(var, "NEWSROOM_MEDIA_MAX_MEGAPIXELS", 60, 1..=250)?)
                * 1_000_000,
            draw_program: this_program(),
        })
    }
}

impl Default for MediaSettings {
    /// Local files, 40 MiB uploads, 60 megapixels, this binary as the picture process.
    fn default() -> Self {
        MediaSettings {
            store: MediaStore::Local,
            max_upload_bytes: 40 << 20,
            max_pixels: 60_000_000,
            draw_program: this_program(),
        }
    }
}

/// This binary: on Linux `/proc/self/exe`, which still starts it after an upgrade replaced
/// the file on disk (the running server's picture processes are then the same build as the
/// server); elsewhere its path, or `newsroom` (found on `PATH`) where the system cannot say.
fn this_program() -> std::path::PathBuf {
    let proc_self = std::path::Path::new("/proc/self/exe");
    if cfg!(target_os = "linux") && proc_self.exists() {
        return proc_self.into();
    }
    std::env::current_exe().unwrap_or_else(|_| "newsroom".into())
}

/// A rate limit: a steady number of requests per second, and how many may come at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub per_second: u32,
    pub burst: u32,
}

/// `true`/`1` or `false`/`0` from the environment; false when unset.
fn flag(var: &impl Fn(&str) -> Option<String>, name: &str) -> anyhow::Result<bool> {
    match var(name).as_deref() {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => bail!("{name} must be true or false, not `{other}`"),
    }
}

/// A whole number from the environment within `range`, or `default` when unset.
fn number(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> anyhow::Result<u32> {
    let value = match var(name) {
        Some(v) => v
            .parse()
            .with_context(|| format!("{name} must be a whole number"))?,
        None => default,
    };
    if !range.contains(&value) {
        bail!(
            "{name} must be between {} and {}",
            range.start(),
            range.end()
        );
    }
    Ok(value)
}

impl Config {
    /// Reads every setting from the environment; a malformed value is an error, never ignored.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("NEWSROOM_ADDR").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let log_format = match var("NEWSROOM_LOG").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("NEWSROOM_LOG must be `pretty` or `json`, not `{other}`"),
        };
        let session_hours: i64 = match var("NEWSROOM_SESSION_TTL_HOURS") {
            Some(v) => v
                .parse()
                .context("NEWSROOM_SESSION_TTL_HOURS must be a whole number")?,
            None => 12,
        };
        if !(1..=24 * 30).contains(&session_hours) {
            bail!("NEWSROOM_SESSION_TTL_HOURS must be between 1 and 720");
        }
        let db_max_connections = number(&var, "NEWSROOM_DB_MAX_CONNECTIONS", 10, 1..=1000)?;
        let webhook_allow_private = flag(&var, "NEWSROOM_WEBHOOK_ALLOW_PRIVATE")?;
        let trust_forwarded = flag(&var, "NEWSROOM_TRUST_FORWARDED")?;
        let webhook_pause_after = number(&var, "NEWSROOM_WEBHOOK_PAUSE_AFTER", 15, 1..=10_000)?;
        let partner_rate = Rate {
            per_second: number(&var, "NEWSROOM_PARTNER_RATE", 10, 1..=10_000_000)?,
            burst: number(&var, "NEWSROOM_PARTNER_BURST", 20, 1..=10_000_000)?,
        };
        let public_rate = Rate {
            per_second: number(&var, "NEWSROOM_PUBLIC_RATE", 20, 1..=10_000_000)?,
            burst: number(&var, "NEWSROOM_PUBLIC_BURST", 60, 1..=10_000_000)?,
        };
        let sitemap_page_size = i64::from(number(
            &var,
            "NEWSROOM_SITEMAP_PAGE_SIZE",
            50_000,
            1..=50_000,
        )?);
        // Unset means the default; set but empty means no metrics listener at all.
        let metrics_addr = match std::env::var("NEWSROOM_METRICS_ADDR") {
            Err(std::env::VarError::NotPresent) => Some("127.0.0.1:9464".to_owned()),
            Ok(v) if v.trim().is_empty() => None,
            Ok(v) => Some(v.trim().to_owned()),
            Err(std::env::VarError::NotUnicode(_)) => {
                bail!("NEWSROOM_METRICS_ADDR must be an address like 127.0.0.1:9464")
            }
        };
        Ok(Config {
            database_url: var("DATABASE_URL").map(Secret::new),
            database_read_url: var("DATABASE_READ_URL").map(Secret::new),
            public_url: var("NEWSROOM_PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{addr}"))
                .trim_end_matches('/')
                .to_owned(),
            addr,
            data_dir: var("NEWSROOM_DATA_DIR")
                .unwrap_or_else(|| "./.newsroom".to_owned())
                .into(),
            smtp_url: var("SMTP_URL").map(Secret::new),
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "newsroom <newsroom@localhost>".to_owned()),
            log_format,
            session_ttl: Duration::hours(session_hours),
            db_max_connections,
            webhook_allow_private,
            webhook_pause_after,
            partner_rate,
            public_rate,
            trust_forwarded,
            public_base_url: var("NEWSROOM_PUBLIC_BASE_URL")
                .unwrap_or_else(|| "http://localhost:8080".to_owned())
                .trim_end_matches('/')
                .to_owned(),
            sitemap_page_size,
            site_templates: var("NEWSROOM_SITE_TEMPLATES")
                .filter(|p| !p.trim().is_empty())
                .map(PathBuf::from),
            site_cache: std::time::Duration::from_millis(u64::from(number(
                &var,
                "NEWSROOM_SITE_CACHE_MS",
                1000,
                0..=1000,
            )?)),
            metrics_addr,
            otlp_endpoint: var("OTEL_EXPORTER_OTLP_ENDPOINT"),
            media: MediaSettings::from_env(&var)?,
            hashing: HashingBudget::from_env(&var)?,
        })
    }
}
