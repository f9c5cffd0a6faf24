//! Builds RFC 5322 messages with lettre and sends them: over SMTP when `SMTP_URL` is set
//! (`smtp://host:port` in the clear, `smtp://…?tls=required` for STARTTLS, `smtps://` for
//! TLS from the start, rustls either way), otherwise into `<data_dir>/mail/<id>.eml`, so a
//! development machine needs no mail server and nothing is lost.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use uuid::Uuid;

use crate::config::Config;

/// How long one SMTP command may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Headers the message builder sets itself; `Message.headers` may not add a second one.
const RESERVED: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

/// Where emails go.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The folder `.eml` files are written to.
    Drop(PathBuf),
}

/// What the email needs besides its row: the sender and when it is sent.
pub struct Envelope<'a> {
    pub id: Uuid,
    pub from: &'a Mailbox,
    pub date: DateTime<Utc>,
}

/// The parts of one email, as stored in the outbox.
pub struct Parts<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub headers: &'a [(String, String)],
}

/// Checks that `SMTP_URL`, when set, is an SMTP URL lettre accepts.
pub fn check(config: &Config) -> anyhow::Result<()> {
    if let Some(url) = &config.smtp_url {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            .context("SMTP_URL is not a valid SMTP URL")?;
    }
    Ok(())
}

impl Transport {
    /// SMTP when `SMTP_URL` is set, else the drop folder `<data_dir>/mail`.
    pub fn new(config: &Config) -> anyhow::Result<Transport> {
        match &config.smtp_url {
            Some(url) => {
                // The URL may hold a password: lettre's error does not echo it, neither do we.
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .context("SMTP_URL is not a valid SMTP URL")?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Ok(Transport::Smtp(transport))
            }
            None => Ok(Transport::Drop(config.data_dir.join("mail"))),
        }
    }

    /// A short name for logs: `smtp` or the drop folder.
    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Drop(dir) => format!("files in {}", dir.display()),
        }
    }

    /// With the drop folder only (a development machine): logs the links of a confirmation
    /// email, decoded and whole, for copying (the `.eml` file breaks them across lines), and
    /// where the file is; not the recipient (never logged). Newsletter issues are left out (a
    /// line per reader), and with SMTP the links (single-use tokens) stay out of the logs.
    pub fn log_links(&self, id: Uuid, kind: &str, parts: &Parts<'_>) {
        let Transport::Drop(dir) = self else { return };
        if kind != "confirm" {
            return;
        }
        let file = dir.join(format!("{id}.eml"));
        for link in super::drop_folder::links(parts.text) {
            tracing::info!(email = %id, file = %file.display(), "confirmation link: {link}");
        }
    }

    /// Sends one message; the error says why it did not go (for `last_error`).
    pub async fn send(&self, id: Uuid, message: lettre::Message) -> anyhow::Result<()> {
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
                Ok(())
            }
            Transport::Drop(dir) => {
                let dir = dir.clone();
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_atomically(&dir, id, &bytes))
                    .await
                    .context("the file writer stopped")?
            }
        }
    }
}

/// Writes `<dir>/<id>.eml` through a temporary file and a rename, so a reader of the folder
/// never sees half a message.
fn write_atomically(dir: &Path, id: Uuid, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("{id}.eml"));
    let temp = dir.join(format!(".{id}.eml.tmp"));
    std::fs::write(&temp, bytes).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, &path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}

