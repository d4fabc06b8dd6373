//! The public register: search and one entry, with the register's figures.

use crate::http::error::{AppResult, ValidPath, ValidQuery};
use crate::ui::chart::Chart;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_store::register::prelude::*;
use headway_store::register::{PublicEntry, RegisterStats};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct Q {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "register/search.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    results: Vec<PublicEntry>,
    stats: RegisterStats,
    percent: String,
    chart: String,
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidQuery(p): ValidQuery<Q>,
) -> AppResult<Html<String>> {
    let q = p.q.unwrap_or_default();
    let results = if q.trim().is_empty() {
        vec![]
    } else {
        state.store.public_search_indexed(&q, 50).await?
    };
    let stats = state.store.register_stats().await?;
    let percent = if stats.school_locations > 0 {
        format!(
            "{:.1}",
            100.0 * stats.registered as f64 / stats.school_locations as f64
        )
    } else {
        "0".into()
    };
    let chart = Chart::per_year(&stats.per_year, ctx.t("reg-chart")).render()?;
    render(&SearchPage {
        ctx,
        q,
        results,
        stats,
        percent,
        chart,
    })
}

#[derive(Template)]
#[template(path = "register/entry.html")]
struct EntryPage {
    ctx: Ctx,
    e: PublicEntry,
}

pub async fn entry(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let e = state.store.public_entry_indexed(id).await?;
    render(&EntryPage { ctx, e })
}
