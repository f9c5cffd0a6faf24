//! A partner's webhook endpoint on loopback that records every request it gets and fails
//! on demand.

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
}

impl Receiver {
    pub(crate) fn start(failures: usize) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let failures = Arc::new(AtomicUsize::new(failures));
        let (g, f) = (got.clone(), failures.clone());
        let server = actix_test::start(move || {
            let (g, f) = (g.clone(), f.clone());
            App::new().route(
                "/hooks",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let (g, f) = (g.clone(), f.clone());
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
        }
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}
