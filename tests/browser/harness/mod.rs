//! The browser harness: headless Chromium driven over WebDriver (chromedriver, through
//! fantoccini) against the real application, with the checks every page must pass: axe-core
//! finds nothing, the page fits a phone's width, and it works from the keyboard. A failing
//! check saves a screenshot and the page's HTML to `target/browser-screens/`.
//!
//! ```ignore
//! let Some(browser) = Browser::start().await else { return }; // skipped: no Chromium
//! browser.checked("confirm", async {
//!     browser.goto(&app.url("/public/v1/subscriptions/confirm?token=…")).await;
//!     browser.assert_accessible("the confirm page").await;
//!     browser.tab_to("Confirm my subscription").await;
//!     browser.press(Key::Enter).await;
//!     browser.wait_for_heading("Subscription confirmed").await;
//! }).await;
//! browser.close().await;
//! ```

mod axe;
mod chromedriver;
mod keyboard;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

pub use axe::Violation;
use axe::{axe, Report};
pub use fantoccini::key::Key;

/// The window a page is looked at in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewport {
    /// 1280 × 900 CSS pixels: a laptop.
    Desktop,
    /// 375 × 812 CSS pixels: a phone (an iPhone's width), emulated by Chromium.
    Phone,
}

impl Viewport {
    pub fn width(self) -> u32 {
        match self {
            Viewport::Desktop => 1280,
            Viewport::Phone => 375,
        }
    }

    fn height(self) -> u32 {
        match self {
            Viewport::Desktop => 900,
            Viewport::Phone => 812,
        }
    }
}

/// `NEWSROOM_BROWSER_SCREENS=all` saves every page the suite checks for accessibility to
/// `target/browser-screens/`, to look at them (a failing check saves its page regardless).
const SCREENS_VAR: &str = "NEWSROOM_BROWSER_SCREENS";

/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(10);

/// One headless Chromium, with its own chromedriver and profile.
pub struct Browser {
    client: Client,
    viewport: Viewport,
    // Dropped after `client`: killing chromedriver's group ends Chromium as well.
    _driver: chromedriver::Driver,
}

impl Browser {
    /// A desktop-sized browser, or `None` when Chromium or chromedriver is missing and the
    /// suite is not required (`NEWSROOM_BROWSER_TESTS=required` makes that a failure).
    pub async fn start() -> Option<Browser> {
        Browser::start_at(Viewport::Desktop).await
    }

    /// A browser with a phone-sized viewport (see [`Browser::start`]).
    pub async fn start_phone() -> Option<Browser> {
        Browser::start_at(Viewport::Phone).await
    }

