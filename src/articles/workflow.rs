//! The editorial workflow as a pure state machine: `next(state, action, actor)`. No I/O; the
//! service applies its answer in a transaction. This is the table of PRODUCT.md:
//!
//! | action     | from                                   | to          | who                         |
//! |------------|----------------------------------------|-------------|-----------------------------|
//! | submit     | draft                                  | in_review   | the article's writer, editor, admin |
//! | return     | in_review, approved                    | draft       | editor, admin (note)        |
//! | approve    | in_review                              | approved    | editor, admin               |
//! | publish    | draft, in_review, approved, unpublished| published   | editor, admin               |
//! | schedule   | approved                               | scheduled   | editor, admin (future time) |
//! | unschedule | scheduled                              | approved    | editor, admin               |
//! | unpublish  | published                              | unpublished | editor, admin               |
//! | kill       | published, unpublished                 | killed      | admin (note)                |
//!
//! Writers and editors act only on articles of their outlets; admins on all.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, ToSchema)]
#[sqlx(type_name = "article_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    InReview,
    Approved,
    Scheduled,
    Published,
    Unpublished,
    Killed,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Draft,
        Status::InReview,
        Status::Approved,
        Status::Scheduled,
        Status::Published,
        Status::Unpublished,
        Status::Killed,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Return,
    Approve,
    Publish,
    Schedule,
    Unschedule,
    Unpublish,
    Kill,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Submit,
        Action::Return,
        Action::Approve,
        Action::Publish,
        Action::Schedule,
        Action::Unschedule,
        Action::Unpublish,
        Action::Kill,
    ];

    pub fn parse(raw: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Return => "return",
            Action::Approve => "approve",
            Action::Publish => "publish",
            Action::Schedule => "schedule",
            Action::Unschedule => "unschedule",
            Action::Unpublish => "unpublish",
            Action::Kill => "kill",
        }
    }

    /// Whether the action needs a `note` (returning a story, a legal takedown).
    pub fn needs_note(self) -> bool {
        matches!(self, Action::Return | Action::Kill)
    }
}

/// Who is acting, as far as the workflow cares.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub role: Role,
    /// Belongs to the article's outlet (always true for admins).
    pub member: bool,
    /// Is the article's writer.
    pub owner: bool,
}

/// Why a transition was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The action does not apply to the current state (409).
    WrongState,
    /// The actor may never take this action here (403).
    NotPermitted,
}

fn transition(state: Status, action: Action) -> Option<Status> {
    use Action::*;
    use Status::*;
    match (action, state) {
        (Submit, Draft) => Some(InReview),
        (Return, InReview | Approved) => Some(Draft),
        (Approve, InReview) => Some(Approved),
        (Publish, Draft | InReview | Approved | Unpublished) => Some(Published),
        (Schedule, Approved) => Some(Scheduled),
        (Unschedule, Scheduled) => Some(Approved),
        (Unpublish, Published) => Some(Unpublished),
        (Kill, Published | Unpublished) => Some(Killed),
        _ => None,
    }
}

fn permitted(action: Action, actor: Actor) -> bool {
    if !actor.member && actor.role != Role::Admin {
        return false;
    }
    match action {
        Action::Submit => actor.role != Role::Writer || actor.owner,
        Action::Kill => actor.role == Role::Admin,
        _ => actor.role.at_least(Role::Editor),
    }
}

/// The state `action` leads to from `state` for `actor`, or why not.
pub fn next(state: Status, action: Action, actor: Actor) -> Result<Status, Refusal> {
    let to = transition(state, action).ok_or(Refusal::WrongState)?;
    if permitted(action, actor) {
        Ok(to)
    } else {
        Err(Refusal::NotPermitted)
    }
}

/// Every action `actor` may take on an article in `state` now.
pub fn allowed_actions(state: Status, actor: Actor) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| next(state, *a, actor).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Status::*;

    fn actor(role: Role, member: bool, owner: bool) -> Actor {
        Actor {
            role,
            member,
            owner,
        }
    }

    /// The expected table, written independently of `transition`: (action, from, to).
    const TABLE: &[(Action, &[Status], Status)] = &[
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

    fn who_may(action: Action, a: Actor) -> bool {
        let in_outlet = a.member || a.role == Role::Admin;
        in_outlet
            && match action {
                Submit => a.role == Role::Admin || a.role == Role::Editor || a.owner,
                Kill => a.role == Role::Admin,
                _ => a.role == Role::Admin || a.role == Role::Editor,
            }
    }

    #[test]
    fn every_state_action_and_actor_matches_the_product_table() {
        let mut checked = 0;
        for role in [Role::Admin, Role::Editor, Role::Writer] {
            for member in [true, false] {
                for owner in [true, false] {
                    let a = actor(role, member, owner);
                    for state in Status::ALL {
                        for action in Action::ALL {
                            let row = TABLE.iter().find(|(act, _, _)| *act == action).unwrap();
                            let expected = if !row.1.contains(&state) {
                                Err(Refusal::WrongState)
                            } else if !who_may(action, a) {
                                Err(Refusal::NotPermitted)
                            } else {
                                Ok(row.2)
                            };
                            assert_eq!(
                                next(state, action, a),
                                expected,
                                "{action:?} from {state:?} by {a:?}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 2 * 2 * 7 * 8);
    }

    #[test]
    fn killed_is_final() {
        let admin = actor(Role::Admin, true, true);
        assert!(allowed_actions(Killed, admin).is_empty());
    }

    #[test]
    fn a_writer_submits_only_their_own_draft_and_never_publishes() {
        let own = actor(Role::Writer, true, true);
        let colleague = actor(Role::Writer, true, false);
        assert_eq!(allowed_actions(Draft, own), vec![Submit]);
        assert!(allowed_actions(Draft, colleague).is_empty());
        assert_eq!(next(Approved, Publish, own), Err(Refusal::NotPermitted));
    }

    #[test]
    fn an_editor_of_another_outlet_may_do_nothing() {
        let outsider = actor(Role::Editor, false, false);
        for state in Status::ALL {
            assert!(allowed_actions(state, outsider).is_empty());
        }
    }

    #[test]
    fn actions_round_trip_their_names() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::parse("delete"), None);
    }
}
