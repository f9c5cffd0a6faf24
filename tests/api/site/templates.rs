//! `NEWSROOM_SITE_TEMPLATES`: a file in the folder named like a compiled-in `site/*` template
//! replaces it without a rebuild (the others stay as compiled); a broken folder stops `serve`
//! at startup with a message naming the file, before it listens.

use std::process::{Command, Stdio};
use std::time::Duration;

use minijinja::context;

use crate::helpers::TestApp;

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write a template");
    }
    dir
}

#[test]
fn a_file_replaces_the_template_of_its_name_and_the_others_stay() {
    let dir = folder(&[(
        "problem.html",
        "{% extends \"site/layout.html\" %}{% block content %}<p class=\"ours\">{{ title }}</p>{% endblock %}",
    )]);
    let (env, replaced) =
        newsroom::templates::with_site_folder(dir.path()).expect("the folder loads");
    assert_eq!(replaced, vec!["site/problem.html"]);
    let frame = context! { site_name => "The Alliance", base => "", sections => Vec::<()>::new(),
    newsletter => (), feed => (), feeds => Vec::<()>::new(), look => () };
    let page = env
        .get_template("site/problem.html")
        .and_then(|t| t.render(context! { title => "<Gone>", message => "", frame }))
        .expect("renders");
    assert!(
        page.contains("<p class=\"ours\">&lt;Gone&gt;</p>"),
        "{page}"
    );
    assert!(
        page.contains("Skip to content"),
        "the compiled layout stays: {page}"
    );
}

#[test]
fn a_broken_or_stray_file_is_an_error_naming_it() {
    let broken = folder(&[("front.html", "{% if %}")]);
    let err = newsroom::templates::with_site_folder(broken.path())
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(
        err.contains("front.html") && err.contains("does not compile"),
        "{err}"
    );
    let stray = folder(&[("fronts.html", "hello")]);
    let err = newsroom::templates::with_site_folder(stray.path())
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(
        err.contains("fronts.html") && err.contains("front.html"),
        "{err}"
    );
    let missing = std::path::Path::new("/nonexistent/newsroom-templates");
    assert!(newsroom::templates::with_site_folder(missing).is_err());
}

fn serve(app: &TestApp, dir: &std::path::Path, port: u16) -> std::process::Child {
    let data = std::env::temp_dir().join(format!("newsroom-site-{}", uuid::Uuid::now_v7()));
    Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .arg("serve")
        .env("DATABASE_URL", app.database_url())
        .env("NEWSROOM_ADDR", format!("127.0.0.1:{port}"))
        .env("NEWSROOM_DATA_DIR", &data)
        .env("NEWSROOM_METRICS_ADDR", "127.0.0.1:0")
        .env("NEWSROOM_SITE_TEMPLATES", dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsroom serve")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[actix_web::test]
async fn serve_uses_the_folder_and_refuses_to_start_with_a_broken_one() {
    let app = TestApp::spawn().await;
    let broken = folder(&[("story.html", "{% block content %}")]);
    let out = serve(&app, broken.path(), free_port())
        .wait_with_output()
        .expect("serve ends");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a broken template stops serve");
    assert!(
        log.contains("story.html") && log.contains("does not compile"),
        "{log}"
    );

    let good = folder(&[(
        "front.html",
        "{% extends \"site/layout.html\" %}{% block content %}<h1>Our own front page</h1>{% endblock %}",
    )]);
    let port = free_port();
    let server = serve(&app, good.path(), port);
    let client = reqwest::Client::new();
    let mut front = String::new();
    for _ in 0..400 {
        if let Ok(res) = client.get(format!("http://127.0.0.1:{port}/")).send().await {
            let status = res.status();
            front = format!("{status} {}", res.text().await.unwrap_or_default());
            if status == 200 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let out = server.wait_with_output().ok();
    let log = out
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .unwrap_or_default();
    assert!(
        front.contains("<h1>Our own front page</h1>"),
        "{front} {log}"
    );
    assert!(
        front.contains("Skip to content"),
        "the compiled layout stays"
    );
}
