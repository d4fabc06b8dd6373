//! What every route shares at the HTTP level: errors, extractors, who is asking, the
//! session, CSRF, language, body limits, headers and error pages.

pub mod authorize;
pub mod csrf;
pub mod error;
pub mod error_pages;
pub mod headers;
pub mod language;
pub mod limits;
pub mod session;
pub mod whole;
