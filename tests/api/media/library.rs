//! The library: list, search and page within the caller's outlets; PATCH with `If-Match`;
//! DELETE of an unused picture (its files go with the last picture of its master); the 409
//! for a picture a story uses; the audit trail.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::{json, Value};

use super::{form, hrefs, id, pictures, settled, upload, PictureDesk};
use crate::helpers::id_str;

async fn patch(
    desk: &PictureDesk,
    token: &str,
    picture: &Value,
    etag: Option<&str>,
    body: Value,
) -> crate::helpers::Res {
    let path = format!("/api/v1/media/{}", id(picture));
    let headers: Vec<(&str, &str)> = etag.map(|e| ("if-match", e)).into_iter().collect();
    desk.app
        .call_with(Method::PATCH, &path, token, Some(body), &headers)
        .await
}

#[actix_web::test]
async fn the_library_lists_searches_and_pages_within_the_callers_outlets() {
    let desk = PictureDesk::new().await;
    let outlet = desk.outlet.to_string();
    for (i, caption) in [
        "Monsoon over the Buriganga",
        "Cricket at Mirpur",
        "Monsoon traffic",
    ]
    .into_iter()
    .enumerate()
    {
        let bytes = pictures::jpeg(40 + i as u16, 30);
        let name = format!("shot-{i}.jpg");
        let (ct, body) = form(
            &bytes,
            &name,
            "image/jpeg",
            &[("outlet_id", &outlet), ("caption", caption)],
        );
        upload(&desk.app, &desk.writer.token, &ct, body)
            .await
            .assert_status(201);
    }
    let all = desk
        .app
        .get("/api/v1/media?limit=2", &desk.editor.token)
        .await;
    all.assert_status(200);
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        all.body["items"][0]["caption"], "Monsoon traffic",
        "newest first"
    );
    let next = all.body["next"].as_str().expect("a next page");
    let rest = desk
        .app
        .get(
            &format!("/api/v1/media?limit=2&cursor={next}"),
            &desk.editor.token,
        )
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        rest.body["items"][0]["caption"],
        "Monsoon over the Buriganga"
    );
    assert!(rest.body["next"].is_null());

    let found = desk
        .app
        .get("/api/v1/media?q=monsoon", &desk.writer.token)
        .await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 2);
    let by_name = desk
        .app
        .get("/api/v1/media?q=shot-1", &desk.writer.token)
        .await;
    assert_eq!(by_name.body["items"][0]["caption"], "Cricket at Mirpur");
    let filtered = desk
        .app
        .get(
            &format!("/api/v1/media?outlet_id={outlet}&q=%25"),
            &desk.admin.token,
        )
        .await;
    assert_eq!(
        filtered.body["items"].as_array().unwrap().len(),
        0,
        "a % is literal"
    );

    let other = desk.app.outlet(&desk.admin, "elsewhere").await;
    let stranger = desk.app.user(Role::Editor, &[other]).await;
    let theirs = desk.app.get("/api/v1/media", &stranger.token).await;
    assert_eq!(theirs.body["items"], json!([]));
    let one = &all.body["items"][0];
    desk.app
        .get(&format!("/api/v1/media/{}", id(one)), &stranger.token)
        .await
        .assert_problem(404);
    desk.app
        .get("/api/v1/media?cursor=nonsense", &desk.writer.token)
        .await
        .assert_problem(422);
}

#[actix_web::test]
async fn a_change_needs_the_current_etag_and_valid_fields() {
    let desk = PictureDesk::new().await;
    let picture = desk
        .picture(&pictures::jpeg(64, 48), "p.jpg", "image/jpeg")
        .await;
    let token = &desk.writer.token;
    patch(&desk, token, &picture, None, json!({"caption": "x"}))
        .await
        .assert_problem(428);
    patch(
        &desk,
        token,
        &picture,
        Some("\"7\""),
        json!({"caption": "x"}),
    )
    .await
    .assert_problem(412);
    let bad = [
        json!({"version": 3}),
        json!({"focal_point": {"x": 1.5, "y": 0.5}}),
        json!({"filename": "  "}),
        json!({"caption": "a\u{0}b"}),
    ];
    for body in bad {
        patch(&desk, token, &picture, Some("\"1\""), body)
            .await
            .assert_problem(422);
    }
    let res = patch(
        &desk,
        token,
        &picture,
        Some("\"1\""),
        json!({"caption": "Dusk at Sadarghat", "credit": "Staff", "alt_text": null,
               "captured_at": "2026-02-01T10:00:00Z", "focal_point": {"x": 0.25, "y": 0.75}}),
    )
    .await;
    res.assert_status(200);
    assert_eq!(res.header("etag"), Some("\"2\""));
    assert_eq!(res.body["caption"], "Dusk at Sadarghat");
    assert_eq!(res.body["focal_point"], json!({"x": 0.25, "y": 0.75}));
    assert!(hrefs(&res.body).iter().any(|h| h.contains("-f2500-7500.")));
    let read = desk
        .app
        .get(&format!("/api/v1/media/{}", id(&picture)), token)
        .await;
    assert_eq!(read.header("etag"), Some("\"2\""));
    assert_eq!(read.body["captured_at"], "2026-02-01T10:00:00Z");
}

