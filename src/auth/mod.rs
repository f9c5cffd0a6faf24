//! Staff authentication: argon2id passwords, opaque session tokens, login throttling
//! (`throttle.rs`: per account, per account and address, per address), and
//! the `CurrentUser` extractor every admin handler takes.

pub mod api_key;
mod common_passwords;
mod current_user;
mod hash_budget;
pub mod hashing;
pub mod http;
mod partner;
pub mod password;
mod service;
mod store;
pub mod throttle;
pub mod token;

pub use current_user::{bearer, session_user, CurrentUser, SignedIn};
pub use partner::{PartnerKey, PresentedKey};
pub use password::Password;
pub use service::{login, logout, revoke_user_sessions, LoginError, LoginMeta, LoginOutcome};

#[cfg(test)]
mod fuzz;
