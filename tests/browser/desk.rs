//! The desk (`/admin`) in a real browser: signing in and out by keyboard, and what the other
//! desk files share: a newsroom with a writer and an editor, signing in through the form by
//! keyboard, Ctrl+S, waiting for a sentence on the page, and where a story stands in the
//! database. `desk_editor.rs` writes and saves stories (and the stale save),
//! `desk_workflow.rs` takes a story from draft to published, and `desk_phone.rs` reads the
//! screens at 375 px.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::Locator;
use newsroom::domain::Role;
use serde_json::Value;

use crate::harness::{Browser, Key};
use crate::helpers::{Desk, TestApp, TestUser, PASSWORD};

/// The sign-in page's heading.
pub const SIGN_IN: &str = "Sign in to the desk";

/// An outlet (with a section "News" and an author "Desk"), a writer and an editor of it.
pub struct Newsroom {
    pub desk: Desk,
    pub writer: TestUser,
    pub editor: TestUser,
}

pub async fn newsroom(app: &TestApp) -> Newsroom {
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    Newsroom {
        desk,
        writer,
        editor,
    }
}

/// Signs `email` in through the login form by keyboard alone (Tab to each field, type, Enter)
/// and waits for the dashboard it lands on, then opens the story list.
pub async fn sign_in(browser: &Browser, app: &TestApp, email: &str) {
    type_credentials(browser, app, email, PASSWORD).await;
    browser.wait_for_heading("Dashboard").await;
    browser.goto(&app.url("/admin/stories")).await;
    browser.wait_for_heading("Stories").await;
}

/// Opens the sign-in page, Tabs to the fields, types, and presses Enter.
pub async fn type_credentials(browser: &Browser, app: &TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/admin/login")).await;
    assert_eq!(browser.heading().await, SIGN_IN);
    browser.tab_to("Email").await;
    browser.type_text(email).await;
    browser.tab_to("Password").await;
    browser.type_text(password).await;
    submit_for_a_new_page(browser).await;
}

/// Presses Enter in a form and waits until the browser shows the page that answered it, so
/// that an answer with the same heading (a refused sign-in) is not mistaken for the form.
pub async fn submit_for_a_new_page(browser: &Browser) {
    let mark = "window.__newsroom_form_page = true;";
    if let Err(err) = browser.client().execute(mark, vec![]).await {
        panic!("marking the page: {err}");
    }
    browser.press(Key::Enter).await;
    let new_page = "return window.__newsroom_form_page === undefined \
                    && document.readyState === 'complete';";
    for _ in 0..100 {
        if let Ok(Value::Bool(true)) = browser.client().execute(new_page, vec![]).await {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no new page came within 10 s of pressing Enter");
}

/// Signs out with the header's button, by keyboard.
pub async fn sign_out(browser: &Browser) {
    browser.tab_to("Sign out").await;
    browser.press(Key::Enter).await;
    browser.wait_for_heading(SIGN_IN).await;
}

/// Like [`Browser::tab_to`], for a control whose label starts with `start` (a label that
/// names a time zone, say, which the desk may spell "(UTC)" or "(UTC time)").
pub async fn tab_to_start(browser: &Browser, start: &str) {
    let mut stops = Vec::new();
    for _ in 0..40 {
        browser.press(Key::Tab).await;
        let focused = browser.focused().await;
        if focused.starts_with(start) {
            browser.assert_focus_visible(&focused).await;
            return;
        }
        stops.push(focused);
    }
    panic!("Tab never reached a control starting {start:?}; the focus went through {stops:?}");
}

/// Presses Ctrl+S (the editor's save shortcut).
pub async fn ctrl_s(browser: &Browser) {
    let ctrl = char::from(Key::Control);
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: ctrl })
        .then(KeyAction::Down { value: 's' })
        .then(KeyAction::Up { value: 's' })
        .then(KeyAction::Up { value: ctrl });
    browser
        .client()
        .perform_actions(actions)
        .await
        .unwrap_or_else(|err| panic!("pressing Ctrl+S: {err}"));
}

/// Waits (10 s at most) until the element `id` shows text starting with `start`.
pub async fn wait_for_text(browser: &Browser, id: &str, start: &str) {
    let xpath = format!("//*[@id='{id}'][starts-with(normalize-space(.), '{start}')]");
    if let Err(err) = browser
        .client()
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::XPath(&xpath))
        .await
    {
        let text = browser.page_text().await;
        panic!("#{id} never said {start:?} ({err}); the page says: {text}");
    }
}

