//! Where the PostgreSQL server binaries are: on PATH first, then the usual install folders.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::anyhow;

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
