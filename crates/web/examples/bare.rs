//! The comparison point of the load benchmark: a bare axum handler returning a small
//! JSON body at the search's path, on the same runtime and machine as Headway. `bare ADDR`.

use axum::routing::get;
use axum::{Json, Router};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18081".into());
    let app = Router::new().route(
        "/api/v1/register/search",
        get(|| async { Json(serde_json::json!([{ "id": 1, "name": "bare" }])) }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
