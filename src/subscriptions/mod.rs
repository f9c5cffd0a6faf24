//! Readers' subscriptions to newsletters: double opt-in sign-up, confirmation, one-click
//! unsubscribe, the consent ledger and the suppression list. The rules are in `service.rs`.

pub mod http;
mod pages;
pub mod service;
pub mod store;
