//! A tiny real SMTP server on loopback for tests: it speaks just enough SMTP for lettre
//! (EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT) and records every
//! message it accepts. It runs on a thread of its own with its own tokio runtime, so it works
//! from any test, and stops when the [`SmtpSink`] is dropped.
//!
//! ```ignore
//! let sink = SmtpSink::start();
//! let app = TestApp::spawn_with(|c| c.smtp_url = Some(Secret::new(sink.url()))).await;
//! // … enqueue, then `email::Worker::new(&app.state.config)?.run_once(&app.state)` …
//! assert_eq!(sink.messages()[0].recipients, ["reader@example.org"]);
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message the sink accepted.
#[derive(Clone, Debug)]
pub struct Received {
    /// The envelope sender (`MAIL FROM`), without angle brackets.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets.
    pub recipients: Vec<String>,
    /// The message as sent after `DATA`, dot-unstuffed, lines ending in CRLF.
    pub data: String,
}

impl Received {
    /// The value of the first header `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((n, v)) = line.split_once(':') {
                if n.eq_ignore_ascii_case(name) {
                    value = Some(v.trim().to_owned());
                }
            }
        }
        value
    }
}

/// A running sink; stops when dropped.
pub struct SmtpSink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl SmtpSink {
    /// Starts a sink that accepts every message.
    pub fn start() -> SmtpSink {
        SmtpSink::failing_first(0)
    }

    /// Starts a sink that answers `451` to the first `failures` messages (at the end of
    /// `DATA`, without recording them), then accepts the rest.
    pub fn failing_first(failures: usize) -> SmtpSink {
        SmtpSink::troubled(failures, Trouble::TryLater)
    }

    /// Starts a sink that never answers the end of `DATA` of the first `stalls` messages
    /// (nor records them): the client waits, as it would on a server that died mid-way. Then
    /// it accepts the rest.
    pub fn stalling_first(stalls: usize) -> SmtpSink {
        SmtpSink::troubled(stalls, Trouble::Stall)
    }

    fn troubled(failures: usize, trouble: Trouble) -> SmtpSink {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        let port = listener.local_addr().expect("sink address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let failures = Arc::new(AtomicUsize::new(failures));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let got = received.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("sink runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("tokio listener");
                let accept = async {
                    while let Ok((stream, _)) = listener.accept().await {
                        tokio::spawn(session(stream, got.clone(), failures.clone(), trouble));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
        });
        SmtpSink {
            port,
            received,
            stop: Some(stop),
        }
    }

    /// `smtp://127.0.0.1:<port>`: a plain-text SMTP URL for `Config::smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// What the sink does to the first messages.
#[derive(Clone, Copy)]
enum Trouble {
    /// Answers `451`.
    TryLater,
    /// Never answers.
    Stall,
}

/// The address inside `<…>` of a `MAIL FROM:`/`RCPT TO:` argument.
fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg[start..].find('>').map_or(arg.len(), |i| start + i);
    arg[start..end].trim().to_owned()
}

/// One client connection: any number of transactions until QUIT or disconnect.
async fn session(
    stream: TcpStream,
    received: Arc<Mutex<Vec<Received>>>,
    failures: Arc<AtomicUsize>,
    trouble: Trouble,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut recipients: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => b"250 sink\r\n",
            "MAIL" => {
                from = address(&command[4..]);
                recipients.clear();
                b"250 OK\r\n"
            }
            // Addresses whose local part starts with `nosuchuser` do not exist here.
            "RCPT" if address(&command[4..]).starts_with("nosuchuser") => {
                b"550 5.1.1 no such user here\r\n"
            }
            "RCPT" => {
                recipients.push(address(&command[4..]));
                b"250 OK\r\n"
            }
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let fail = failures
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                let message = Received {
                    from: std::mem::take(&mut from),
                    recipients: std::mem::take(&mut recipients),
                    data,
                };
                if fail {
                    match trouble {
                        Trouble::TryLater => b"451 4.3.0 try again later\r\n",
                        Trouble::Stall => std::future::pending().await,
                    }
                } else {
                    received
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(message);
                    b"250 OK queued\r\n"
                }
            }
            "RSET" => {
                from.clear();
                recipients.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}
