//! What belongs to the site as a whole: the home page, the OpenAPI document, the health
//! check and the stylesheet.

pub mod health;
pub mod home;
pub mod openapi;

use crate::routes::{get, no_api, Access::Public, Feature, RouteDef};
use axum::routing as h;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: no_api,
};

fn routes() -> Vec<RouteDef> {
    vec![
        get("/", Public, h::get(home::home)),
        get("/api/openapi.json", Public, h::get(openapi::openapi_json)),
        get("/healthz", Public, h::get(health::healthz)),
        get("/static/style.css", Public, h::get(health::stylesheet)),
    ]
}
