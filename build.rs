//! `sqlx::migrate!` embeds `migrations/` at compile time: rebuild when a migration is added or
//! changed, not only when a source file is. And the commit the binary is built from, for the
//! `newsroom_build_info` metric: `NEWSROOM_GIT_COMMIT` when the build sets it (the container
//! image, which has no `.git`), else `git rev-parse`, else `unknown`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_owned())
}

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-env-changed=NEWSROOM_GIT_COMMIT");
    let given = std::env::var("NEWSROOM_GIT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty());
    let commit = given
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it points at (a commit).
    // Without these lines cargo would rerun this script on any change in the package instead.
    // Only files that exist: cargo counts a missing one as changed on every build (a clone
    // has no packed-refs until git packs, or its branch only in packed-refs), which rebuilt
    // the crate on every cargo command.
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    for path in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
        if let Some(file) = git(&["rev-parse", "--git-path", path]) {
            if std::path::Path::new(&file).exists() {
                println!("cargo:rerun-if-changed={file}");
            }
        }
    }
    println!("cargo:rustc-env=NEWSROOM_GIT_COMMIT={commit}");
}
