//! The desk's static files, compiled into the binary and served at
//! `/admin/assets/<stem>.<first 12 hex of SHA-256>.<ext>` with a year-long immutable cache:
//! a changed file gets a new URL, so browsers never hold a stale one. Nothing is fetched at
//! build or run time (the vendored htmx and its hash: `assets/vendor/VENDOR.md`).

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Where the files are served.
pub const PREFIX: &str = "/admin/assets/";

/// Every file: (name used in templates, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "desk.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/desk.css"),
    ),
    (
        "site.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/site.css"),
    ),
    (
        "desk.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/desk.js"),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/htmx.min.js"),
    ),
];

struct Asset {
    url: String,
    content_type: &'static str,
    bytes: &'static [u8],
    /// The same bytes gzipped once, for clients that accept it (htmx: 52 KB, 17 KB gzipped).
    gzipped: Vec<u8>,
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail; an empty result only means the plain file is sent.
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

struct Catalogue {
    by_name: HashMap<&'static str, usize>,
    by_file: HashMap<String, usize>,
    assets: Vec<Asset>,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut cat = Catalogue {
            by_name: HashMap::new(),
            by_file: HashMap::new(),
            assets: Vec::new(),
        };
        for (i, (name, content_type, bytes)) in FILES.iter().enumerate() {
            let hash = hex::encode(Sha256::digest(bytes));
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "bin"));
            let file = format!("{stem}.{}.{ext}", &hash[..12]);
            cat.by_name.insert(name, i);
            cat.by_file.insert(file.clone(), i);
            cat.assets.push(Asset {
                url: format!("{PREFIX}{file}"),
                content_type,
                bytes,
                gzipped: gzip(bytes),
            });
        }
        cat
    })
}

/// The URL of the embedded file `name` (`desk.css`); empty for a name that is not one,
/// which the asset test catches.
pub fn url(name: &str) -> String {
    let cat = catalogue();
    cat.by_name
        .get(name)
        .map(|&i| cat.assets[i].url.clone())
        .unwrap_or_default()
}

/// Whether the client accepts gzip (`Accept-Encoding: gzip`, not refused with `q=0`).
fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| p.replace(' ', "") == "q=0");
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

async fn serve(req: HttpRequest, file: web::Path<String>) -> Result<HttpResponse, AppError> {
    let cat = catalogue();
    let asset = cat
        .by_file
        .get(file.as_str())
        .map(|&i| &cat.assets[i])
        .ok_or(AppError::NotFound)?;
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, asset.content_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if accepts_gzip(&req) && !asset.gzipped.is_empty() {
        res.insert_header((header::CONTENT_ENCODING, "gzip"));
        return Ok(res.body(asset.gzipped.clone()));
    }
    Ok(res.body(asset.bytes))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/assets/{file}").route(web::get().to(serve)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_hashed_url() {
        for (name, _, _) in FILES {
            let url = url(name);
            assert!(url.starts_with(PREFIX) && url.len() > PREFIX.len() + name.len() + 12);
        }
        assert_eq!(url("nope.css"), "");
        for asset in &catalogue().assets {
            assert!(!asset.gzipped.is_empty() && asset.gzipped.len() < asset.bytes.len());
        }
    }

    #[test]
    fn vendored_htmx_is_the_recorded_one() {
        let recorded = include_str!("../assets/vendor/VENDOR.md");
        let hash = hex::encode(Sha256::digest(include_bytes!(
            "../assets/vendor/htmx.min.js"
        )));
        assert!(recorded.contains(&hash), "update assets/vendor/VENDOR.md");
    }
}
