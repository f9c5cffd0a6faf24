//! What the code counts as it works: scheduled publications, webhook attempts, emails, partner
//! requests and refusals. Each hook is one call from the code that does the work
//! (`state.metrics.work.…`); the gauges read from the database are in `database.rs`.

use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use uuid::Uuid;

use super::labels::{self, EmailLabels, LimitLabels, OutcomeLabels, PartnerCounter};

/// From half a second (the scheduler ticks every second) to a day.
const LATE_BUCKETS: [f64; 12] = [
    0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 21600.0, 86400.0,
];
/// A partner's answer: from 5 ms to the 10 s timeout.
const ATTEMPT_BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// How a webhook attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The partner answered 2xx.
    Delivered,
    /// No answer or not 2xx: retried later (or given up after 24 hours).
    Failed,
    /// Not sent: the story is gone, the partner lost the entitlement or has no secret.
    Cancelled,
}

impl Attempt {
    pub fn of(delivered: bool, cancelled: bool) -> Attempt {
        match (delivered, cancelled) {
            (true, _) => Attempt::Delivered,
            (false, true) => Attempt::Cancelled,
            (false, false) => Attempt::Failed,
        }
    }
}

/// How an email attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Email {
    Sent,
    /// Refused for now: tried again after the backoff.
    Retried,
    /// Given up: 24 hours of failures, a bounce, a suppressed address, a message that cannot
    /// be built.
    Failed,
}

/// Which limit refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// A partner API key over `NEWSROOM_PARTNER_RATE`.
    Partner,
    /// A client address over `NEWSROOM_PUBLIC_RATE` on the public API.
    Public,
    /// Too many failed logins for one account (`auth::service::MAX_ATTEMPTS`).
    Login,
    /// Too many sign-ups for one address.
    Signup,
    /// A login beyond the password-hashing budget's queue (`auth::hash_budget`).
    Hashing,
}

#[derive(Debug)]
pub struct Work {
    publish_lateness: Histogram,
    publish_failures: Counter,
    webhook_attempts: Family<OutcomeLabels, Counter>,
    webhook_attempt_duration: Histogram,
    webhook_delivery_lag: Histogram,
    emails: Family<EmailLabels, Counter>,
    emails_interrupted: Counter,
    partner_requests: PartnerCounter,
    /// Shared with the usage log, which sees every story served.
    pub stories_served: PartnerCounter,
    refused: Family<LimitLabels, Counter>,
}

impl Work {
    pub fn new(registry: &mut Registry) -> Work {
        let work = Work {
            publish_lateness: Histogram::new(LATE_BUCKETS),
            publish_failures: Counter::default(),
            webhook_attempts: Family::default(),
            webhook_attempt_duration: Histogram::new(ATTEMPT_BUCKETS),
            webhook_delivery_lag: Histogram::new(LATE_BUCKETS),
            emails: Family::default(),
            emails_interrupted: Counter::default(),
            partner_requests: PartnerCounter::default(),
            stories_served: PartnerCounter::default(),
            refused: Family::default(),
        };
        registry.register_with_unit(
            "newsroom_scheduler_publish_lateness",
            "How long after its scheduled_at the worker published a scheduled article",
            Unit::Seconds,
            work.publish_lateness.clone(),
        );
        registry.register(
            "newsroom_scheduler_publish_failures",
            "Scheduled articles the worker could not publish (tried again next pass)",
            work.publish_failures.clone(),
        );
        registry.register(
            "newsroom_webhook_attempts",
            "Webhook attempts by outcome: delivered, failed (retried), cancelled",
            work.webhook_attempts.clone(),
        );
        registry.register_with_unit(
            "newsroom_webhook_attempt_duration",
            "How long a partner's endpoint took to answer a webhook (or to fail)",
            Unit::Seconds,
            work.webhook_attempt_duration.clone(),
        );
        registry.register_with_unit(
            "newsroom_webhook_delivery_lag",
            "From the event to its delivery to a partner, retries included",
            Unit::Seconds,
            work.webhook_delivery_lag.clone(),
        );
        registry.register(
            "newsroom_emails",
            "Email attempts by kind and outcome: sent, retried, failed",
            work.emails.clone(),
        );
        registry.register(
            "newsroom_emails_interrupted",
            "At-most-once emails (newsletter issues) found mid-send after their instance died",
            work.emails_interrupted.clone(),
        );
        registry.register(
            "newsroom_partner_requests",
            "Syndication API requests per partner (accepted API key)",
            work.partner_requests.family.clone(),
        );
        registry.register(
            "newsroom_partner_stories_served",
            "Stories sent to each partner (change feed, story, feeds; not 304s)",
            work.stories_served.family.clone(),
        );
        registry.register(
            "newsroom_requests_refused",
            "Requests refused with 429 by limit: partner, public, login, signup",
            work.refused.clone(),
        );
        work
    }

    /// The scheduler published an article `late` after its `scheduled_at`.
    pub fn published_scheduled(&self, late: chrono::Duration) {
        let secs = late.num_milliseconds().max(0) as f64 / 1000.0;
        self.publish_lateness.observe(secs);
    }

    pub fn scheduled_publish_failed(&self) {
        self.publish_failures.inc();
    }

    /// One webhook attempt: how it ended, how long the partner took, and for a delivery how
    /// long after the event.
    pub fn webhook_attempt(&self, outcome: Attempt, took: Duration, since_event: chrono::Duration) {
        let outcome = match outcome {
            Attempt::Delivered => "delivered",
            Attempt::Failed => "failed",
            Attempt::Cancelled => "cancelled",
        };
        self.webhook_attempts
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
        if outcome != "cancelled" {
            self.webhook_attempt_duration.observe(took.as_secs_f64());
        }
        if outcome == "delivered" {
            let secs = since_event.num_milliseconds().max(0) as f64 / 1000.0;
            self.webhook_delivery_lag.observe(secs);
        }
    }

    /// One email attempt of `kind` (`confirm`, `newsletter`, …).
    pub fn email(&self, kind: &str, outcome: Email) {
        let outcome = match outcome {
            Email::Sent => "sent",
            Email::Retried => "retried",
            Email::Failed => "failed",
        };
        let kind = labels::email_kind(kind);
        self.emails
            .get_or_create(&EmailLabels { kind, outcome })
            .inc();
    }

    pub fn emails_interrupted(&self, n: u64) {
        self.emails_interrupted.inc_by(n);
    }

    /// A syndication request with a valid key of `partner`.
    pub fn partner_request(&self, partner: Uuid) {
        self.partner_requests.inc_by(partner, 1);
    }

    pub fn refused(&self, limit: Limit) {
        let limit = match limit {
            Limit::Partner => "partner",
            Limit::Public => "public",
            Limit::Login => "login",
            Limit::Signup => "signup",
            Limit::Hashing => "hashing",
        };
        self.refused.get_or_create(&LimitLabels { limit }).inc();
    }
}
