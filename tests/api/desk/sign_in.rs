//! Signing in and out of the desk, the cookie's attributes, CSRF on the sign-in form, the
//! throttle said as a sentence, and a cookie that never authenticates the API.

use newsroom::domain::Role;

use super::Browser;
use crate::helpers::TestApp;

#[actix_web::test]
async fn the_front_door_leads_to_the_sign_in_page() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    browser.get("/admin").await.assert_redirect("/admin/login");
    browser.get("/admin/").await.assert_redirect("/admin/login");
    browser
        .get("/admin/stories")
        .await
        .assert_redirect("/admin/login");
    let login = browser.get("/admin/login").await;
    login
        .assert_status(200)
        .assert_contains("<label for=\"email\">Email</label>")
        .assert_contains("<label for=\"password\">Password</label>");
    let csp = login.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

#[actix_web::test]
async fn an_editor_signs_in_with_a_strict_http_only_cookie_and_out_again() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Editor, &[]).await;
    let mut browser = Browser::new(&app);
    let res = browser.sign_in(&email, crate::helpers::PASSWORD).await;
    res.assert_redirect("/admin");
    let cookie = res
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("newsroom_desk="))
        .expect("the session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(cookie.contains("Path=/"), "{cookie}");
    // An http public URL: no Secure flag, no __Host- prefix (see the https test).
    assert!(!cookie.contains("Secure"), "{cookie}");

    let list = browser.get("/admin/stories").await;
    list.assert_status(200).assert_contains(&email);
    let csrf = list.hidden("csrf");

    // Signing out without the token is refused; with it the session ends at once.
    browser.post("/admin/logout", &[]).await.assert_status(403);
    browser.get("/admin/stories").await.assert_status(200);
    let token = browser.cookies["newsroom_desk"].clone();
    browser
        .post("/admin/logout", &[("csrf", &csrf)])
        .await
        .assert_redirect("/admin/login");
    assert!(!browser.cookies.contains_key("newsroom_desk"));
    browser.cookies.insert("newsroom_desk".into(), token);
    browser
        .get("/admin/stories")
        .await
        .assert_redirect("/admin/login");
}

#[actix_web::test]
async fn every_sign_in_makes_a_new_session() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Writer, &[]).await;
    let first = Browser::signed_in(&app, &email).await;
    let second = Browser::signed_in(&app, &email).await;
    assert_ne!(
        first.cookies["newsroom_desk"],
        second.cookies["newsroom_desk"]
    );
}

#[actix_web::test]
async fn on_https_the_cookie_is_secure_with_the_host_prefix() {
    let app = TestApp::spawn_with(|c| c.public_url = "https://newsroom.test".into()).await;
    let (_, email) = app.account(Role::Writer, &[]).await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/admin/login").await;
    let login_cookie = form.header("set-cookie").expect("the form's cookie");
    assert!(
        login_cookie.starts_with("__Host-newsroom_login=") && login_cookie.contains("; Secure")
    );
    let res = browser.sign_in(&email, crate::helpers::PASSWORD).await;
    res.assert_redirect("/admin");
    assert!(browser.cookies.contains_key("__Host-newsroom_desk"));
    let cookie = res
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-newsroom_desk="))
        .expect("the session cookie");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

#[actix_web::test]
async fn a_sign_in_form_without_its_token_is_refused() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Editor, &[]).await;
    let mut browser = Browser::new(&app);
    let res = browser
        .post(
            "/admin/login",
            &[("email", &email), ("password", crate::helpers::PASSWORD)],
        )
        .await;
    res.assert_status(403).assert_contains("Refused");
    assert!(!browser.cookies.contains_key("newsroom_desk"));
}

#[actix_web::test]
async fn a_wrong_password_and_then_the_throttle_are_sentences_on_the_page() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Editor, &[]).await;
    let mut browser = Browser::new(&app);
    let res = browser.sign_in(&email, "not the password").await;
    res.assert_status(401)
        .assert_contains("That email and password do not match an active account.")
        .assert_contains(&format!("value=\"{email}\""));
    let mut last = res;
    for _ in 0..6 {
        last = browser.sign_in(&email, "not the password").await;
    }
    last.assert_status(429).assert_contains(
        "Too many sign-in attempts for this account or from this address. Try again in",
    );
}

#[actix_web::test]
async fn the_desk_cookie_never_authenticates_the_api() {
    let app = TestApp::spawn().await;
    let (_, email) = app.account(Role::Admin, &[]).await;
    let mut browser = Browser::signed_in(&app, &email).await;
    let me = browser.get("/api/v1/me").await;
    me.assert_status(401);
    let users = browser.get("/api/v1/users").await;
    users.assert_status(401);
    // The same token as a bearer token is a valid API session (one sessions table).
    let token = browser.cookies["newsroom_desk"].clone();
    app.get("/api/v1/me", &token).await.assert_status(200);
}
