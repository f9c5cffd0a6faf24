//! What `newsroom seed` runs and prints: the articles (then their public JSON, as a server
//! makes it in its first seconds) or the subscribers.

use anyhow::bail;

use super::EmbargoShare;
use crate::state::AppState;

/// `newsroom seed --articles N`: the articles, then their docs; what it did, on stdout.
pub async fn articles(
    state: &AppState,
    articles: u64,
    embargoed: EmbargoShare,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // Ctrl-C stops between statements: committed batches stay, and a new run goes on from them.
    let outcome = tokio::select! {
        outcome = super::run(state, articles, embargoed, true) => outcome?,
        _ = tokio::signal::ctrl_c() => {
            bail!("interrupted; the batches written so far are kept: run the command again to go on")
        }
    };
    let added = outcome.after - outcome.before;
    if added == 0 {
        println!(
            "{} seeded articles already there: nothing to do",
            super::grouped(outcome.before)
        );
    } else {
        println!(
            "seeded {} articles in {:.1}s ({} in all)",
            super::grouped(added),
            started.elapsed().as_secs_f64(),
            super::grouped(outcome.after)
        );
    }
    // The stories' public JSON, as a server would make it on its first seconds.
    let started = std::time::Instant::now();
    let made = crate::public::story_docs::make_due(&state.db).await?;
    if made > 0 {
        println!(
            "made {} story docs in {:.1}s",
            super::grouped(made as u64),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// `newsroom seed --subscribers N`: the subscribers; what it did, on stdout.
pub async fn subscribers(state: &AppState, n: i64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let outcome = super::subscribers::run(&state.db, n, state.clock.now()).await?;
    println!(
        "seeded {} subscribers in {:.1}s ({} in all)",
        outcome.after - outcome.before,
        started.elapsed().as_secs_f64(),
        outcome.after
    );
    Ok(())
}
