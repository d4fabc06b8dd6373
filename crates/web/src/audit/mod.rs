//! The tamper-evident audit log in the web.

pub mod page;

use crate::policy::Action;
use crate::routes::{get, no_api, Access::Allowed, Feature, RouteDef};
use axum::routing as h;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: no_api,
};

fn routes() -> Vec<RouteDef> {
    vec![get(
        "/admin/audit",
        Allowed(Action::ViewAudit),
        h::get(page::audit),
    )]
}
