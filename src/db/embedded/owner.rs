//! Who runs the cluster, and where its files can live. PostgreSQL refuses to run as root, so
//! as root the cluster runs as `postgres` (or `nobody`), and that user must be able to enter
//! every folder above its files. Root's usual data folder, a clone under `/root` (mode 0700),
//! is not enterable: then the cluster lives under the system's state folder instead, in a
//! folder named after the data folder's canonical path, so every start finds the same one.

use std::fs;
use std::os::unix::fs::{chown, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use nix::unistd::{Uid, User};
use sha2::{Digest, Sha256};

/// Where clusters of unreachable data folders live, in order of preference: the system's
/// state folder, then its temporary folder that survives a reboot.
const RELOCATED: [&str; 2] = ["/var/lib/newsroom/embedded", "/var/tmp/newsroom-embedded"];

/// The unprivileged account the cluster runs as (None: the current user).
pub(super) struct Owner {
    pub(super) user: Option<User>,
}

pub(super) fn cluster_owner() -> anyhow::Result<Owner> {
    if !Uid::effective().is_root() {
        return Ok(Owner { user: None });
    }
    for name in ["postgres", "nobody"] {
        if let Some(user) = User::from_name(name)? {
            return Ok(Owner { user: Some(user) });
        }
    }
    bail!(
        "running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as; \
         create one, or set DATABASE_URL to an existing database"
    )
}

impl Owner {
    /// The name of the user the cluster runs as, for messages.
    pub(super) fn name(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.name.as_str())
    }

    /// Whether the cluster's user can enter `dir` (every folder above it included), asked of
    /// the system itself by a shell running as that user, so groups and ACLs count.
    pub(super) fn can_enter(&self, dir: &Path) -> bool {
        if self.user.is_none() {
            return true;
        }
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "cd \"$1\"", "sh"])
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.apply(&mut cmd);
        cmd.status().is_ok_and(|s| s.success())
    }

    /// Runs `cmd` as the cluster's user.
    pub(super) fn apply(&self, cmd: &mut Command) {
        if let Some(user) = &self.user {
            cmd.uid(user.uid.as_raw())
                .gid(user.gid.as_raw())
                .env("HOME", &user.dir);
        }
    }

    /// Hands `path` to the cluster's user.
    pub(super) fn give(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(user) = &self.user {
            chown(path, Some(user.uid.as_raw()), Some(user.gid.as_raw()))
                .with_context(|| format!("handing {} to {}", path.display(), user.name))?;
        }
        Ok(())
    }
}

/// The folder of the cluster asked for at `root` (`<data dir>/postgres`): `root` itself when
/// the cluster's user can reach it, else a folder of its own under [`RELOCATED`].
pub(super) fn cluster_root(root: &Path, owner: &Owner) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
    let root = root.canonicalize()?;
    if owner.can_enter(&root) {
        return Ok(root);
    }
    let mut refused = Vec::new();
    for base in RELOCATED {
        let candidate = Path::new(base).join(relocated_name(&root));
        match prepare_relocated(&candidate, owner) {
            Ok(()) => {
                // Nothing of the cluster stays in the unreachable folder.
                let _ = fs::remove_dir(&root);
                tracing::info!(
                    asked = %root.display(),
                    dir = %candidate.display(),
                    user = owner.name().unwrap_or("?"),
                    "the embedded PostgreSQL's user cannot enter the data folder (a folder above it is private); its cluster lives in `dir` instead, keyed by the data folder"
                );
                return Ok(candidate);
            }
            Err(err) => refused.push(format!("{}: {err:#}", candidate.display())),
        }
    }
    bail!(
        "the embedded PostgreSQL runs as `{}`, which cannot enter {} (a folder above it is \
         private, as /root is), and no folder of its own could be made ({}). Set \
         NEWSROOM_DATA_DIR to a folder `{0}` can enter (e.g. /var/lib/newsroom), or DATABASE_URL \
         to an existing database",
        owner.name().unwrap_or("?"),
        root.display(),
        refused.join("; ")
    )
}

/// `<last component>-<16 hex digits of the SHA-256 of the canonical path>`: one folder per
/// data folder, readable in a listing.
fn relocated_name(root: &Path) -> String {
    let digest = Sha256::digest(root.as_os_str().as_encoded_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let data_dir = root
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("newsroom");
    let label: String = data_dir
        .trim_start_matches('.')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    format!("{label}-{hex}")
}

/// Makes `dir` (root's, 0711: the cluster's user may pass through, not list) and checks that
/// the cluster's user can enter it.
fn prepare_relocated(dir: &Path, owner: &Owner) -> anyhow::Result<()> {
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::create_dir_all(dir)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o711))?;
    if !owner.can_enter(dir) {
        bail!("its user cannot enter it");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relocated_cluster_is_named_after_its_data_folder() {
        let a = relocated_name(Path::new("/root/newsroom/.newsroom/postgres"));
        let b = relocated_name(Path::new("/root/other/.newsroom/postgres"));
        assert!(
            a.starts_with("newsroom-") && a.len() == "newsroom-".len() + 16,
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(
            a,
            relocated_name(Path::new("/root/newsroom/.newsroom/postgres"))
        );
    }
}
