//! Articles: drafting, editing with If-Match, corrections, deletion, idempotency, and the
//! workflow's rules as the API answers them.

mod drafting;
mod editing;
mod idempotency;
mod pictures;
mod workflow;
