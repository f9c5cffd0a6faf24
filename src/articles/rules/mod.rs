//! The rule book of articles: every editorial rule, pure (no I/O), in four files. The
//! services (`service.rs`, `actions.rs`, `revisions.rs`, `due.rs`) read an article, ask these
//! functions, and write what they answer; they decide nothing themselves.
//!
//! | rule | where |
//! |---|---|
//! | which action leads where, for whom (staff or the clock), with what note, time and announcement | `workflow.rs`: `next`, `allowed_actions` |
//! | who may see, edit, delete, read the history of, or create an article | `access.rs` |
//! | when a story is publishable (pictures with alt text too); what an edit, a transition or a lifted embargo changes and announces | `changes.rs` |
//! | what partners and the public may see | `visibility.rs`: `publicly_visible` and its SQL twin |

mod access;
mod changes;
#[cfg(test)]
mod tests;
mod visibility;
mod workflow;

pub use access::{
    actor, actor_on, can_edit, can_read_history, can_see, check_create_in, check_delete,
    check_edit, listable_outlets, push_staff_visible,
};
pub use changes::{
    apply, check_publishable, edit, release_embargo, Edit, Moved, Notice, ShownPicture,
};
pub use visibility::{publicly_visible, push_publicly_visible};
pub use workflow::{
    allowed_actions, next, Action, Actor, Announce, Refusal, Schedule, Status, Transition,
};
