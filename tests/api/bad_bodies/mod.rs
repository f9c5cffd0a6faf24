//! Hostile request bodies and request lines: oversized (declared, undeclared, chunked),
//! compressed bombs, deep nesting, invalid UTF-8, huge arrays, and bodies that are not a JSON
//! object or hold a field of the wrong type. Each is a clear 4xx and changes nothing; none is
//! a 5xx, a panic or a memory blow-up. This file holds what the tests share: the rows a bad
//! body could create, and a raw connection for malformed requests.

mod huge_fields;
mod malformed_json;
mod oversized;
mod request_lines;
mod shapes;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::TestApp;

/// Rows a bad body could have created.
async fn footprint(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("outlets").await,
        app.count("articles").await,
        app.count("audit_entries").await,
    )
}

/// Sends `head` (request line and headers, without the blank line) and `body` over a raw
/// connection, as a client that ignores the server hanging up mid-body would, and returns
/// the status code and whatever followed it. Used where awc would refuse to send the
/// malformed request or give up on a write error before reading the answer.
async fn raw(app: &TestApp, head: &str, body: Vec<u8>) -> (u16, String) {
    let addr = app.url("/");
    let addr = addr
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let stream = TcpStream::connect(&addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let mut request = format!("{head}\r\nHost: {addr}\r\n\r\n").into_bytes();
    request.extend_from_slice(&body);
    let sender = tokio::spawn(async move {
        for chunk in request.chunks(64 * 1024) {
            if writer.write_all(chunk).await.is_err() {
                break;
            }
        }
        writer
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
        let text = String::from_utf8_lossy(&answer);
        if let Some((headers, rest)) = text.split_once("\r\n\r\n") {
            let length = headers
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if rest.len() >= length {
                break;
            }
        }
    }
    sender.abort();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

#[track_caller]
fn assert_client_error(status: u16, text: &str) {
    assert!((400..500).contains(&status), "{status}: {text}");
}