#[actix_web::test]
async fn deleting_the_last_picture_of_a_master_removes_its_files() {
    let desk = PictureDesk::new().await;
    let bytes = pictures::jpeg(500, 300);
    let ours = desk.picture(&bytes, "p.jpg", "image/jpeg").await;
    settled(&desk.app, &ours).await;
    let other = desk.app.outlet(&desk.admin, "partner-paper").await;
    let other_writer = desk.app.user(Role::Writer, &[other]).await;
    let (ct, body) = form(
        &bytes,
        "p.jpg",
        "image/jpeg",
        &[("outlet_id", &other.to_string())],
    );
    let theirs = upload(&desk.app, &other_writer.token, &ct, body).await;
    theirs.assert_status(201);
    let url = hrefs(&ours)[0].clone();

    desk.app
        .delete(&format!("/api/v1/media/{}", id(&ours)), &desk.writer.token)
        .await
        .assert_status(204);
    desk.app
        .get(&format!("/api/v1/media/{}", id(&ours)), &desk.writer.token)
        .await
        .assert_problem(404);
    assert_eq!(
        desk.fetch(&url, &[]).await.status,
        200,
        "the other outlet's copy stays"
    );

    desk.app
        .delete(
            &format!("/api/v1/media/{}", id(&theirs.body)),
            &other_writer.token,
        )
        .await
        .assert_status(204);
    assert_eq!(desk.fetch(&url, &[]).await.status, 404);
    let files = desk.stored_files();
    assert!(files.is_empty(), "{files:?}");
    assert_eq!(desk.counts().await, (0, 0, 4));
}

#[actix_web::test]
async fn a_picture_a_story_uses_cannot_be_deleted_and_the_409_names_the_story() {
    let desk = PictureDesk::new().await;
    let newsroom = desk.app.newsroom(&desk.admin, "the-desk").await;
    let editor = desk.app.user(Role::Editor, &[newsroom.outlet]).await;
    let story = desk
        .app
        .draft(&editor, &newsroom, "Floods close the port")
        .await;
    let picture =
        super::uploaded_by(&desk.app, &editor, newsroom.outlet, &pictures::jpeg(80, 60)).await;
    // The articles room fills media_uses; here the test stands in for it.
    sqlx::query("insert into media_uses (media_id, article_id, role) values ($1, $2, 'featured')")
        .bind(picture)
        .bind(uuid::Uuid::parse_str(&id_str(&story)).unwrap())
        .execute(&desk.app.state.db)
        .await
        .unwrap();
    let res = desk
        .app
        .delete(&format!("/api/v1/media/{picture}"), &editor.token)
        .await;
    res.assert_problem(409);
    let detail = res.body["detail"].as_str().unwrap();
    assert!(detail.contains("Floods close the port"), "{detail}");
    desk.app
        .get(&format!("/api/v1/media/{picture}"), &editor.token)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn uploads_edits_and_deletes_are_audited() {
    let desk = PictureDesk::new().await;
    let picture = desk
        .picture(&pictures::jpeg(64, 48), "p.jpg", "image/jpeg")
        .await;
    settled(&desk.app, &picture).await;
    patch(
        &desk,
        &desk.editor.token,
        &picture,
        Some("\"1\""),
        json!({"caption": "New"}),
    )
    .await
    .assert_status(200);
    desk.app
        .delete(
            &format!("/api/v1/media/{}", id(&picture)),
            &desk.editor.token,
        )
        .await
        .assert_status(204);
    let entries: Vec<(String, String, Value)> = sqlx::query_as(
        "select action, actor_label, changes from audit_entries where entity_id = $1 order by id",
    )
    .bind(id(&picture))
    .fetch_all(&desk.app.state.db)
    .await
    .unwrap();
    let actions: Vec<&str> = entries.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(actions, ["media.create", "media.update", "media.delete"]);
    assert_eq!(entries[0].1, desk.writer.email);
    assert_eq!(entries[1].2["caption"], json!({"from": null, "to": "New"}));
    assert_eq!(entries[1].2["version"], json!({"from": 1, "to": 2}));
}
