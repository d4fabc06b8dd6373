//! The OpenAPI document: the shared parts here, each feature's operations and schemas
//! merged in from its own fragment.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Headway API",
        description = "The directory, register and programmes of Headway.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(crate::http::error::ErrorBody, crate::http::error::ErrorDetail))
)]
struct Shared;

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = Shared::openapi();
    for f in &crate::FEATURES {
        doc.merge((f.openapi)());
    }
    doc
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
