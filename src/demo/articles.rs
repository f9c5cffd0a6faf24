//! The demo's stories: at least one in every workflow state, a published one at each outlet
//! the walk-through reads, and the outbox events their history would have written, so a
//! partner's change feed shows the withdrawn and the killed story as tombstones.

use uuid::Uuid;

use super::LOGINS;
use crate::articles::{self, body_html, Article, ArticleContent, Headline, Status};
use crate::audit::Actor;
use crate::domain::{LanguageTag, Slug};
use crate::state::AppState;

/// (status, outlet, section, author, headline, standfirst, body)
const ARTICLES: &[(Status, &str, &str, &str, &str, &str, &str)] = &[
    (Status::Draft, "the-straits-times", "economics", "tan-wei-ming", "Port volumes climb as shipping lines return",
     "Container traffic is back above its 2019 peak.", "Throughput at the port rose for a sixth month.\n\nAnalysts credit new routes to the Gulf."),
    (Status::InReview, "the-straits-times", "trade", "tan-wei-ming", "Regional trade pact enters its second year",
     "Tariff cuts reach farm goods next.", "Ministers meet in Jakarta next week to review the pact.\n\nExporters want faster customs checks."),
    (Status::Approved, "dawn", "politics", "ayesha-khan", "Assembly debates new budget rules",
     "A cap on supplementary grants is on the table.", "The finance committee backed the cap on Tuesday.\n\nThe opposition wants a sunset clause."),
    (Status::Scheduled, "dawn", "climate", "ayesha-khan", "Heatwave plan for Karachi published",
     "Cooling centres will open across the city.", "The plan names forty cooling centres.\n\nHospitals get extra staff from May."),
    (Status::Published, "the-daily-star", "climate", "arjun-rahman", "Monsoon arrives early in the Bay of Bengal",
     "Farmers race to bring in the rice harvest.", "Rain reached the coast a week ahead of forecasts.\n\n## What it means\n\nFarmers in the delta are harvesting early."),
    (Status::Published, "china-daily", "diplomacy", "mei-lin", "Ministers agree on a regional rail link study",
     "The study will take eighteen months.", "Transport ministers signed the study agreement in Beijing.\n\nThe route would link five capitals."),
    (Status::Published, "dawn", "economics", "ayesha-khan", "Remittances from the Gulf reach a record",
     "Workers abroad sent home more than in any month before.", "The central bank published the figures on Friday.\n\nEconomists expect the currency to steady as a result."),
    (Status::Unpublished, "the-star", "technology", "siti-aminah", "Chip plant expansion on hold",
     "The company is reviewing its investment plans.", "The expansion was announced in March.\n\nThe company declined to comment further."),
    (Status::Killed, "the-star", "culture", "siti-aminah", "Festival line-up leaked",
     "Withdrawn on legal advice.", "This story was withdrawn."),
];

pub(super) async fn seed_articles(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now();
    let actor = Actor::cli();
    let writer: Option<Uuid> = sqlx::query_scalar("select id from users where email = $1")
        .bind(LOGINS[2].0)
        .fetch_optional(&state.db)
        .await?;
    let mut tx = state.db.begin().await?;
    for (i, (status, outlet, section, author, headline, standfirst, body)) in
        ARTICLES.iter().enumerate()
    {
        let outlet_id: Uuid = sqlx::query_scalar("select id from outlets where slug = $1")
            .bind(outlet)
            .fetch_one(&mut *tx)
            .await?;
        let section_id: Uuid = sqlx::query_scalar("select id from sections where slug = $1")
            .bind(section)
            .fetch_one(&mut *tx)
            .await?;
        let author_id: Uuid = sqlx::query_scalar("select id from authors where slug = $1")
            .bind(author)
            .fetch_one(&mut *tx)
            .await?;
        let created = now - chrono::Duration::hours(48 - i as i64);
        let was_published = matches!(
            status,
            Status::Published | Status::Unpublished | Status::Killed
        );
        // A withdrawn or killed story was taken down half an hour after it went out.
        let taken_down = matches!(status, Status::Unpublished | Status::Killed);
        let updated = created + chrono::Duration::minutes(if taken_down { 30 } else { 0 });
        let mut content = ArticleContent::new(
            Slug::from_headline(headline)?,
            Headline::parse("headline", headline)?,
            LanguageTag::parse("language", "en")?,
        );
        content.standfirst = Some((*standfirst).into());
        content.body = (*body).into();
        content.section_id = Some(section_id);
        content.author_ids = vec![author_id];
        content.tags = vec![(*section).into()];
        let article = Article {
            id: Uuid::now_v7(),
            outlet_id,
            body_html: body_html(body, &Default::default()),
            content,
            status: *status,
            version: 1,
            created_by: if *outlet == "the-straits-times" {
                writer
            } else {
                None
            },
            created_at: created,
            updated_at: updated,
            first_published_at: was_published.then_some(created),
            published_at: was_published.then_some(created),
            scheduled_at: (*status == Status::Scheduled).then(|| now + chrono::Duration::days(2)),
            embargo_released_at: None,
        };
        articles::import(&mut tx, &actor, &article, created).await?;
    }
    tx.commit().await?;
    Ok(())
}
