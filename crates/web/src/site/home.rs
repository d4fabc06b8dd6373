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

/// How long the home page's totals are reused before they are counted again.
const COUNTS_TTL: std::time::Duration = std::time::Duration::from_secs(30);

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let cached = state.home_counts.lock().ok().and_then(|c| {
        c.as_ref()
            .filter(|(at, _)| at.elapsed() < COUNTS_TTL)
            .map(|(_, c)| c.clone())
    });
    let counts = match cached {
        Some(c) => c,
        None => {
            let c = state.store.directory_counts().await?;
            if let Ok(mut slot) = state.home_counts.lock() {
                *slot = Some((std::time::Instant::now(), c.clone()));
            }
            c
        }
    };
    render(&HomePage { ctx, counts })
}
