//! Headway's domain: types and rules, free of I/O.
//!
//! Each feature has a module of the same name in every layer crate
//! (`directory`, `accounts`, `audit`, later `register`, `networks`, …).

pub mod accounts;
pub mod audit;
mod codes;
pub mod directory;
pub mod events;
pub mod feedback;
pub mod files;
pub mod geo;
pub mod guidance;
pub mod input;
pub mod jobs;
pub mod language;
pub mod mail;
pub mod memberships;
pub mod networks;
pub mod refusal;
pub mod register;
pub mod rounds;
pub mod table;
pub mod text;
pub mod time;

/// A value with a name in every language: the id of the Fluent message that names it
/// (`status-registered`, `pos-director`).
pub trait Labelled {
    fn label_id(&self) -> String;
}

impl<T: Labelled> Labelled for &T {
    fn label_id(&self) -> String {
        (*self).label_id()
    }
}
