//! The home page: what Headway holds, in figures.

use crate::http::error::AppResult;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_store::directory::DirectoryCounts;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    counts: DirectoryCounts,
}

impl HomePage {
    fn munis(&self, c: &str) -> u64 {
        self.counts.municipalities.get(c).copied().unwrap_or(0)
    }
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let counts = state.store.directory_counts_cached().await?;
    render(&HomePage { ctx, counts })
}
