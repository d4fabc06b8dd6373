//! Headway's domain: types and rules, free of I/O.
//!
//! Each feature has a module of the same name in every layer crate
//! (`directory`, `accounts`, `audit`, later `register`, `networks`, …).

pub mod accounts;
pub mod audit;
pub mod directory;
pub mod geo;
pub mod input;
pub mod memberships;
pub mod register;
pub mod text;
pub mod time;
