//! Label sets of the metric families. Every label takes its value from a small fixed set (a
//! route *pattern*, a method, a status class, a pool, an email kind) or, for partners, from at
//! most [`MAX_PARTNERS`] ids per process: a series per article id or per address would make a
//! scrape grow without bound.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::{Arc, RwLock};

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use uuid::Uuid;

/// Partners with a series of their own in each per-partner family; the rest count as `other`.
/// An alliance has tens of partners; the bound only stops a runaway.
pub const MAX_PARTNERS: usize = 500;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    /// The route's pattern (`/api/v1/articles/{id}`), or `unmatched` for a path no route has.
    pub route: String,
    pub method: &'static str,
    /// `1xx` … `5xx`.
    pub status: &'static str,
}

/// The method as a label: the ones the API uses, and `other` for anything a client made up.
pub fn method(method: &actix_web::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

pub fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// Which connection pool: `primary` (`DATABASE_URL`) or `read` (`DATABASE_READ_URL`).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Pool {
    Primary,
    Read,
}

impl Pool {
    pub fn labels(self) -> PoolLabels {
        PoolLabels {
            pool: match self {
                Pool::Primary => "primary",
                Pool::Read => "read",
            },
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    pub pool: &'static str,
}

/// One label whose value is one of a few words (`kind`, `state`, `outcome`, `limit`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    pub kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StateLabels {
    pub state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LimitLabels {
    pub limit: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EmailLabels {
    pub kind: &'static str,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EmailQueueLabels {
    pub kind: &'static str,
    pub status: &'static str,
}

/// The kinds of email newsroom queues (`email::Message::kind`); a row of any other kind,
/// from a newer instance during a roll-out, counts as `other`.
pub fn email_kind(kind: &str) -> &'static str {
    match kind {
        "confirm" => "confirm",
        "newsletter" => "newsletter",
        _ => "other",
    }
}

/// A partner's id as a label value, or `other` past [`MAX_PARTNERS`].
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct PartnerId(Option<Uuid>);

impl EncodeLabelValue for PartnerId {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        match self.0 {
            Some(id) => write!(encoder, "{id}"),
            None => encoder.write_str("other"),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PartnerLabels {
    pub partner: PartnerId,
}

/// A family with no labels (a gauge that can be left out of a scrape by clearing it).
#[derive(Clone, Debug, Default, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct NoLabels {}

/// A counter per partner, bounded to [`MAX_PARTNERS`] series.
#[derive(Clone, Debug, Default)]
pub struct PartnerCounter {
    pub(super) family: Family<PartnerLabels, Counter>,
    /// The partners with a series of their own.
    known: Arc<RwLock<HashSet<Uuid>>>,
}

impl PartnerCounter {
    pub fn inc_by(&self, partner: Uuid, n: u64) {
        let known = self
            .known
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&partner);
        let own = known || self.admit(partner);
        let partner = PartnerId(own.then_some(partner));
        self.family
            .get_or_create(&PartnerLabels { partner })
            .inc_by(n);
    }

    /// Gives `partner` a series of its own if there is room; whether it has one.
    fn admit(&self, partner: Uuid) -> bool {
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        if known.len() < MAX_PARTNERS {
            known.insert(partner);
            true
        } else {
            known.contains(&partner)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_past_the_bound_share_one_series() {
        let counter = PartnerCounter::default();
        for _ in 0..MAX_PARTNERS + 20 {
            counter.inc_by(Uuid::now_v7(), 1);
        }
        assert_eq!(counter.known.read().unwrap().len(), MAX_PARTNERS);
        let other = PartnerLabels {
            partner: PartnerId(None),
        };
        assert_eq!(counter.family.get_or_create(&other).get(), 20);
        let mut text = String::new();
        let mut registry = prometheus_client::registry::Registry::default();
        registry.register("served", "", counter.family.clone());
        prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
        assert_eq!(text.matches("served_total{").count(), MAX_PARTNERS + 1);
    }

    #[test]
    fn status_classes_and_made_up_methods_are_bounded() {
        assert_eq!(status_class(204), "2xx");
        assert_eq!(status_class(503), "5xx");
        let odd = actix_web::http::Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method(&odd), "other");
        assert_eq!(email_kind("digest"), "other");
    }
}
