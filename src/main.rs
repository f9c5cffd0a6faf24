//! The `newsroom` binary: parse the command line, read the settings, start logging, run.

use std::process::ExitCode;

use clap::Parser;
use newsroom::cli::{self, Cli};
use newsroom::config::Config;
use newsroom::telemetry;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(code) = cli.picture_process() {
        return code;
    }
    return_freed_blocks_to_the_system();
    let _ = dotenvy::dotenv();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("newsroom: invalid settings: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let telemetry = telemetry::init(&config);
    let outcome = cli::run(cli, config).await;
    // Off the runtime's thread: the exporter's last post runs on a thread of its own.
    let _ = actix_web::rt::task::spawn_blocking(move || telemetry.shutdown()).await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("newsroom: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Each argon2id verification takes a 19 MiB block on whichever blocking thread runs it. With
/// glibc's dynamic mmap threshold such blocks end up in per-thread arenas and stay there once
/// freed: a storm of logins took the server to 700 MB peak RSS with one hashing slot, 53 MB
/// with a fixed threshold (bench/results/2026-11-29-performance-notes.md). Blocks of 1 MiB and
/// more are then always mapped on their own and returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_blocks_to_the_system() {
    // SAFETY: mallopt only changes a setting of the allocator; it takes the allocator's lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_blocks_to_the_system() {}
