//! The embedded PostgreSQL default: created on first start, reused by the next, stopped
//! cleanly, and run by an unprivileged user when newsroom runs as root.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

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

#[test]
fn as_root_a_data_folder_its_user_cannot_enter_gets_a_cluster_where_that_user_can() {
    if !nix::unistd::Uid::effective().is_root() {
        // Only root switches the cluster to another user; nothing to relocate otherwise.
        return;
    }
    // A clone under a private home folder, as /root is (0700).
    let home = std::env::temp_dir().join(format!("newsroom-private-home-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let data_dir = home.join("clone/.newsroom");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    let root = data_dir.join("postgres");

    let first = EmbeddedPostgres::start(&root, Durability::Disposable)
        .expect("the first start works unchanged");
    let moved = first.data_dir().to_owned();
    assert!(
        moved.starts_with("/var/lib/newsroom/embedded")
            || moved.starts_with("/var/tmp/newsroom-embedded"),
        "{}",
        moved.display()
    );
    assert!(moved.join("pgdata/PG_VERSION").exists());
    assert!(
        !root.exists(),
        "nothing half-made stays in the private folder"
    );
    run(async {
        let mut conn = sqlx::PgConnection::connect(&first.url()).await.unwrap();
        sqlx::query("create table kept (note text)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    first.stop().unwrap();

    let second = EmbeddedPostgres::start(&root, Durability::Disposable)
        .expect("the next start finds the same cluster");
    assert_eq!(second.data_dir(), moved, "keyed by the data folder");
    run(async {
        let mut conn = sqlx::PgConnection::connect(&second.url()).await.unwrap();
        sqlx::query("select * from kept")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    second.stop().unwrap();
    let _ = std::fs::remove_dir_all(&moved);
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_half_made_cluster_left_by_a_failed_first_start_is_replaced() {
    let root = std::env::temp_dir().join(format!("newsroom-half-made-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("pgdata")).unwrap();
    std::fs::write(root.join("pgdata/postgresql.conf"), "# half made").unwrap();

    let cluster = EmbeddedPostgres::start(&root, Durability::Disposable)
        .expect("a start after a failed one begins afresh");
    assert!(root.join("pgdata/PG_VERSION").exists());
    run(async {
        let conn = sqlx::PgConnection::connect(&cluster.url()).await.unwrap();
        conn.close().await.unwrap();
    });
    cluster.stop().unwrap();
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_test_process_on_the_embedded_cluster_removes_it_when_it_exits() {
    // Runs one quick test of this binary in a process of its own, on the embedded cluster.
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "operations::liveness_and_readiness_answer_200_with_a_database",
        ])
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let folder = std::env::temp_dir().join(format!("newsroom-test-{pid}"));
    assert!(!folder.exists(), "{} was left behind", folder.display());
}
