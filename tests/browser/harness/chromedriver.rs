//! Finding Chromium and chromedriver on this machine, the skipping rule when they are missing,
//! and one chromedriver process per browser, in a process group of its own so that it and the
//! Chromium it starts end with the test, even one that panicked.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

/// The variable that makes a missing browser a failure rather than a skip (`.ci/run` sets it).
pub const REQUIRED_VAR: &str = "NEWSROOM_BROWSER_TESTS";

/// The programs a browser test needs.
pub(super) struct Programs {
    pub(super) chromedriver: PathBuf,
    pub(super) chromium: PathBuf,
}

/// The programs, or `None` (after saying so once) when one is missing and the suite is not
/// required. A required suite with a missing program panics: CI must not pass by skipping.
pub(super) fn programs() -> Option<Programs> {
    let found = find(&["chromedriver"], "chromium-driver").and_then(|chromedriver| {
        let chromium = find(&["chromium", "chromium-browser"], "chromium")?;
        Ok(Programs {
            chromedriver,
            chromium,
        })
    });
    match found {
        Ok(programs) => Some(programs),
        Err(missing) => {
            let required = std::env::var(REQUIRED_VAR).is_ok_and(|v| v == "required");
            assert!(
                !required,
                "{REQUIRED_VAR}=required but {missing} is not installed \
                 (apt-get install chromium chromium-driver)"
            );
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                // Straight to the process's stderr: the test harness captures `eprintln!`
                // of passing tests, and a skip must be seen.
                let _ = writeln!(
                    std::io::stderr(),
                    "browser tests SKIPPED: {missing} not installed \
                     (set {REQUIRED_VAR}=required to make this a failure)"
                );
            });
            None
        }
    }
}

/// The first of `names` on `PATH`, or the Debian package that provides it.
fn find(names: &[&str], package: &'static str) -> Result<PathBuf, &'static str> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| is_executable(candidate))
        .ok_or(package)
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A running chromedriver on a loopback port; killed with its whole process group (the
/// Chromium it started included) when dropped.
pub(super) struct Driver {
    child: Child,
    pub(super) url: String,
}

impl Driver {
    /// Starts chromedriver on a free loopback port and waits until it answers.
    pub(super) fn start(programs: &Programs) -> Driver {
        let mut last_error = String::new();
        // A port found free may be taken before chromedriver binds it: try a few.
        for _ in 0..5 {
            let port = free_port();
            let child = Command::new(&programs.chromedriver)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn();
            let child = match child {
                Ok(child) => child,
                Err(err) => panic!("cannot start {}: {err}", programs.chromedriver.display()),
            };
            let mut driver = Driver {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            match driver.wait_until_listening(port) {
                Ok(()) => return driver,
                Err(err) => last_error = err,
            }
        }
        panic!("chromedriver did not start: {last_error}");
    }

    fn wait_until_listening(&mut self, port: u16) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status}"));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err("it did not listen within 20 s".into())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // The group is chromedriver's own (`process_group(0)`): its id is chromedriver's.
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|err| panic!("no free loopback port: {err}"))
}
