//! One synthetic story, made from its number alone (a seeded RNG per story, so any worker can
//! make any story and every run makes the same text): the article in its final state, with the
//! outbox events the application would have written on its way there. Most stories are
//! written as an import would write them: version 1, already in their final state, with one
//! `import` revision. A corrected story keeps its history (`create`, `publish`, the correcting
//! `edit`), since its diff is what shows the fix.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::fate::{fate, spread, EmbargoShare, Fate};
use super::history::History;
use super::prose::{body, headline, language, pick, sentence};
use super::records::{seed_id, CorrectionNote, Event, Revision, ARTICLE_ID, CORRECTION_ID};
use super::words::TAGS;
use crate::articles::rules::{self, Action, Actor, Announce, Schedule};
use crate::articles::{body_html, Article, ArticleContent, Headline, Status};
use crate::domain::{LanguageTag, Slug};
use crate::outbox::EventType;

/// Seeded stories move through the workflow as an admin of their outlet would move them.
const IMPORTER: Actor = Actor::Staff {
    role: crate::domain::Role::Admin,
    member: true,
    owner: true,
};

/// How far back the oldest story goes.
const SPAN_DAYS: i64 = 730;

/// The outlets, sections and bylines stories are spread over.
#[derive(Debug)]
pub struct Catalogue {
    pub outlets: Vec<SeedOutlet>,
    pub sections: Vec<Uuid>,
}

#[derive(Debug)]
pub struct SeedOutlet {
    pub id: Uuid,
    pub website: String,
    /// Authors of this outlet (never empty).
    pub authors: Vec<Uuid>,
}

pub struct Story {
    pub article: Article,
    pub revisions: Vec<Revision>,
    pub events: Vec<Event>,
    pub correction: Option<CorrectionNote>,
}

fn minutes(rng: &mut StdRng, from: i64, to: i64) -> Duration {
    Duration::minutes(rng.gen_range(from..to))
}

/// Story `n` of `total`, as of `now`. Publication times rise with `n` over the last two
/// years, so the change feed (in commit order) is also roughly in time order.
pub fn story(
    n: u64,
    total: u64,
    catalogue: &Catalogue,
    embargoed: EmbargoShare,
    now: DateTime<Utc>,
) -> Story {
    let mut rng = StdRng::seed_from_u64(n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x6e65_7773);
    let words = language(&mut rng);
    let outlet = pick(&mut rng, &catalogue.outlets);
    let section = *pick(&mut rng, &catalogue.sections);
    let headline = headline(&mut rng, words);
    let standfirst = sentence(&mut rng, words, false);
    let body = body(&mut rng, words, &outlet.website);
    let mut author_ids = Vec::new();
    for _ in 0..rng.gen_range(1..=3usize).min(outlet.authors.len()) {
        loop {
            let a = *pick(&mut rng, &outlet.authors);
            if !author_ids.contains(&a) {
                author_ids.push(a);
                break;
            }
        }
    }
    let mut tags: Vec<String> = Vec::new();
    while tags.len() < rng.gen_range(2..=5) {
        let t = *pick(&mut rng, TAGS);
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_owned());
        }
    }
    let stem: String = Slug::from_headline(&headline)
        .map(|s| s.to_string())
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect();
    let slug = format!("{}-{n}", stem.trim_end_matches('-'));

    let fate = fate(rng.gen_range(0..1000), spread(n), embargoed);
    let age = Duration::seconds(
        SPAN_DAYS * 86_400 * (total.saturating_sub(n + 1)) as i64 / total.max(1) as i64,
    );
    let t = now - Duration::hours(2) - age;
    let created = match fate {
        Fate::Draft => t,
        Fate::Embargoed => now - minutes(&mut rng, 30, 600),
        _ => t - minutes(&mut rng, 20, 4320),
    };
    let body_html = body_html(&body, &Default::default());
    let mut content = typed(&slug, &headline, words.tag);
    content.standfirst = Some(standfirst);
    content.body = body;
    content.section_id = Some(section);
    content.author_ids = author_ids;
    content.tags = tags;
    content.embargo_until = (fate == Fate::Embargoed).then(|| now + minutes(&mut rng, 60, 4320));
    let mut article = Article {
        id: seed_id(ARTICLE_ID, created, n),
        outlet_id: outlet.id,
        content,
        body_html,
        status: Status::NEW,
        version: 1,
        created_by: None,
        created_at: created,
        updated_at: created,
        first_published_at: None,
        published_at: None,
        scheduled_at: None,
        embargo_released_at: None,
    };
    // Only a corrected story replays its versions; the others stay at version 1.
    let replay = fate == Fate::Corrected;
    let mut history = History::new(&article, replay);
    let last = match fate {
        Fate::Embargoed => now - minutes(&mut rng, 5, 25),
        _ => t,
    };
    let steps: &[Action] = match fate {
        Fate::Draft => &[],
        Fate::InReview => &[Action::Submit],
        Fate::Approved => &[Action::Submit, Action::Approve],
        Fate::Scheduled => &[Action::Submit, Action::Approve, Action::Schedule],
        Fate::Published | Fate::Corrected | Fate::Embargoed => &[Action::Publish],
        Fate::Unpublished => &[Action::Publish, Action::Unpublish],
        Fate::Killed => &[Action::Publish, Action::Kill],
    };
    let count = steps.len() as i32;
    for (k, action) in steps.iter().enumerate() {
        let at = created + (last - created) * (k as i32 + 1) / count;
        // Where a step leads and what it does come from the rule book, as for the API.
        let step = rules::next(article.status, *action, IMPORTER)
            .expect("the seed's steps are moves the workflow allows");
        article.status = step.to();
        // The version this step makes (or, when not replayed, the only one).
        let version = if replay { article.version + 1 } else { 1 };
        if step.publishes() {
            article.first_published_at = Some(at);
            article.published_at = Some(at);
        }
        if step.schedule() == Schedule::Set {
            article.scheduled_at = Some(now + minutes(&mut rng, 60, 20_160));
        }
        match step.announce() {
            Announce::Publication if fate != Fate::Embargoed => {
                history.event(EventType::Published, version, at, n)
            }
            Announce::TakeDown(event) => history.event(event, version, at, n),
            Announce::Publication | Announce::Nothing => {}
        }
        if replay {
            history.save(&mut article, action.as_str(), None, at);
        } else {
            article.updated_at = at;
        }
    }
    if replay {
        correct(&mut article, &mut history, &mut rng, now, n);
    } else {
        let note = (fate == Fate::Killed).then_some("Withdrawn on legal advice.");
        history.import(&article, note);
    }
    Story {
        article,
        revisions: history.revisions,
        events: history.events,
        correction: history.correction,
    }
}