/// The multipart/alternative message (text, then HTML) with its Message-ID
/// `<id@sender's domain>` and the extra headers. An error here is the message's own fault
/// (a bad address or header) and will not go away on a retry.
pub fn build(envelope: &Envelope<'_>, parts: &Parts<'_>) -> anyhow::Result<lettre::Message> {
    let to: Mailbox = parts
        .to
        .parse()
        .with_context(|| format!("invalid recipient {:?}", parts.to))?;
    let domain = envelope.from.email.domain();
    let mut message = lettre::Message::builder()
        .from(envelope.from.clone())
        .to(to)
        .subject(parts.subject)
        .date(envelope.date.into())
        .message_id(Some(format!("<{}@{domain}>", envelope.id)))
        .multipart(MultiPart::alternative_plain_html(
            parts.text.to_owned(),
            parts.html.to_owned(),
        ))
        .context("building the message")?;
    for (name, value) in parts.headers {
        if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
            anyhow::bail!("header {name} is set by newsroom itself");
        }
        if value.contains(['\r', '\n']) {
            anyhow::bail!("header {name} has a line break in its value");
        }
        let name = HeaderName::new_from_ascii(name.clone())
            .map_err(|_| anyhow::anyhow!("invalid header name {name:?}"))?;
        message
            .headers_mut()
            .insert_raw(HeaderValue::new(name, value.clone()));
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> Mailbox {
        "Eastern Briefings <news@briefings.example>"
            .parse()
            .expect("a mailbox")
    }

    fn parts<'a>(to: &'a str, headers: &'a [(String, String)]) -> Parts<'a> {
        Parts {
            to,
            subject: "Confirm",
            text: "plain words",
            html: "<p>html words</p>",
            headers,
        }
    }

    #[test]
    fn a_message_is_multipart_with_its_id_and_extra_headers() {
        let id = Uuid::now_v7();
        let from = from();
        let env = Envelope {
            id,
            from: &from,
            date: Utc::now(),
        };
        let headers = vec![(
            "List-Unsubscribe".to_owned(),
            "<https://news.example/u?t=1>".to_owned(),
        )];
        let message = build(&env, &parts("reader@example.org", &headers)).expect("builds");
        let raw = String::from_utf8(message.formatted()).expect("utf-8");
        assert!(
            raw.contains(&format!("Message-ID: <{id}@briefings.example>")),
            "{raw}"
        );
        assert!(
            raw.contains("List-Unsubscribe: <https://news.example/u?t=1>"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(
            raw.contains("text/plain") && raw.contains("text/html"),
            "{raw}"
        );
        assert!(
            raw.contains("From: \"Eastern Briefings\" <news@briefings.example>"),
            "{raw}"
        );
    }

    #[test]
    fn a_dropped_confirmation_logs_its_link_whole_and_an_issue_logs_none() {
        use std::sync::{Arc, Mutex};

        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let link = format!(
            "http://127.0.0.1:8080/public/v1/subscriptions/confirm?token=nrsub_{}",
            "b".repeat(43)
        );
        let text = format!("To confirm, open this link:\n\n{link}\n");
        let drop = Transport::Drop(PathBuf::from("/tmp/mail"));
        let id = Uuid::now_v7();
        tracing::subscriber::with_default(subscriber, || {
            drop.log_links(
                id,
                "confirm",
                &Parts {
                    text: &text,
                    ..parts("r@example.org", &[])
                },
            );
            drop.log_links(
                id,
                "newsletter",
                &Parts {
                    text: &text,
                    ..parts("r@example.org", &[])
                },
            );
        });
        let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert_eq!(log.matches(&link).count(), 1, "{log}");
        assert!(log.contains(&format!("/tmp/mail/{id}.eml")), "{log}");
    }

    #[test]
    fn bad_recipients_and_headers_are_refused() {
        let from = from();
        let env = Envelope {
            id: Uuid::now_v7(),
            from: &from,
            date: Utc::now(),
        };
        assert!(build(&env, &parts("not an address", &[])).is_err());
        for (name, value) in [
            ("Bcc", "x@example.org"),
            ("Bad Name", "v"),
            ("X-Ok", "a\r\nBcc: x"),
        ] {
            let headers = vec![(name.to_owned(), value.to_owned())];
            assert!(
                build(&env, &parts("r@example.org", &headers)).is_err(),
                "{name}"
            );
        }
    }
}
