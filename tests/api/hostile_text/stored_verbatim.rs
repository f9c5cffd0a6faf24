//! Hostile text in the fields of the catalogue and of users: stored verbatim or refused.

use serde_json::{json, Value};

use super::{footprint, PAYLOADS};
use crate::helpers::{id_of, Res, TestApp};

/// Sends one payload in `field`: either it is stored and `read` gives it back verbatim
/// (`expected`), or the answer is a 4xx problem and nothing changed. Returns the answer.
async fn attempt(
    app: &TestApp,
    token: &str,
    create: &str,
    mut body: Value,
    field: &str,
    payload: &str,
    read: impl Fn(&Res) -> String,
) -> Res {
    body[field] = json!(payload);
    let before = footprint(app).await;
    let res = app.post(create, token, body).await;
    let status = res.status.as_u16();
    assert!(
        status == 201 || (400..500).contains(&status),
        "{create} {field}={payload:?}: {status} {}",
        res.text
    );
    if status == 201 {
        let stored = app.get(&read(&res), token).await;
        stored.assert_status(200);
        assert_eq!(
            stored.body[field],
            json!(payload.trim()),
            "{create} {field} is stored verbatim"
        );
    } else {
        res.assert_problem(status);
        assert_eq!(footprint(app).await, before, "{create} {field}={payload:?}");
    }
    res
}

#[actix_web::test]
async fn hostile_text_in_catalogue_and_user_fields_is_stored_verbatim_or_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let outlet = app.outlet(&admin, "dawn").await;
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    for payload in PAYLOADS {
        for field in ["name", "description", "website", "country", "language"] {
            let i = next();
            let body =
                json!({"slug": format!("o{i}"), "name": "N", "country": "PK", "language": "en"});
            attempt(
                &app,
                &admin.token,
                "/api/v1/outlets",
                body,
                field,
                payload,
                |r| format!("/api/v1/outlets/{}", id_of(r)),
            )
            .await;
        }
        for field in ["name", "description"] {
            let i = next();
            let body = json!({"slug": format!("s{i}"), "name": "N"});
            attempt(
                &app,
                &admin.token,
                "/api/v1/sections",
                body,
                field,
                payload,
                |r| format!("/api/v1/sections/{}", id_of(r)),
            )
            .await;
        }
        for field in ["name", "bio"] {
            let i = next();
            let body = json!({"slug": format!("a{i}"), "name": "N", "outlet_id": outlet});
            attempt(
                &app,
                &admin.token,
                "/api/v1/authors",
                body,
                field,
                payload,
                |r| format!("/api/v1/authors/{}", id_of(r)),
            )
            .await;
        }
        for field in ["name", "description"] {
            let i = next();
            let body = json!({"slug": format!("n{i}"), "name": "N"});
            attempt(
                &app,
                &admin.token,
                "/api/v1/newsletters",
                body,
                field,
                payload,
                |r| format!("/api/v1/newsletters/{}", id_of(r)),
            )
            .await;
        }
        let i = next();
        let body = json!({"email": format!("u{i}@test.example"), "display_name": "U", "role": "writer", "password": "long enough password"});
        attempt(
            &app,
            &admin.token,
            "/api/v1/users",
            body.clone(),
            "display_name",
            payload,
            |r| format!("/api/v1/users/{}", id_of(r)),
        )
        .await;
        let res = attempt(
            &app,
            &admin.token,
            "/api/v1/users",
            body.clone(),
            "email",
            payload,
            |r| format!("/api/v1/users/{}", id_of(r)),
        );
        assert_eq!(res.await.status.as_u16(), 422, "{payload:?} is no email");
        // A password is never read back: one that is taken signs in exactly as typed.
        let email = format!("p{i}@test.example");
        let mut body = body.clone();
        body["email"] = json!(email);
        body["password"] = json!(payload);
        let before = footprint(&app).await;
        let res = app.post("/api/v1/users", &admin.token, body).await;
        if res.status.as_u16() == 201 {
            app.login(&email, payload).await.assert_status(200);
        } else {
            res.assert_problem(422);
            assert!(!res.field_errors("password").is_empty(), "{payload:?}");
            assert_eq!(footprint(&app).await, before, "password {payload:?}");
        }
        attempt(
            &app,
            &admin.token,
            "/api/v1/partners",
            json!({"name": "P"}),
            "name",
            payload,
            |r| format!("/api/v1/partners/{}", id_of(r)),
        )
        .await;
        for field in ["webhook_url", "webhook_secret"] {
            let before = footprint(&app).await;
            let mut body = json!({"name": "P"});
            body[field] = json!(payload);
            let res = app.post("/api/v1/partners", &admin.token, body).await;
            if res.status.as_u16() != 201 {
                res.assert_problem(422);
                assert_eq!(footprint(&app).await, before);
            }
        }
    }
}
