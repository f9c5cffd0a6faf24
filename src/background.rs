//! CPU-heavy work that must not slow the readers: argon2 hashing (`auth::password`). Each
//! job runs on a thread of its own, off the async workers, at a lower CPU priority
//! ([`NICE`]), so under load the kernel serves the threads that answer requests first: a
//! storm of logins slows logins. (Pictures, seconds of CPU each, go further: a process of
//! their own, `media::draw_child`.)
//! How many jobs run at once is each caller's business (their slots). tokio's blocking pool
//! would not do: its threads are shared with other blocking work, and an unprivileged
//! process cannot raise a thread's priority again once it has lowered it.

use anyhow::anyhow;

use crate::error::Result;

/// The nice value of the background threads: a weight of about a tenth of a normal thread's.
pub const NICE: i32 = 10;

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

/// Lowers this thread's priority (on Linux, nice applies per thread). Best effort: a thread
/// that cannot be lowered works at normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on this thread's own id, with no pointers.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let current = libc::getpriority(libc::PRIO_PROCESS, tid);
        libc::setpriority(libc::PRIO_PROCESS, tid, current.max(NICE));
    }
}

/// The CPU time this thread has used (what a job costs, whatever else ran beside it); on
/// systems without per-thread clocks, the time since an arbitrary instant of this process.
pub fn thread_cpu_time() -> std::time::Duration {
    #[cfg(target_os = "linux")]
    {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: writes one timespec we own.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0 {
            return std::time::Duration::new(
                u64::try_from(now.tv_sec).unwrap_or(0),
                u32::try_from(now.tv_nsec).unwrap_or(0),
            );
        }
    }
    static START: std::sync::LazyLock<std::time::Instant> =
        std::sync::LazyLock::new(std::time::Instant::now);
    START.elapsed()
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

    #[test]
    fn a_thread_s_cpu_time_counts_its_work_not_its_sleep() {
        let start = thread_cpu_time();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let slept = thread_cpu_time() - start;
        let mut x = 0u64;
        let busy = std::time::Instant::now();
        while busy.elapsed() < std::time::Duration::from_millis(30) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let worked = thread_cpu_time() - start - slept;
        assert!(slept < std::time::Duration::from_millis(10), "{slept:?}");
        assert!(worked >= std::time::Duration::from_millis(1), "{worked:?}");
    }

    #[tokio::test]
    async fn a_panic_is_an_error_not_a_hang() {
        let answer: Result<()> = run("test", || panic!("boom")).await;
        assert!(answer.is_err());
    }
}
