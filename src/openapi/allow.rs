//! The `Allow` header of a 405 (RFC 9110 §15.5.6): the methods the OpenAPI document lists for
//! the path, so the header and the document cannot disagree.

use std::sync::OnceLock;

use actix_web::dev::ResourceDef;
use utoipa::OpenApi;

use super::ApiDoc;

/// Each documented path with its methods, literal paths first so `/subscribers/export.csv`
/// wins over `/subscribers/{id}`.
fn table() -> &'static [(ResourceDef, String)] {
    static TABLE: OnceLock<Vec<(ResourceDef, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let doc = ApiDoc::openapi();
        let mut rows: Vec<(bool, ResourceDef, String)> = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ];
                let allow: Vec<&str> = methods
                    .iter()
                    .filter(|(_, present)| *present)
                    .map(|(m, _)| *m)
                    .collect();
                (
                    path.contains('{'),
                    ResourceDef::new(path.as_str()),
                    allow.join(", "),
                )
            })
            .collect();
        rows.sort_by_key(|(dynamic, _, _)| *dynamic);
        rows.into_iter()
            .map(|(_, def, allow)| (def, allow))
            .collect()
    })
}

/// The methods a documented path accepts, e.g. `GET, POST`; `None` for undocumented paths.
pub fn methods_for(path: &str) -> Option<&'static str> {
    table()
        .iter()
        .find(|(def, _)| def.is_match(path))
        .map(|(_, allow)| allow.as_str())
}
