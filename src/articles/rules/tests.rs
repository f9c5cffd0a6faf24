//! The rule book against a table written separately from it: every state × action × actor,
//! the clock included; and a tripwire that fails when a second transition table appears
//! anywhere else in the crate.

use std::path::Path;

use super::workflow::{Announce, Schedule};
use super::*;
use crate::domain::Role;
use crate::outbox::EventType;
use Action::*;
use Status::*;

fn staff(role: Role, member: bool, owner: bool) -> Actor {
    Actor::Staff {
        role,
        member,
        owner,
    }
}

/// The expected table, written independently of `workflow.rs`: (action, from, to).
const STAFF_TABLE: &[(Action, &[Status], Status)] = &[
    (Submit, &[Draft], InReview),
    (Return, &[InReview, Approved], Draft),
    (Approve, &[InReview], Approved),
    (
        Publish,
        &[Draft, InReview, Approved, Unpublished],
        Published,
    ),
    (Schedule, &[Approved], Scheduled),
    (Unschedule, &[Scheduled], Approved),
    (Unpublish, &[Published], Unpublished),
    (Kill, &[Published, Unpublished], Killed),
];

/// What the clock may do: publish a scheduled story (when it is due), nothing else.
const CLOCK_TABLE: &[(Action, &[Status], Status)] = &[(Publish, &[Scheduled], Published)];

fn who_may(action: Action, actor: Actor) -> bool {
    let Actor::Staff {
        role,
        member,
        owner,
    } = actor
    else {
        return true;
    };
    let in_outlet = member || role == Role::Admin;
    in_outlet
        && match action {
            Submit => role == Role::Admin || role == Role::Editor || owner,
            Kill => role == Role::Admin,
            _ => role == Role::Admin || role == Role::Editor,
        }
}

fn every_actor() -> Vec<Actor> {
    let mut all = vec![Actor::Clock];
    for role in [Role::Admin, Role::Editor, Role::Writer] {
        for member in [true, false] {
            for owner in [true, false] {
                all.push(staff(role, member, owner));
            }
        }
    }
    all
}

