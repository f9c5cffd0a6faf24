//! Who may fetch a picture's files (`GET /media/{hash}/{file}`): the rule that keeps an
//! embargoed, killed or unpublished story's picture from the public. A master and its
//! renditions are served
//!
//! - to anyone, when a picture of that master is used (`media_uses`) by a publicly visible
//!   story (`articles::push_publicly_visible`, the one visibility rule);
//! - to staff (a bearer token or the desk's cookie) also when a picture of that master
//!   belongs to one of their outlets (admins: every master), used or not: the desk shows
//!   thumbnails of unused pictures and previews of unpublished stories.
//!
//! A partner key gets what the public gets: every picture its entitled visible stories use
//! and no more, since a partner sees no story the public does not (the same visibility rule);
//! a key is never a reason to refuse what a reader without one gets. Everyone else gets 404,
//! never 403: a hidden picture's existence is not confirmed. A bad or expired credential counts
//! as none (a browser sends the desk's cookie with every `<img>` of the site).

use actix_web::http::header::{HeaderValue, CACHE_CONTROL, VARY as VARY_HEADER};
use actix_web::HttpResponse;

use super::store;
use crate::auth::{CurrentUser, PartnerKey};
use crate::error::{AppError, Result};
use crate::http_cache::{PRIVATE_SHORT, PUBLIC};
use crate::state::AppState;

/// Who asks for a picture's file.
#[derive(Clone, Debug)]
pub enum Viewer {
    Public,
    Staff(CurrentUser),
    Partner,
}

impl Viewer {
    /// The viewer of a request from its credentials, staff first (a bearer token, then the
    /// desk's cookie), then a partner key; none is the public.
    pub fn of(
        bearer: Option<CurrentUser>,
        desk: Option<CurrentUser>,
        partner: Option<PartnerKey>,
    ) -> Viewer {
        match (bearer.or(desk), partner) {
            (Some(user), _) => Viewer::Staff(user),
            (None, Some(_)) => Viewer::Partner,
            (None, None) => Viewer::Public,
        }
    }

    /// How long an answer may be kept, and by whom. A public answer is kept a minute by
    /// browsers and CDNs (then revalidated with its ETag): a takedown (kill, withdrawal, a new
    /// embargo) reaches every cache within that minute plus the CDN's stale-while-revalidate
    /// window, like the reader site. Staff and partner answers are kept only by the browser.
    pub fn cache_control(&self) -> &'static str {
        match self {
            Viewer::Public => PUBLIC,
            Viewer::Staff(_) | Viewer::Partner => PRIVATE_SHORT,
        }
    }
}

/// `Ok` when `viewer` may fetch the files of master `hash`; `NotFound` otherwise (also for a
/// master nobody has). One indexed query, none for an admin (a master nobody has is then the
/// 404 of `delivery::rendition`). Staff read the primary (a picture just uploaded), the public
/// and partners the read pool, as the public API does.
pub async fn ensure_servable(state: &AppState, viewer: &Viewer, hash: &str) -> Result<()> {
    let now = state.clock.now();
    let allowed = match viewer {
        Viewer::Staff(user) if user.is_admin() => true,
        Viewer::Staff(user) => store::master_shown(&state.db, hash, now, &user.outlet_ids).await?,
        Viewer::Public | Viewer::Partner => {
            store::master_shown(&state.read_db, hash, now, &[]).await?
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The answers of `/media/` differ by credential: shared caches must key on them.
pub const VARY: &str = "Cookie, Authorization, X-Api-Key";

/// A refusal of `/media/`: the problem, never stored (a picture that becomes public must not
/// stay a cached 404), keyed on the credentials.
pub fn refusal(err: &AppError) -> HttpResponse {
    let mut res = actix_web::ResponseError::error_response(err);
    let headers = res.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(VARY_HEADER, HeaderValue::from_static(VARY));
    res
}
