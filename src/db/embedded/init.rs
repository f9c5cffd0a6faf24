//! The first start of a cluster: `initdb` with a generated password, as the cluster's user.
//! A first start that fails (or was interrupted) leaves nothing half-made behind, so the next
//! start begins afresh.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};
use rand::distributions::Alphanumeric;
use rand::Rng;

use super::owner::Owner;
use super::SUPERUSER;

/// Creates the cluster in `pgdata` (under `root`), its password in `password_file`.
pub(super) fn init_cluster(
    bin: &Path,
    owner: &Owner,
    root: &Path,
    pgdata: &Path,
    password_file: &Path,
) -> anyhow::Result<()> {
    // A folder without PG_VERSION is what an interrupted or failed first start left.
    if pgdata.exists() {
        fs::remove_dir_all(pgdata)
            .with_context(|| format!("removing the half-made cluster in {}", pgdata.display()))?;
    }
    let pwfile = root.join("initdb-password");
    let result = run_initdb(bin, owner, pgdata, password_file, &pwfile);
    let _ = fs::remove_file(&pwfile);
    if result.is_err() {
        let _ = fs::remove_dir_all(pgdata);
        let _ = fs::remove_file(password_file);
    }
    result
}

fn run_initdb(
    bin: &Path,
    owner: &Owner,
    pgdata: &Path,
    password_file: &Path,
    pwfile: &Path,
) -> anyhow::Result<()> {
    let password: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    write_private(password_file, &password)?;
    // initdb reads the superuser password from a file the cluster owner can read.
    write_private(pwfile, &password)?;
    owner.give(pwfile)?;
    let fresh_pgdata = || -> anyhow::Result<()> {
        fs::create_dir_all(pgdata)?;
        fs::set_permissions(pgdata, fs::Permissions::from_mode(0o700))?;
        owner.give(pgdata)
    };
    fresh_pgdata()?;
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
        owner.apply(&mut cmd);
        cmd.output().context("running initdb")
    };
    let mut output = run("--locale=C.UTF-8")?;
    if !output.status.success() {
        // Some systems lack the C.UTF-8 locale; the plain C locale always exists.
        let _ = fs::remove_dir_all(pgdata);
        fresh_pgdata()?;
        output = run("--no-locale")?;
    }
    if !output.status.success() {
        let who = match owner.name() {
            Some(name) => format!(" as `{name}`"),
            None => String::new(),
        };
        bail!(
            "initdb{who} failed in {}:\n{}{}\nNothing was left behind. Set NEWSROOM_DATA_DIR to \
             a folder{who} can write to, or DATABASE_URL to an existing database.",
            pgdata.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

pub(super) fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    let mut file = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(content.as_bytes())?;
    Ok(())
}
