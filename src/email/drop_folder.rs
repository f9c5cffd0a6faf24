//! The `.eml` drop folder (mail without `SMTP_URL`) read back for people. The files hold the
//! bodies quoted-printable, which breaks long links across lines (`=` at each break), so a
//! developer cannot copy a confirmation link out of one. `newsroom mail` prints the latest
//! emails decoded instead (mail-parser does the MIME), and the worker logs each dropped
//! email's links as it writes it ([`links`]).

use std::path::{Path, PathBuf};

use anyhow::Context;
use mail_parser::MessageParser;

/// One email of the drop folder, decoded.
#[derive(Debug)]
pub struct Readable {
    pub file: PathBuf,
    pub date: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    /// The plain-text part, decoded.
    pub text: String,
}

/// The `count` newest emails of `dir`, oldest first (so the newest ends up next to the
/// prompt). The files are named by their UUID v7, so their names sort by time.
pub fn latest(dir: &Path, count: usize) -> anyhow::Result<Vec<Readable>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("reading {}", dir.display())),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(".");
            // `.<id>.eml.tmp` is a message still being written.
            !name.starts_with('.') && name.ends_with(".eml")
        })
        .collect();
    files.sort();
    let newest = &files[files.len().saturating_sub(count)..];
    newest.iter().map(|file| read(file)).collect()
}

fn read(file: &Path) -> anyhow::Result<Readable> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let message = MessageParser::default()
        .parse(&bytes)
        .with_context(|| format!("{} is not an email", file.display()))?;
    let mailbox = |address: Option<&mail_parser::Address<'_>>| {
        address
            .and_then(|a| a.first())
            .map(|addr| match (addr.name(), addr.address()) {
                (Some(name), Some(address)) => format!("{name} <{address}>"),
                (None, Some(address)) => address.to_owned(),
                (name, None) => name.unwrap_or_default().to_owned(),
            })
            .unwrap_or_default()
    };
    Ok(Readable {
        file: file.to_owned(),
        date: message.date().map(|d| d.to_rfc3339()).unwrap_or_default(),
        from: mailbox(message.from()),
        to: mailbox(message.to()),
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
    })
}

/// An email as `newsroom mail` prints it: the headers a person looks for, then the text.
pub fn show(mail: &Readable) -> String {
    format!(
        "── {}\nDate:    {}\nFrom:    {}\nTo:      {}\nSubject: {}\n\n{}\n",
        mail.file.display(),
        mail.date,
        mail.from,
        mail.to,
        mail.subject,
        mail.text.trim_end()
    )
}

/// The web links of a plain-text body, whole: what a developer copies from the log.
pub fn links(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c| matches!(c, '<' | '>' | '(' | ')' | '"' | ',')))
        .filter(|word| word.starts_with("https://") || word.starts_with("http://"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::transport::{build, Envelope, Parts};

    #[test]
    fn a_dropped_email_reads_back_with_its_long_link_whole() {
        let dir = std::env::temp_dir().join(format!("newsroom-drop-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let link = format!(
            "http://127.0.0.1:8080/public/v1/subscriptions/confirm?token=nrsub_{}",
            "A".repeat(43)
        );
        let from = "newsroom <newsroom@localhost>".parse().unwrap();
        let mut ids = Vec::new();
        for subject in ["First", "Confirm your subscription to Eastern Briefings"] {
            let id = uuid::Uuid::now_v7();
            let envelope = Envelope {
                id,
                from: &from,
                date: chrono::Utc::now(),
            };
            let text = format!("Hello Mei,\n\nConfirm here: {link}\n");
            let parts = Parts {
                to: "reader@example.org",
                subject,
                text: &text,
                html: "<p>Confirm</p>",
                headers: &[],
            };
            let raw = build(&envelope, &parts).unwrap().formatted();
            std::fs::write(dir.join(format!("{id}.eml")), raw).unwrap();
            ids.push(id);
        }
        std::fs::write(dir.join(".partial.eml.tmp"), b"half").unwrap();

        let mail = latest(&dir, 1).unwrap();
        assert_eq!(mail.len(), 1, "only the newest");
        assert_eq!(
            mail[0].subject,
            "Confirm your subscription to Eastern Briefings"
        );
        assert_eq!(mail[0].to, "reader@example.org");
        assert_eq!(links(&mail[0].text), [link.as_str()], "{}", mail[0].text);
        assert!(show(&mail[0]).contains(&link));
        assert_eq!(latest(&dir, 10).unwrap().len(), 2);
        assert!(latest(&dir.join("none"), 10).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