/// The typed fields of a seeded story. The word lists always make a valid slug, headline and
/// language tag (`stories_are_consistent_with_their_history` makes 2,000 stories), so a
/// failure here is a bug in the lists, not bad input.
fn typed(slug: &str, headline: &str, language: &str) -> ArticleContent {
    ArticleContent::new(
        Slug::parse_any_script("slug", slug).expect("seeded slugs are valid"),
        Headline::parse("headline", headline).expect("seeded headlines are valid"),
        LanguageTag::parse("language", language).expect("seeded languages are BCP 47"),
    )
}

/// A published story whose standfirst had a doubled word, fixed later with a public note
/// (as a PATCH with `correction_note` does: new version, `article.updated`, `published_at`
/// moved to the correction).
fn correct(
    article: &mut Article,
    history: &mut History,
    rng: &mut StdRng,
    now: DateTime<Utc>,
    n: u64,
) {
    let published = article.published_at.unwrap_or(article.updated_at);
    let at = (published + minutes(rng, 30, 600)).min(now - Duration::minutes(1));
    // Revision 1 and 2 kept the typo; the fix is revision 3.
    let fixed = article.content.standfirst.clone().unwrap_or_default();
    let first = fixed.split(' ').next().unwrap_or_default().to_owned();
    let typo = format!("{first} {fixed}");
    for r in &mut history.revisions {
        r.snapshot.content.standfirst = Some(typo.clone());
    }
    article.published_at = Some(at);
    history.event(EventType::Updated, article.version + 1, at, n);
    history.correction = Some(CorrectionNote {
        id: seed_id(CORRECTION_ID, at, n),
        note: "Corrected a typing error in the standfirst.",
        at,
    });
    history.save(article, "edit", None, at);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{MAX_BODY, MIN_BODY};

    fn catalogue() -> Catalogue {
        Catalogue {
            outlets: vec![SeedOutlet {
                id: Uuid::from_u128(1),
                website: "https://www.dawn.com".into(),
                authors: vec![Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4)],
            }],
            sections: vec![Uuid::from_u128(5)],
        }
    }

    #[test]
    fn the_same_number_makes_the_same_story() {
        let now = Utc::now();
        let (a, b) = (
            story(42, 100, &catalogue(), EmbargoShare::default(), now),
            story(42, 100, &catalogue(), EmbargoShare::default(), now),
        );
        assert_eq!(a.article.snapshot(), b.article.snapshot());
        assert_eq!(a.article.id, b.article.id);
        assert_ne!(
            story(43, 100, &catalogue(), EmbargoShare::default(), now)
                .article
                .content
                .body,
            a.article.content.body
        );
    }

    #[test]
    fn stories_are_consistent_with_their_history() {
        let now = Utc::now();
        for n in 0..2000 {
            let s = story(n, 2000, &catalogue(), EmbargoShare::default(), now);
            let a = &s.article;
            assert!(
                (MIN_BODY..=MAX_BODY).contains(&a.content.body.len()),
                "{n}: {}",
                a.content.body.len()
            );
            assert!(
                (1..=3).contains(&a.content.author_ids.len())
                    && (2..=5).contains(&a.content.tags.len())
            );
            assert_eq!(
                s.revisions.len() as i32,
                a.version,
                "{n}: one revision per version"
            );
            assert_eq!(
                a.version,
                if s.correction.is_some() { 3 } else { 1 },
                "{n}: only a corrected story replays its versions"
            );
            let last = s.revisions.last().expect("a revision");
            assert_eq!(last.snapshot, a.snapshot());
            assert_eq!(last.at, a.updated_at);
            assert!(a.updated_at <= now && a.created_at <= a.updated_at);
            for e in &s.events {
                assert!(e.version <= a.version && e.at <= now);
            }
            let announced = s.events.iter().any(|e| e.kind == EventType::Published);
            let visible = crate::articles::publicly_visible(a.status, a.content.embargo_until, now);
            assert_eq!(visible, announced && a.status == Status::Published, "{n}");
            assert_eq!(
                a.status == Status::Scheduled,
                a.scheduled_at.is_some_and(|t| t > now)
            );
            assert_eq!(
                s.correction.is_some(),
                s.events.iter().any(|e| e.kind == EventType::Updated)
            );
        }
    }

    #[test]
    fn ids_look_like_v7_and_keep_the_number() {
        let at = Utc::now();
        let id = seed_id(ARTICLE_ID, at, 123_456);
        assert_eq!(id.get_version_num(), 7);
        assert_eq!(id.as_u128() & ((1 << 62) - 1), 123_456);
        assert!(seed_id(ARTICLE_ID, at + Duration::seconds(1), 0) > id);
    }
}
