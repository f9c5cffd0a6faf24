//! The command line: `create-user` reads the password from standard input; `migrate` is idempotent.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::TestApp;

pub fn newsroom(database_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsroom");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[actix_web::test]
async fn create_user_reads_the_password_from_stdin_and_prints_the_id() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.outlet(&admin, "dawn").await;
    let url = app.database_url();
    let out = newsroom(
        &url,
        &[
            "create-user",
            "--email",
            "Desk@Dawn.example",
            "--name",
            "Dawn Desk",
            "--role",
            "editor",
            "--outlet",
            "dawn",
        ],
        "a password with spaces  \n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id: uuid::Uuid = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("the new user's id");
    let (role, outlets): (String, i64) = sqlx::query_as(
        "select u.role::text, (select count(*) from user_outlets where user_id = u.id) from users u where id = $1 and email = 'desk@dawn.example'",
    )
    .bind(id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!((role.as_str(), outlets), ("editor", 1));
    app.login("desk@dawn.example", "a password with spaces  ")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn create_user_refuses_a_short_password_and_an_unknown_outlet() {
    let app = TestApp::spawn().await;
    let url = app.database_url();
    let short = newsroom(
        &url,
        &[
            "create-user",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "writer",
        ],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"));
    let unknown = newsroom(
        &url,
        &[
            "create-user",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "writer",
            "--outlet",
            "nowhere",
        ],
        "long enough password\n",
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("nowhere"));
    assert_eq!(app.count("users").await, 0);
}

#[actix_web::test]
async fn migrate_applies_nothing_twice() {
    let app = TestApp::spawn().await;
    let url = app.database_url();
    for _ in 0..2 {
        let out = newsroom(&url, &["migrate"], "");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[actix_web::test]
async fn create_user_refuses_a_common_password_in_any_case() {
    let app = TestApp::spawn().await;
    let url = app.database_url();
    let args = [
        "create-user",
        "--email",
        "a@b.example",
        "--name",
        "A",
        "--role",
        "writer",
    ];
    let common = newsroom(&url, &args, "Qwerty123456\n");
    assert!(!common.status.success());
    let stderr = String::from_utf8_lossy(&common.stderr);
    assert!(stderr.contains("most common passwords"), "{stderr}");
    assert_eq!(app.count("users").await, 0);
}

#[actix_web::test]
async fn reset_never_wipes_a_database_it_was_given() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.outlet(&admin, "dawn").await;
    let out = newsroom(&app.database_url(), &["serve", "--demo", "--reset"], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--reset empties the embedded cluster"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.count("outlets").await, 1, "nothing was touched");
    let alone = newsroom(&app.database_url(), &["serve", "--reset"], "");
    assert!(!alone.status.success(), "--reset goes with --demo");
}

#[actix_web::test]
async fn mail_prints_the_latest_dropped_email_decoded_without_a_database() {
    let data = std::env::temp_dir().join(format!("newsroom-mail-{}", uuid::Uuid::now_v7()));
    let dir = data.clone();
    let app = TestApp::spawn_with(move |c| c.data_dir = dir).await;
    crate::subscriptions::newsletter(&app, "eastern-briefings").await;
    crate::subscriptions::sign_up(&app, "eastern-briefings", "reader@example.org")
        .await
        .assert_status(202);
    newsroom::email::Worker::new(&app.state.config)
        .unwrap()
        .run_once(&app.state)
        .await
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(["mail", "--last", "1"])
        .env_remove("DATABASE_URL")
        .env("NEWSROOM_DATA_DIR", &data)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("To:      reader@example.org"), "{printed}");
    assert!(
        printed.contains("Subject: Confirm your subscription to"),
        "{printed}"
    );
    let link = printed
        .lines()
        .find(|l| l.contains("/public/v1/subscriptions/confirm?token=nrsub_"))
        .unwrap_or_else(|| panic!("no link in {printed}"));
    let token = link.split("token=").nth(1).unwrap().trim();
    assert_eq!(
        token.len(),
        "nrsub_".len() + 43,
        "the link is whole: {link}"
    );
    std::fs::remove_dir_all(&data).ok();
}

#[actix_web::test]
async fn openapi_prints_the_served_document_without_a_database() {
    let app = TestApp::spawn().await;
    let served = app.get_with("/api/openapi.json", &[]).await.body;
    let out = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .arg("openapi")
        .env_remove("DATABASE_URL")
        .env("NEWSROOM_DATA_DIR", "/nonexistent/newsroom")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, served);
}
