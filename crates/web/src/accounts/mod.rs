//! Accounts in the web: login and logout, the dashboard, account administration and the
//! outbox.

pub mod admin;
pub mod dashboard;
pub mod login;

use crate::policy::Action as A;
use crate::routes::{get, no_api, post, Access::*, Feature, RouteDef};
use axum::routing as h;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: no_api,
};

fn routes() -> Vec<RouteDef> {
    vec![
        get("/login", Public, h::get(login::login_page)),
        post("/login", Public, h::post(login::login)),
        post("/logout", SignedIn, h::post(login::logout)),
        get(
            "/me",
            Allowed(A::ViewDashboard),
            h::get(dashboard::dashboard),
        ),
        get(
            "/admin/accounts",
            Allowed(A::ManageAccounts),
            h::get(admin::accounts),
        ),
        post(
            "/admin/accounts",
            Allowed(A::ManageAccounts),
            h::post(admin::create_account),
        ),
        get(
            "/admin/outbox",
            Allowed(A::ViewOutbox),
            h::get(admin::outbox),
        ),
    ]
}
