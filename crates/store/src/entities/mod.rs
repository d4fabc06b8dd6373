//! SeaORM entities, one per table.

pub mod audit_log;
pub mod login_attempt;
pub mod login_throttle;
pub mod membership;
pub mod municipality;
pub mod organization;
pub mod person;
pub mod position;
pub mod region;
pub mod region_member;
pub mod register;
pub mod session;
pub mod user;