#[test]
fn every_state_action_and_actor_matches_the_product_table_the_clock_included() {
    let mut checked = 0;
    for actor in every_actor() {
        let table = if actor == Actor::Clock {
            CLOCK_TABLE
        } else {
            STAFF_TABLE
        };
        for state in Status::ALL {
            for action in Action::ALL {
                let row = table
                    .iter()
                    .find(|(act, from, _)| *act == action && from.contains(&state));
                let expected = match row {
                    None => Err(Refusal::WrongState),
                    Some(_) if !who_may(action, actor) => Err(Refusal::NotPermitted),
                    Some((_, _, to)) => Ok(*to),
                };
                assert_eq!(
                    next(state, action, actor).map(Transition::to),
                    expected,
                    "{action:?} from {state:?} by {actor:?}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, (3 * 2 * 2 + 1) * 7 * 8);
}

#[test]
fn a_transition_says_what_must_come_with_it_and_what_it_announces() {
    let editor = staff(Role::Editor, true, false);
    let admin = staff(Role::Admin, true, false);
    let t = |state, action, actor| next(state, action, actor).expect("allowed");
    for (state, action, actor) in [
        (Approved, Publish, editor),
        (Scheduled, Publish, Actor::Clock),
    ] {
        let publish = t(state, action, actor);
        assert!(publish.needs_publishable() && publish.publishes());
        assert_eq!(publish.schedule(), Schedule::Clear);
        assert_eq!(publish.announce(), Announce::Publication);
        assert!(!publish.needs_note());
    }
    let schedule = t(Approved, Schedule, editor);
    assert!(schedule.needs_publishable() && !schedule.publishes());
    assert_eq!(schedule.schedule(), Schedule::Set);
    assert_eq!(t(Scheduled, Unschedule, editor).schedule(), Schedule::Clear);
    assert!(t(InReview, Return, editor).needs_note());
    let kill = t(Published, Kill, admin);
    assert!(kill.needs_note());
    assert_eq!(kill.announce(), Announce::TakeDown(EventType::Killed));
    assert_eq!(
        t(Published, Unpublish, editor).announce(),
        Announce::TakeDown(EventType::Withdrawn)
    );
    for (state, action) in [(Draft, Submit), (InReview, Approve)] {
        let plain = t(state, action, editor);
        assert_eq!(plain.announce(), Announce::Nothing);
        assert_eq!(plain.schedule(), Schedule::Keep);
        assert!(!plain.needs_publishable() && !plain.needs_note() && !plain.publishes());
    }
}

#[test]
fn killed_is_final_and_the_clock_never_appears_in_allowed_actions_of_staff() {
    let admin = staff(Role::Admin, true, true);
    assert!(allowed_actions(Killed, admin).is_empty());
    assert_eq!(allowed_actions(Scheduled, admin), vec![Unschedule]);
    assert_eq!(allowed_actions(Scheduled, Actor::Clock), vec![Publish]);
}

#[test]
fn a_writer_submits_only_their_own_draft_and_never_publishes() {
    let own = staff(Role::Writer, true, true);
    let colleague = staff(Role::Writer, true, false);
    assert_eq!(allowed_actions(Draft, own), vec![Submit]);
    assert!(allowed_actions(Draft, colleague).is_empty());
    assert_eq!(
        next(Approved, Publish, own).map(Transition::to),
        Err(Refusal::NotPermitted)
    );
}

#[test]
fn an_editor_of_another_outlet_may_do_nothing() {
    let outsider = staff(Role::Editor, false, false);
    for state in Status::ALL {
        assert!(allowed_actions(state, outsider).is_empty());
    }
}

#[test]
fn actions_and_states_round_trip_their_names() {
    for action in Action::ALL {
        assert_eq!(Action::parse(action.as_str()), Some(action));
    }
    assert_eq!(Action::parse("delete"), None);
    for status in Status::ALL {
        assert_eq!(
            serde_json::to_value(status).ok(),
            Some(status.as_str().into())
        );
    }
}

/// The words of a second transition table: a line that names a target state next to an
/// action, or moves an article to a state it picked itself.
fn second_table(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or_default();
    let names_status = Status::ALL
        .iter()
        .any(|s| code.contains(&format!("Status::{s:?}")));
    let names_action = Action::ALL.iter().any(|a| {
        code.contains(&format!("Action::{a:?}")) || code.contains(&format!("\"{}\"", a.as_str()))
    });
    let assigns = Status::ALL
        .iter()
        .any(|s| code.contains(&format!("status = Status::{s:?}")));
    (names_status && names_action) || assigns
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `next` is the only table: the handlers, the services, the scheduler and the seeds move a
/// story only to the state it answers. A `match` from actions to states, a list of
/// `("publish", Status::Published)` steps or a `status = Status::…` anywhere but here is a
/// second source of truth, and fails this test.
#[test]
fn the_rule_book_is_the_only_transition_table() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rule_book = src.join("articles").join("rules");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "found the sources");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&rule_book)) {
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        // Unit tests build rows in any state they need: fixtures, not tables.
        let code = text
            .split("#[cfg(test)]\nmod tests {")
            .next()
            .unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            if second_table(line) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "a second transition table: {found:#?}");
    assert!(second_table("Action::Submit => Status::InReview,"));
    assert!(second_table("(\"publish\", Status::Published),"));
    assert!(second_table("after.status = Status::Killed;"));
    assert!(!second_table("if a.status == Status::Published {"));
}

/// A publishable story (headline, body, section, author) for the rules that read one.
fn publishable() -> crate::articles::Article {
    use crate::articles::{ArticleContent, Headline};
    use crate::domain::{LanguageTag, Slug};
    let now = chrono::Utc::now();
    let mut content = ArticleContent::new(
        Slug::parse_article("slug", "storm").unwrap(),
        Headline::parse("headline", "Storm").unwrap(),
        LanguageTag::parse("language", "en").unwrap(),
    );
    content.body = "Text.".into();
    content.section_id = Some(uuid::Uuid::now_v7());
    content.author_ids = vec![uuid::Uuid::now_v7()];
    crate::articles::Article {
        id: uuid::Uuid::now_v7(),
        outlet_id: uuid::Uuid::now_v7(),
        content,
        body_html: String::new(),
        status: Draft,
        version: 1,
        created_by: None,
        created_at: now,
        updated_at: now,
        first_published_at: None,
        published_at: None,
        scheduled_at: None,
        embargo_released_at: None,
    }
}

#[test]
fn every_picture_a_story_shows_needs_alt_text_to_publish() {
    let a = publishable();
    let picture = |featured, described| ShownPicture {
        id: uuid::Uuid::now_v7(),
        featured,
        described,
    };
    assert!(check_publishable(&a, &[]).is_ok());
    assert!(check_publishable(&a, &[picture(true, true), picture(false, true)]).is_ok());
    for (shown, field) in [
        (picture(true, false), "featured_media_id"),
        (picture(false, false), "body"),
    ] {
        let Err(crate::error::AppError::Validation(errors)) = check_publishable(&a, &[shown])
        else {
            panic!("an undescribed picture must refuse publication");
        };
        let message = &errors[field][0];
        assert!(
            message.contains(&shown.id.to_string()) && message.contains("alt text"),
            "{message}"
        );
    }
    // Publishing and scheduling ask the same rule, through the transition.
    let now = chrono::Utc::now();
    let undescribed = [picture(false, false)];
    for (state, action) in [(Draft, Publish), (Approved, Schedule)] {
        let t = next(state, action, staff(Role::Editor, true, false)).unwrap();
        let mut from = a.clone();
        from.status = state;
        let at = Some(now + chrono::Duration::hours(1));
        assert!(apply(t, &from, &undescribed, None, at, now).is_err());
        assert!(apply(t, &from, &[], None, at, now).is_ok());
    }
    let clock = next(Scheduled, Publish, Actor::Clock).unwrap();
    assert!(apply(clock, &a, &undescribed, None, None, now).is_err());
}
