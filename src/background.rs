//! CPU-heavy work that must not slow the readers: argon2 hashing (`auth::password`) and
//! decoding and drawing pictures (`media`). Each job runs on a thread of its own, off the
//! async workers, at a lower CPU priority ([`NICE`]), so under load the kernel serves the
//! threads that answer requests first: a storm of logins slows logins, and a 24 MP photo
//! being processed gets a smaller share of the cores than the requests around it.
//! How many jobs run at once is each caller's business (their slots). tokio's blocking pool
//! would not do: its threads are shared with other blocking work, and an unprivileged
//! process cannot raise a thread's priority again once it has lowered it.

use anyhow::anyhow;

use crate::error::Result;

/// The nice value of the background threads: the lowest weight a normal thread can have
/// (about 1.5 % of a normal thread's when both want the core).
pub const NICE: i32 = 19;

/// The longest a background thread runs before the scheduler looks again (Linux 6.6+'s EEVDF
/// honours a thread's requested slice; older kernels ignore it): a request thread that wakes
/// while a picture is being drawn waits for at most this much of it, not a whole default slice
/// (3 ms on two cores) at every wake-up. Measured in docs/media.md.
pub const SLICE_NS: u64 = 100_000;

/// Runs `work` on a new thread named `name` at nice [`NICE`] and waits for its result. A
/// panic in `work` is an error, as from `spawn_blocking`.
pub async fn run<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            lower_priority();
            let _ = tx.send(work());
        })
        .map_err(|e| anyhow!("starting a {name} thread: {e}"))?;
    rx.await
        .map_err(|e| anyhow!("the {name} thread stopped without an answer: {e}").into())
}

/// Lowers this thread's priority (on Linux, nice applies per thread) and asks for a short
/// slice. Best effort: a kernel that refuses the slice still gets the nice value, and a
/// thread that cannot be lowered works at normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on this thread's own id (0: the caller), with a pointer to a
    // fully initialised `sched_attr` that outlives the call.
    unsafe {
        let attr = libc::sched_attr {
            size: std::mem::size_of::<libc::sched_attr>() as u32,
            sched_policy: libc::SCHED_OTHER as u32,
            sched_flags: 0,
            sched_nice: NICE,
            sched_priority: 0,
            sched_runtime: SLICE_NS,
            sched_deadline: 0,
            sched_period: 0,
        };
        let set = libc::syscall(libc::SYS_sched_setattr, 0, &attr as *const libc::sched_attr, 0);
        if set != 0 {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            let current = libc::getpriority(libc::PRIO_PROCESS, tid);
            libc::setpriority(libc::PRIO_PROCESS, tid, current.max(NICE));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_work_runs_below_the_readers_priority() {
        // SAFETY: reads the priority of the calling thread.
        let own = || unsafe {
            libc::getpriority(
                libc::PRIO_PROCESS,
                libc::syscall(libc::SYS_gettid) as libc::id_t,
            )
        };
        let here = own();
        let there = run("test", own).await.unwrap();
        assert!(there >= NICE, "background thread at nice {there}");
        assert_eq!(own(), here, "the caller's priority is unchanged");
    }

    #[tokio::test]
    async fn a_panic_is_an_error_not_a_hang() {
        let answer: Result<()> = run("test", || panic!("boom")).await;
        assert!(answer.is_err());
    }
}
