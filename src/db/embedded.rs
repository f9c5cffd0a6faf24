//! The embedded default: a private PostgreSQL cluster that newsroom creates (first run),
//! starts and stops itself, from the PostgreSQL server binaries installed on the machine.
//!
//! The cluster lives under `<data dir>/postgres`, listens only on a free loopback port and
//! requires a password (generated at `initdb`, kept in a 0600 file), so no other local user
//! can reach it. PostgreSQL refuses to run as root: when newsroom runs as root, the cluster
//! runs as the unprivileged `postgres` user (or `nobody`). The server process is started with
//! a parent-death signal, so even a `kill -9` of newsroom stops the cluster.

use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::{chown, OpenOptionsExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use nix::sys::signal::{kill, Signal};
use nix::unistd::{Pid, Uid, User};
use rand::distributions::Alphanumeric;
use rand::Rng;

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
    /// Creates the cluster under `root` when it does not exist yet, then starts it and makes
    /// sure the `newsroom` database exists.
    pub fn start(root: &Path, durability: Durability) -> anyhow::Result<Self> {
        let bin = find_server_binaries()?;
        let owner = cluster_owner()?;
        fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
        let root = root.canonicalize()?;
        let pgdata = root.join("pgdata");
        let password_file = root.join("password");
        if !pgdata.join("PG_VERSION").exists() {
            init_cluster(&bin, &owner, &root, &pgdata, &password_file)?;
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
        as_owner(&mut cmd, &owner);
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
                        "postgres exited ({status}) while starting:\n{}",
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

/// The unprivileged account the cluster runs as (None: the current user).
struct Owner {
    user: Option<User>,
}

fn cluster_owner() -> anyhow::Result<Owner> {
    if !Uid::effective().is_root() {
        return Ok(Owner { user: None });
    }
    for name in ["postgres", "nobody"] {
        if let Some(user) = User::from_name(name)? {
            return Ok(Owner { user: Some(user) });
        }
    }
    bail!(
        "running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as"
    )
}

fn as_owner(cmd: &mut Command, owner: &Owner) {
    if let Some(user) = &owner.user {
        cmd.uid(user.uid.as_raw())
            .gid(user.gid.as_raw())
            .env("HOME", &user.dir);
    }
}

fn give_to_owner(path: &Path, owner: &Owner) -> anyhow::Result<()> {
    if let Some(user) = &owner.user {
        chown(path, Some(user.uid.as_raw()), Some(user.gid.as_raw()))
            .with_context(|| format!("handing {} to {}", path.display(), user.name))?;
    }
    Ok(())
}

fn init_cluster(
    bin: &Path,
    owner: &Owner,
    root: &Path,
    pgdata: &Path,
    password_file: &Path,
) -> anyhow::Result<()> {
    let password: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    write_private(password_file, &password)?;
    // initdb reads the superuser password from a file the cluster owner can read.
    let pwfile = root.join("initdb-password");
    write_private(&pwfile, &password)?;
    give_to_owner(&pwfile, owner)?;
    fs::create_dir_all(pgdata)?;
    fs::set_permissions(pgdata, fs::Permissions::from_mode(0o700))?;
    give_to_owner(pgdata, owner)?;
    let run = |locale: &str| -> anyhow::Result<std::process::Output> {
        let mut cmd = Command::new(bin.join("initdb"));
        cmd.arg("-D").arg(pgdata).args([
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--auth=scram-sha-256",
            "--no-sync",
        ]);
        cmd.arg(locale)
            .arg(format!("--pwfile={}", pwfile.display()));
        as_owner(&mut cmd, owner);
        cmd.output().context("running initdb")
    };
    let mut output = run("--locale=C.UTF-8")?;
    if !output.status.success() {
        // Some systems lack the C.UTF-8 locale; the plain C locale always exists.
        let _ = fs::remove_dir_all(pgdata);
        fs::create_dir_all(pgdata)?;
        fs::set_permissions(pgdata, fs::Permissions::from_mode(0o700))?;
        give_to_owner(pgdata, owner)?;
        output = run("--no-locale")?;
    }
    let _ = fs::remove_file(&pwfile);
    if !output.status.success() {
        let hint = match &owner.user {
            Some(user) => format!(
                " (the cluster runs as `{}`: every folder above {} must be enterable by that user)",
                user.name,
                root.display()
            ),
            None => String::new(),
        };
        bail!(
            "initdb failed{hint}:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    let mut file = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(content.as_bytes())?;
    Ok(())
}

/// Finds `initdb` and `postgres`: on PATH first, then the usual install folders.
pub fn find_server_binaries() -> anyhow::Result<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let mut versioned: Vec<PathBuf> = [
        "/usr/lib/postgresql",
        "/usr/local/pgsql",
        "/opt/homebrew/opt",
    ]
    .iter()
    .filter_map(|dir| fs::read_dir(dir).ok())
    .flat_map(|entries| entries.filter_map(Result::ok).map(|e| e.path().join("bin")))
    .collect();
    // Newest major version first: /usr/lib/postgresql/16/bin before .../15/bin.
    versioned.sort_by_key(|p| std::cmp::Reverse(major_version(p)));
    candidates.extend(versioned);
    candidates.extend(
        [
            "/usr/local/pgsql/bin",
            "/usr/pgsql/bin",
            "/opt/homebrew/bin",
        ]
        .map(PathBuf::from),
    );
    candidates
        .into_iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file())
        .ok_or_else(|| {
            anyhow!(
                "No PostgreSQL server binaries (initdb, postgres) were found on PATH or under \
                 /usr/lib/postgresql/*/bin. newsroom runs its own private PostgreSQL cluster when \
                 DATABASE_URL is unset, and needs the server package for that: install it \
                 (Debian/Ubuntu: `apt-get install postgresql`; Fedora: `dnf install postgresql-server`; \
                 macOS: `brew install postgresql`), or set DATABASE_URL to an existing database, \
                 e.g. DATABASE_URL=postgres://user:password@127.0.0.1:5432/newsroom."
            )
        })
}

fn major_version(bin: &Path) -> u32 {
    bin.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .and_then(|n| {
            n.trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .unwrap_or(0)
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
