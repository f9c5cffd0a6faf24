//! A partner's webhook endpoint on loopback that records every request it gets, fails on
//! demand, and can hold its answers until the test releases them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse};
use serde_json::Value;

/// One request the receiver got.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub(super) signature: String,
    pub(super) event_header: String,
    pub(super) body: Vec<u8>,
    pub(crate) json: Value,
}

/// A partner's endpoint: records every request and answers 500 while `failures` is above
/// zero (counting down), then 200.
pub(crate) struct Receiver {
    _server: actix_test::TestServer,
    pub(crate) url: String,
    got: Arc<Mutex<Vec<Received>>>,
    pub(super) failures: Arc<AtomicUsize>,
    /// While false, every answer waits (the request is recorded at once).
    answering: tokio::sync::watch::Sender<bool>,
}

impl Receiver {
    pub(crate) fn start(failures: usize) -> Receiver {
        Receiver::with(failures, true)
    }

    /// A receiver that records requests but answers none until [`Receiver::release`].
    pub(crate) fn holding() -> Receiver {
        Receiver::with(0, false)
    }

    fn with(failures: usize, answering: bool) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let failures = Arc::new(AtomicUsize::new(failures));
        let (answering, answer) = tokio::sync::watch::channel(answering);
        let (g, f) = (got.clone(), failures.clone());
        let server = actix_test::start(move || {
            let (g, f, a) = (g.clone(), f.clone(), answer.clone());
            App::new().route(
                "/hooks",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let (g, f, mut a) = (g.clone(), f.clone(), a.clone());
                    async move {
                        let header = |name: &str| {
                            req.headers()
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_owned()
                        };
                        g.lock().unwrap().push(Received {
                            signature: header("x-newsroom-signature"),
                            event_header: header("x-newsroom-event"),
                            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
                            body: body.to_vec(),
                        });
                        let _ = a.wait_for(|answering| *answering).await;
                        let failing = f
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_ok();
                        if failing {
                            HttpResponse::InternalServerError().finish()
                        } else {
                            HttpResponse::Ok().finish()
                        }
                    }
                }),
            )
        });
        let url = server.url("/hooks");
        Receiver {
            _server: server,
            url,
            got,
            failures,
            answering,
        }
    }

    /// Answers the held requests and every later one.
    pub(crate) fn release(&self) {
        self.answering.send_replace(true);
    }

    /// Waits until `n` requests have arrived, at most 10 s.
    pub(crate) async fn wait_for(&self, n: usize) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.received().len() < n {
            assert!(
                std::time::Instant::now() < deadline,
                "the receiver got {} of {n} requests",
                self.received().len()
            );
            actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}
