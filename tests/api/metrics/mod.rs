//! Metrics through the real metrics listener: each test starts one for its app (as `serve`
//! does on `NEWSROOM_METRICS_ADDR`), does the work, and reads the series it moved. This file
//! holds the scrape and the reading of the text; `http.rs` the request families, `work.rs`
//! the workers', `database.rs` the gauges read from the database, `traces.rs` the OTLP
//! export of a running `newsroom serve`.

mod database;
mod http;
mod traces;
mod work;

use newsroom::metrics::server::MetricsServer;

use crate::helpers::TestApp;

/// A scrape of `app`'s metrics listener.
pub(crate) struct Scrape {
    pub(crate) text: String,
    pub(crate) content_type: String,
}

impl Scrape {
    /// The value of the one sample of `name` whose labels include every `labels` pair.
    #[track_caller]
    pub(crate) fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let found = self.samples(name, labels);
        assert_eq!(
            found.len(),
            1,
            "one sample of {name} with {labels:?}, found {found:?} in:\n{}",
            self.text
        );
        found[0].1
    }

    /// Every sample of `name` (exactly that name) whose labels include every `labels` pair.
    pub(crate) fn samples(&self, name: &str, labels: &[(&str, &str)]) -> Vec<(String, f64)> {
        self.text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (series, value) = line.rsplit_once(' ')?;
                let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
                let wanted = labels
                    .iter()
                    .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")));
                if metric != name || !wanted {
                    return None;
                }
                Some((series.to_owned(), value.parse().ok()?))
            })
            .collect()
    }
}

/// A metrics listener for `app`'s state on a free loopback port.
pub(crate) struct Listener {
    url: String,
    handle: actix_web::dev::ServerHandle,
}

impl Listener {
    pub(crate) fn start(app: &TestApp) -> Listener {
        let server = MetricsServer::build(app.state.clone(), "127.0.0.1:0").expect("bind");
        let url = format!("http://127.0.0.1:{}", server.port());
        let handle = server.handle();
        actix_web::rt::spawn(server.run());
        Listener { url, handle }
    }

    /// Scrapes now, reading the database afresh (it is otherwise cached for a few seconds).
    pub(crate) async fn scrape(&self, app: &TestApp) -> Scrape {
        app.state.metrics.expire_database_gauges().await;
        self.scrape_as_is("text/plain").await
    }

    pub(crate) async fn scrape_as_is(&self, accept: &str) -> Scrape {
        let mut res = awc::Client::new()
            .get(format!("{}/metrics", self.url))
            .insert_header(("accept", accept))
            .send()
            .await
            .expect("the metrics listener answers");
        assert_eq!(res.status(), 200);
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = res.body().limit(4 << 20).await.expect("a body");
        Scrape {
            text: String::from_utf8(body.to_vec()).expect("UTF-8 text"),
            content_type,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Stops accepting at once; the runtime ends with the test.
        let handle = self.handle.clone();
        actix_web::rt::spawn(async move { handle.stop(false).await });
    }
}
