//! The editorial workflow as one table: every edge a story can take, who may take it, what
//! must come with it and what it does besides moving the state. `next(state, action, actor)`
//! reads the table and answers with the whole [`Transition`]; nothing else in the crate knows
//! where an action leads. The clock is an actor too, so the background publication of a due
//! scheduled story is an edge of the table like any other. This is the table of PRODUCT.md:
//!
//! | action     | from                                    | to          | who                                 |
//! |------------|-----------------------------------------|-------------|-------------------------------------|
//! | submit     | draft                                   | in_review   | the article's writer, editor, admin |
//! | return     | in_review, approved                     | draft       | editor, admin (note)                |
//! | approve    | in_review                               | approved    | editor, admin                       |
//! | publish    | draft, in_review, approved, unpublished | published   | editor, admin                       |
//! | publish    | scheduled (when due)                    | published   | the clock                           |
//! | schedule   | approved                                | scheduled   | editor, admin (future time)         |
//! | unschedule | scheduled                               | approved    | editor, admin                       |
//! | unpublish  | published                               | unpublished | editor, admin                       |
//! | kill       | published, unpublished                  | killed      | admin (note)                        |
//!
//! Writers and editors act only on articles of their outlets; admins on all.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Role;
use crate::outbox::EventType;

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

    /// Every article starts here.
    pub const NEW: Status = Status::Draft;

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Approved => "approved",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
            Status::Killed => "killed",
        }
    }
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
}

/// Who is acting, as far as the workflow cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in member of staff.
    Staff {
        role: Role,
        /// Belongs to the article's outlet (always true for admins).
        member: bool,
        /// Is the article's writer.
        owner: bool,
    },
    /// The background worker, acting when a scheduled time comes.
    Clock,
}

/// Why a transition was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The action does not apply to the current state (409).
    WrongState,
    /// The actor may never take this action here (403).
    NotPermitted,
}

/// What a transition does to `scheduled_at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    Keep,
    /// Set it to the action's `at`, which must be in the future.
    Set,
    Clear,
}

/// What partners are told when a transition commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Announce {
    Nothing,
    /// `article.published`, if the story is publicly visible now (not under embargo).
    Publication,
    /// A take-down, only if partners were ever told about the story.
    TakeDown(EventType),
}

/// Who may take an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// The article's writer, an editor or an admin.
    Writer,
    Editor,
    Admin,
    Clock,
}

/// One edge of the workflow.
#[derive(Debug, PartialEq, Eq)]
struct Edge {
    action: Action,
    from: &'static [Status],
    to: Status,
    who: Who,
    /// A `note` saying why is required.
    note: bool,
    /// The story must be complete enough to publish.
    publishable: bool,
    schedule: Schedule,
    /// Sets `published_at` (and `first_published_at` the first time).
    publishes: bool,
    announce: Announce,
}

const fn edge(action: Action, from: &'static [Status], to: Status, who: Who) -> Edge {
    Edge {
        action,
        from,
        to,
        who,
        note: false,
        publishable: false,
        schedule: Schedule::Keep,
        publishes: false,
        announce: Announce::Nothing,
    }
}

const PUBLISH: Edge = Edge {
    publishable: true,
    schedule: Schedule::Clear,
    publishes: true,
    announce: Announce::Publication,
    ..edge(
        Action::Publish,
        &[
            Status::Draft,
            Status::InReview,
            Status::Approved,
            Status::Unpublished,
        ],
        Status::Published,
        Who::Editor,
    )
};

/// The whole workflow. At most one edge per action, state and kind of actor (staff or clock).
const TABLE: &[Edge] = &[
    edge(
        Action::Submit,
        &[Status::Draft],
        Status::InReview,
        Who::Writer,
    ),
    Edge {
        note: true,
        ..edge(
            Action::Return,
            &[Status::InReview, Status::Approved],
            Status::Draft,
            Who::Editor,
        )
    },
    edge(
        Action::Approve,
        &[Status::InReview],
        Status::Approved,
        Who::Editor,
    ),
    PUBLISH,
    Edge {
        from: &[Status::Scheduled],
        who: Who::Clock,
        ..PUBLISH
    },
    Edge {
        publishable: true,
        schedule: Schedule::Set,
        ..edge(
            Action::Schedule,
            &[Status::Approved],
            Status::Scheduled,
            Who::Editor,
        )
    },
    Edge {
        schedule: Schedule::Clear,
        ..edge(
            Action::Unschedule,
            &[Status::Scheduled],
            Status::Approved,
            Who::Editor,
        )
    },
    Edge {
        announce: Announce::TakeDown(EventType::Withdrawn),
        ..edge(
            Action::Unpublish,
            &[Status::Published],
            Status::Unpublished,
            Who::Editor,
        )
    },
    Edge {
        note: true,
        announce: Announce::TakeDown(EventType::Killed),
        ..edge(
            Action::Kill,
            &[Status::Published, Status::Unpublished],
            Status::Killed,
            Who::Admin,
        )
    },
];

impl Who {
    fn is_clock(self) -> bool {
        self == Who::Clock
    }

    fn permits(self, actor: Actor) -> bool {
        match actor {
            Actor::Clock => self == Who::Clock,
            Actor::Staff { role, member, .. } if !member && role != Role::Admin => false,
            Actor::Staff { role, owner, .. } => match self {
                Who::Writer => role != Role::Writer || owner,
                Who::Editor => role.at_least(Role::Editor),
                Who::Admin => role == Role::Admin,
                Who::Clock => false,
            },
        }
    }
}

/// An allowed move, with everything the caller must check and do. Only [`next`] makes one,
/// so whatever applies a transition has asked the table first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    edge: &'static Edge,
}

impl Transition {
    pub fn action(self) -> Action {
        self.edge.action
    }

    /// The state the article ends in.
    pub fn to(self) -> Status {
        self.edge.to
    }

    /// Whether a `note` saying why is required (returning a story, a legal takedown).
    pub fn needs_note(self) -> bool {
        self.edge.note
    }

    /// Whether the story must be publishable (a headline, a body, a section, an author).
    pub fn needs_publishable(self) -> bool {
        self.edge.publishable
    }

    pub fn schedule(self) -> Schedule {
        self.edge.schedule
    }

    /// Whether it sets `published_at` (and `first_published_at` the first time).
    pub fn publishes(self) -> bool {
        self.edge.publishes
    }

    pub fn announce(self) -> Announce {
        self.edge.announce
    }
}

/// Where `action` leads from `state` for `actor`, with all it implies, or why not.
pub fn next(state: Status, action: Action, actor: Actor) -> Result<Transition, Refusal> {
    let clock = actor == Actor::Clock;
    let edge = TABLE
        .iter()
        .find(|e| e.action == action && e.from.contains(&state) && e.who.is_clock() == clock)
        .ok_or(Refusal::WrongState)?;
    if edge.who.permits(actor) {
        Ok(Transition { edge })
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