/// Presses the workflow button `label` by keyboard and waits for the page to say it was done.
pub async fn take(browser: &Browser, label: &str, done: &str) {
    browser.tab_to(label).await;
    browser.press(Key::Enter).await;
    wait_for_text(browser, "status", &format!("Done: {done}.")).await;
}

/// What the page's alert says.
async fn alert(browser: &Browser) -> String {
    let alert = browser
        .client()
        .find(Locator::Css("[role=alert]"))
        .await
        .unwrap_or_else(|err| panic!("no alert on the page: {err}"));
    alert.text().await.unwrap_or_default()
}

/// The labels of the page's buttons.
pub async fn buttons(browser: &Browser) -> Vec<String> {
    let labels = browser
        .client()
        .execute(
            "return [...document.querySelectorAll('button')].map(b => b.innerText.trim());",
            vec![],
        )
        .await
        .unwrap_or_else(|err| panic!("listing the buttons: {err}"));
    labels
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The story's stored row as the API shows it to `user`.
pub async fn stored(app: &TestApp, user: &TestUser, id: &str) -> Value {
    let res = app
        .get(&format!("/api/v1/articles/{id}"), &user.token)
        .await;
    res.assert_status(200);
    res.body
}

/// The id of the story the browser shows (`/admin/stories/{id}`).
pub async fn story_id(browser: &Browser) -> String {
    let url = browser
        .client()
        .current_url()
        .await
        .unwrap_or_else(|err| panic!("reading the address: {err}"));
    let path = url.path();
    path.strip_prefix("/admin/stories/")
        .unwrap_or_else(|| panic!("not a story's page: {url}"))
        .to_owned()
}

#[actix_web::test]
async fn an_editor_signs_in_and_out_by_keyboard() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;
    app.draft(&staff.writer, &staff.desk, "Rain over the delta")
        .await;

    browser
        .checked("desk-sign-in", async {
            browser.goto(&app.url("/admin/stories")).await;
            browser.wait_for_heading(SIGN_IN).await;
            browser.assert_accessible("the desk's sign-in page").await;
            sign_in(&browser, &app, &staff.editor.email).await;
            browser.assert_accessible("the story list").await;
            let text = browser.page_text().await;
            assert!(text.contains("Rain over the delta"), "the list: {text}");
            assert!(
                text.contains(&staff.editor.email),
                "who is signed in: {text}"
            );

            sign_out(&browser).await;
            // The session is gone: the list sends the browser back to the sign-in page.
            browser.goto(&app.url("/admin/stories")).await;
            browser.wait_for_heading(SIGN_IN).await;
        })
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn a_wrong_password_and_the_throttle_are_told_in_sentences_on_the_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let staff = newsroom(&app).await;

    browser
        .checked("desk-wrong-password", async {
            type_credentials(&browser, &app, &staff.editor.email, "not the password").await;
            browser.wait_for_heading(SIGN_IN).await;
            assert_eq!(
                alert(&browser).await,
                "That email and password do not match an active account."
            );
            let kind = browser
                .client()
                .execute("return document.contentType;", vec![])
                .await
                .unwrap_or_else(|err| panic!("reading the content type: {err}"));
            assert_eq!(kind, Value::from("text/html"), "a page, not JSON");
            browser.assert_accessible("the refused sign-in").await;
            // The email typed is kept; the password is not.
            let kept = browser
                .client()
                .execute(
                    "return [document.getElementById('email').value,
                             document.getElementById('password').value];",
                    vec![],
                )
                .await
                .unwrap_or_else(|err| panic!("reading the fields: {err}"));
            assert_eq!(kept, serde_json::json!([staff.editor.email, ""]));

            // Guessing on: the login throttle's answer is a sentence on the page too.
            let mut said = String::new();
            for _ in 0..10 {
                browser.tab_to("Password").await;
                browser.type_text("still not it").await;
                submit_for_a_new_page(&browser).await;
                browser.wait_for_heading(SIGN_IN).await;
                said = alert(&browser).await;
                if said.starts_with("Too many") {
                    break;
                }
            }
            assert!(
                said.starts_with(
                    "Too many sign-in attempts for this account or from this address. Try again in"
                ),
                "{said}"
            );
            browser.assert_accessible("the throttled sign-in").await;
        })
        .await;
    browser.close().await;
}
