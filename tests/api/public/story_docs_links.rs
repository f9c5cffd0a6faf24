//! A story read from its doc looks its translations up only when a story was linked to it
//! through `translation_of`, either way, when the doc was made (`story_docs.translated`).
//! A link made or removed, by a new story or an edit, forgets the doc of the story it points
//! to, so the read goes back to the tables and never misses a translation.

use serde_json::{json, Value};
use uuid::Uuid;

use super::create;
use super::story_docs::{doc, fresh, make};
use crate::helpers::{id_str, TestApp};

/// Whether the stored doc of a story says it may have translations.
async fn translated(app: &TestApp, id: &str) -> bool {
    sqlx::query_scalar("select translated from story_docs where article_id = $1")
        .bind(Uuid::parse_str(id).unwrap())
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// The slugs of the translations the public API lists for the story at `path`.
async fn translations(app: &TestApp, path: &str) -> Value {
    let body = fresh(app, path).await.body;
    body["translations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].clone())
        .collect()
}

#[actix_web::test]
async fn every_new_link_forgets_the_doc_of_the_story_it_points_to() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let original = app
        .published(&admin, &dawn, "Budget passes", json!({}))
        .await;
    let id = id_str(&original);
    let path = "/public/v1/outlets/dawn/articles/budget-passes";
    make(&app).await;
    assert!(!translated(&app, &id).await, "nothing is linked to it yet");
    assert_eq!(translations(&app, path).await, json!([]));

    // A new draft translating it: the original's doc is forgotten, made again with the flag.
    let (copy, _) = create(
        &app,
        &admin,
        &star,
        "Bajet diluluskan",
        json!({"language": "ms", "translation_of": id}),
    )
    .await;
    assert_eq!(doc(&app, &id).await, None, "a new link forgets the doc");
    assert!(translated(&app, &id).await, "and sets the flag");
    make(&app).await;
    assert!(translated(&app, &id).await);
    assert_eq!(
        translations(&app, path).await,
        json!([]),
        "a draft is no translation"
    );

    // Published, the translation shows on the original read from its (unchanged) doc.
    app.act(&admin.token, &copy, 1, "publish", None)
        .await
        .assert_status(200);
    assert!(doc(&app, &id).await.is_some());
    assert_eq!(translations(&app, path).await, json!(["bajet-diluluskan"]));

    // Unlinked by an edit: forgotten, read from the tables, then made without the flag.
    app.edit(&admin.token, &copy, 2, json!({"translation_of": null}))
        .await
        .assert_status(200);
    assert_eq!(doc(&app, &id).await, None, "a removed link forgets it too");
    assert_eq!(translations(&app, path).await, json!([]));
    make(&app).await;
    assert!(!translated(&app, &id).await);
    assert_eq!(translations(&app, path).await, json!([]));

    // Linked again by an edit: forgotten, so the translation is never missed.
    app.edit(&admin.token, &copy, 3, json!({"translation_of": id}))
        .await
        .assert_status(200);
    assert_eq!(doc(&app, &id).await, None, "an edit that links forgets it");
    assert_eq!(translations(&app, path).await, json!(["bajet-diluluskan"]));
    make(&app).await;
    assert!(translated(&app, &id).await);
    assert!(translated(&app, &copy).await, "a translation is linked");
    assert_eq!(translations(&app, path).await, json!(["bajet-diluluskan"]));
}
