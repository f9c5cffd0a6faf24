//! `TestApp`: the real application on a loopback port, over a fresh database per test that is
//! dropped afterwards, with typed helpers. The database server is `DATABASE_URL` when set, or
//! else a private embedded cluster started once per test run (the same machinery as
//! `newsroom serve`). `db` prepares the databases, `app` starts the application, `requests`
//! sends to it, `response` reads its answers, `fixtures` makes users, desks and stories, and
//! `interleave` pauses one instance's claim mid-statement.

mod app;
mod db;
mod fixtures;
mod interleave;
mod requests;
mod response;

pub use app::{stop_loops, test_config, TestApp};
pub use db::blank_database;
pub use fixtures::{Desk, TestUser, PASSWORD};
pub use response::{id_of, id_str, version_of, Res};
