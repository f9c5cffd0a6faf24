//! The embedded PostgreSQL default: created on first start, reused by the next, stopped
//! cleanly, and run by an unprivileged user when newsroom runs as root.

use std::os::unix::fs::MetadataExt;

use newsroom::db::embedded::{Durability, EmbeddedPostgres};
use sqlx::Connection;

fn run<F: std::future::Future<Output = T>, T>(f: F) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn the_embedded_cluster_is_created_reused_and_stopped() {
    let root = std::env::temp_dir().join(format!("newsroom-embedded-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);

    let first = EmbeddedPostgres::start(&root, Durability::Disposable)
        .expect("first start creates the cluster");
    let pgdata = root.join("pgdata");
    if nix::unistd::Uid::effective().is_root() {
        let owner = std::fs::metadata(&pgdata).unwrap().uid();
        assert_ne!(
            owner, 0,
            "as root, the cluster must belong to an unprivileged user"
        );
    }
    let password_mode = std::fs::metadata(root.join("password")).unwrap().mode() & 0o777;
    assert_eq!(password_mode, 0o600);
    let url = first.url();
    assert!(url.contains("@127.0.0.1:"), "loopback only: {url}");
    run(async {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query("create table kept (note text)")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("insert into kept values ('still here')")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    first.stop().unwrap();
    assert!(
        !pgdata.join("postmaster.pid").exists(),
        "a clean stop removes the pid file"
    );
    assert!(
        run(sqlx::PgConnection::connect(&url)).is_err(),
        "the server is gone"
    );

    let second = EmbeddedPostgres::start(&root, Durability::Disposable)
        .expect("second start reuses the data");
    let note: String = run(async {
        let mut conn = sqlx::PgConnection::connect(&second.url()).await.unwrap();
        sqlx::query_scalar("select note from kept")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    });
    assert_eq!(note, "still here");
    second.stop().unwrap();
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_missing_binaries_message_says_how_to_fix_it() {
    // The message is built whether or not binaries exist; check its advice through PATH-less lookup.
    let message = match newsroom::db::embedded::find_server_binaries() {
        Ok(dir) => {
            assert!(dir.join("initdb").is_file() && dir.join("postgres").is_file());
            return;
        }
        Err(err) => err.to_string(),
    };
    assert!(message.contains("DATABASE_URL") && message.contains("apt-get install postgresql"));
}
