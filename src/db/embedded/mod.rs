//! The embedded default: a private PostgreSQL cluster that newsroom creates (first run),
//! starts and stops itself, from the PostgreSQL server binaries installed on the machine.
//!
//! The cluster lives under `<data dir>/postgres`, listens only on a free loopback port and
//! requires a password (generated at `initdb`, kept in a 0600 file), so no other local user
//! can reach it. PostgreSQL refuses to run as root: when newsroom runs as root, the cluster
//! runs as the unprivileged `postgres` user (or `nobody`), and when that user cannot enter
//! the data folder (a clone under `/root`) the cluster lives under `/var/lib/newsroom/embedded`
//! instead (`owner.rs`). The server process is started with a parent-death signal, so even a
//! `kill -9` of newsroom stops the cluster. `binaries.rs` finds the server, `init.rs` makes
//! the cluster on first start.

mod binaries;
mod init;
mod owner;

use std::fs;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

pub use binaries::find_server_binaries;

const SUPERUSER: &str = "newsroom";
const DATABASE: &str = "newsroom";

/// Extra `postgres -c` settings; tests trade durability for speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    Full,
    /// fsync off: for throw-away test clusters only.
    Disposable,
}

/// A running embedded cluster. Dropping it stops the server (fast shutdown).
pub struct EmbeddedPostgres {
    child: Option<Child>,
    port: u16,
    password: String,
    root: PathBuf,
}

impl EmbeddedPostgres {
    /// Creates the cluster under `root` (or, as root, where its user can reach it: see
    /// [`EmbeddedPostgres::data_dir`]) when it does not exist yet, then starts it and makes
    /// sure the `newsroom` database exists.
    pub fn start(root: &Path, durability: Durability) -> anyhow::Result<Self> {
        let bin = find_server_binaries()?;
        let owner = owner::cluster_owner()?;
        let root = owner::cluster_root(root, &owner)?;
        let pgdata = root.join("pgdata");
        let password_file = root.join("password");
        if !pgdata.join("PG_VERSION").exists() {
            init::init_cluster(&bin, &owner, &root, &pgdata, &password_file)?;
        }
        let password = fs::read_to_string(&password_file)
            .with_context(|| format!("reading {}", password_file.display()))?
            .trim()
            .to_owned();
        let port = free_port()?;
        let log_path = root.join("postgres.log");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        let mut cmd = Command::new(bin.join("postgres"));
        cmd.arg("-D")
            .arg(&pgdata)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .args([
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200",
            ]);
        if durability == Durability::Disposable {
            cmd.args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]);
        }
        cmd.stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        owner.apply(&mut cmd);
        // SAFETY: prctl is async-signal-safe; it only sets this child's parent-death signal.
        unsafe {
            cmd.pre_exec(|| {
                nix::sys::prctl::set_pdeathsig(Signal::SIGINT).map_err(std::io::Error::from)
            });
        }
        let child = cmd.spawn().context("starting postgres")?;
        let mut cluster = EmbeddedPostgres {
            child: Some(child),
            port,
            password,
            root,
        };
        cluster.wait_until_ready(&log_path)?;
        Ok(cluster)
    }

    /// The connection string of the `newsroom` database.
    pub fn url(&self) -> String {
        self.url_for(DATABASE)
    }

    /// The connection string of another database of this cluster.
    pub fn url_for(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/{database}",
            self.password, self.port
        )
    }

    /// Where the cluster's files are: the `root` asked for, or the folder it moved to.
    pub fn data_dir(&self) -> &Path {
        &self.root
    }

    /// Stops the server with a fast shutdown and waits for it to exit.
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = Pid::from_raw(child.id() as i32);
        let _ = kill(pid, Signal::SIGINT);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = kill(pid, Signal::SIGQUIT);
        child.wait()?;
        Ok(())
    }

    fn wait_until_ready(&mut self, log_path: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Some(status) = child.try_wait()? {
                    self.child = None;
                    bail!(
                        "postgres exited ({status}) while starting; its log ({}) ends with:\n{}\n\
                         Set DATABASE_URL to use an existing database instead.",
                        log_path.display(),
                        log_tail(log_path)
                    );
                }
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok()
                && self.create_database().is_ok()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "postgres did not become ready within 60 s:\n{}",
                    log_tail(log_path)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Creates the `newsroom` database on first start (idempotent).
    fn create_database(&self) -> anyhow::Result<()> {
        let url = self.url_for("postgres");
        // A thread of its own: this may be called from inside or outside an async runtime.
        let work = move || -> anyhow::Result<()> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                let exists: bool = sqlx::query_scalar(
                    "select exists (select 1 from pg_database where datname = $1)",
                )
                .bind(DATABASE)
                .fetch_one(&mut conn)
                .await?;
                if !exists {
                    sqlx::query(&format!("create database {DATABASE}"))
                        .execute(&mut conn)
                        .await?;
                }
                conn.close().await?;
                anyhow::Ok(())
            })
        };
        std::thread::spawn(work)
            .join()
            .map_err(|_| anyhow!("database creation thread panicked"))?
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if let Err(err) = self.shutdown() {
            tracing::warn!(error = %err, "stopping the embedded PostgreSQL failed");
        }
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free loopback port")?;
    Ok(listener.local_addr()?.port())
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