    /// A browser at `viewport` (see [`Browser::start`]).
    pub async fn start_at(viewport: Viewport) -> Option<Browser> {
        let programs = chromedriver::programs()?;
        let driver = chromedriver::Driver::start(&programs);
        let mut options = json!({
            "binary": programs.chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--no-first-run",
                format!("--window-size={},{}", viewport.width(), viewport.height()),
            ],
        });
        if viewport == Viewport::Phone {
            // Device emulation lays the page out as a phone's browser does: a 375 px screen,
            // and a page wider than that zoomed out to fit (which a narrow desktop window
            // would not do), so the width check sees what a phone shows.
            options["mobileEmulation"] = json!({
                "deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2.0, "touch": true},
            });
        }
        let capabilities = json!({"browserName": "chrome", "goog:chromeOptions": options});
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal");
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|err| panic!("starting Chromium through chromedriver: {err}"));
        Some(Browser {
            client,
            viewport,
            _driver: driver,
        })
    }

    /// The WebDriver client, for what the helpers here do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|err| panic!("opening {url}: {err}"));
    }

    /// Runs `body`; if it panics, saves a screenshot and the HTML of the page as it was, as
    /// `target/browser-screens/<name>.png|.html`, then lets the panic go on.
    pub async fn checked(&self, name: &str, body: impl std::future::Future<Output = ()>) {
        if let Err(panic) = AssertUnwindSafe(body).catch_unwind().await {
            let saved = self.save_screen(name).await;
            eprintln!("browser test {name} failed; the page as it was: {saved}");
            std::panic::resume_unwind(panic);
        }
    }

    /// Saves a screenshot and the page's HTML; says where, or why it could not.
    pub async fn save_screen(&self, name: &str) -> String {
        let dir = screens_dir();
        if let Err(err) = std::fs::create_dir_all(&dir) {
            return format!("cannot create {}: {err}", dir.display());
        }
        let png = dir.join(format!("{name}.png"));
        let html = dir.join(format!("{name}.html"));
        let shot = match self.client.screenshot().await {
            Ok(bytes) => std::fs::write(&png, bytes).map_err(|e| e.to_string()),
            Err(err) => Err(err.to_string()),
        };
        if let Ok(source) = self.client.source().await {
            let _ = std::fs::write(&html, source);
        }
        match shot {
            Ok(()) => format!("{} and {}", png.display(), html.display()),
            Err(err) => format!("no screenshot ({err})"),
        }
    }

    /// The text of the page's `<h1>`.
    pub async fn heading(&self) -> String {
        match self.client.find(Locator::Css("h1")).await {
            Ok(h1) => h1.text().await.unwrap_or_default(),
            Err(err) => panic!("the page has no <h1>: {err}"),
        }
    }

    /// The text the page shows (its `<body>`'s rendered text).
    pub async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(err) => panic!("the page has no <body>: {err}"),
        }
    }

    /// Waits until the page's `<h1>` says `text` (after a navigation, say).
    pub async fn wait_for_heading(&self, text: &str) {
        let xpath = format!("//h1[normalize-space(.) = {}]", xpath_literal(text));
        if let Err(err) = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
        {
            let shown = self.heading().await;
            panic!("waited for the heading {text:?}, the page shows {shown:?} ({err})");
        }
    }

    /// What axe-core finds on the page (nothing, for a page that is done).
    pub async fn violations(&self) -> Vec<Violation> {
        axe(&self.client).await
    }

    /// Fails the test, listing every violation, unless axe-core finds none on the page.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.violations().await;
        if std::env::var(SCREENS_VAR).is_ok_and(|v| v == "all") {
            let name = format!("{page}-{:?}", self.viewport).replace(' ', "-");
            self.save_screen(&name.to_lowercase()).await;
        }
        assert!(
            violations.is_empty(),
            "axe-core finds {} violation(s) on {page} ({:?} viewport):\n{}",
            violations.len(),
            self.viewport,
            Report(&violations)
        );
    }

    /// Fails the test if the page is wider than the viewport: a reader would have to pan
    /// sideways, or (on a phone, which zooms out to fit a page's width) read shrunken text.
    pub async fn assert_fits_width(&self, page: &str) {
        let sizes = self
            .client
            .execute(
                "return [screen.width, window.innerWidth, document.scrollingElement.scrollWidth];",
                vec![],
            )
            .await
            .unwrap_or_else(|err| panic!("measuring {page}: {err}"));
        let width = |i: usize| sizes.get(i).and_then(|v| v.as_u64()).unwrap_or(u64::MAX);
        let (screen, layout, content) = (width(0), width(1), width(2));
        let expected = u64::from(self.viewport.width());
        if self.viewport == Viewport::Phone {
            assert_eq!(screen, expected, "the phone's screen is not {expected} px");
        }
        let widest = layout.max(content);
        assert!(
            widest <= expected,
            "{page} does not fit {expected} px: it is {widest} px wide \
             (the browser scrolls sideways or zooms out)"
        );
    }

    /// Ends the WebDriver session (Chromium quits); dropping the browser kills it instead.
    pub async fn close(self) {
        let Browser {
            client, _driver, ..
        } = self;
        let _ = client.close().await;
        drop(_driver);
    }
}

/// `target/browser-screens`, beside the tests' scratch folder `target/tmp`.
pub fn screens_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .map_or_else(|| tmp.clone(), |target| target.to_path_buf())
        .join("browser-screens")
}

/// `text` as an XPath string literal (XPath 1.0 has no escapes: quotes are concatenated).
fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        return format!("\"{text}\"");
    }
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    let parts: Vec<String> = text.split('"').map(|p| format!("\"{p}\"")).collect();
    format!("concat({})", parts.join(", '\"', "))
}
