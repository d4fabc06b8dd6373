//! The directory search from memory. Every organisation's summary and folded search key,
//! in the order the database search returns them (name, then id), so a search is a scan
//! of a few thousand short strings instead of two `LIKE` scans and a page query.
//!
//! Freshness: the organisations' count and latest `updated_at` are compared with the
//! database at most once every [`RECHECK_MS`], and at once after a write of this process,
//! as for the public register; other servers' imports are seen within a second.

use crate::directory::{parse_summary, OrgPage, OrgQuery, OrgSummary};
use crate::entities::organization;
use crate::fresh::Fresh;
use crate::register::index::RECHECK_MS;
use crate::{Result, Store};
use headway_domain::text;
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult};
use std::sync::Arc;

#[derive(Default)]
pub struct DirectoryIndex {
    /// `(count, max updated_at)` of the organisations when loaded; empty until then.
    version: Option<(i64, String)>,
    entries: Vec<Entry>,
}

impl std::fmt::Debug for DirectoryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DirectoryIndex({} organisations)", self.entries.len())
    }
}

struct Entry {
    key: Box<str>,
    municipality_id: Option<i32>,
    summary: OrgSummary,
}

pub(crate) type SharedDirectoryIndex = Arc<Fresh<DirectoryIndex>>;

#[derive(FromQueryResult)]
struct Version {
    n: i64,
    latest: Option<String>,
}

impl DirectoryIndex {
    fn search(&self, q: &OrgQuery) -> OrgPage {
        let per_page = q.per_page.clamp(1, 200);
        let page = q.page.max(1);
        let terms = text::terms(q.q.as_deref().unwrap_or(""), 8);
        let skip = (page - 1).saturating_mul(per_page);
        let mut total = 0u64;
        let mut items = Vec::new();
        for e in &self.entries {
            let s = &e.summary;
            if q.country.is_some_and(|c| c != s.country)
                || q.kind.is_some_and(|k| k != s.kind)
                || q.municipality_id
                    .is_some_and(|m| Some(m) != e.municipality_id)
                || !terms.iter().all(|t| e.key.contains(t.as_str()))
            {
                continue;
            }
            if total >= skip && (items.len() as u64) < per_page {
                items.push(s.clone());
            }
            total += 1;
        }
        OrgPage {
            items,
            total,
            page,
            per_page,
        }
    }
}

impl Store {
    /// Turns the in-memory directory search on for this handle (and its clones).
    pub fn with_directory_index(mut self) -> Self {
        self.directory_index = Some(Fresh::new(RECHECK_MS));
        self
    }

    async fn directory_version(&self) -> Result<(i64, String)> {
        let q = Query::select()
            .expr_as(
                Func::count(Expr::col(organization::Column::Id)),
                Alias::new("n"),
            )
            .expr_as(
                Func::max(Expr::col(organization::Column::UpdatedAt)),
                Alias::new("latest"),
            )
            .from(organization::Entity)
            .to_owned();
        let backend = self.db.get_database_backend();
        let v = Version::find_by_statement(backend.build(&q))
            .one(&self.db)
            .await?;
        Ok(v.map(|v| (v.n, v.latest.unwrap_or_default()))
            .unwrap_or_default())
    }

    async fn load_directory(&self, idx: &mut DirectoryIndex) -> Result<()> {
        let version = self.directory_version().await?;
        if idx.version.as_ref() == Some(&version) {
            return Ok(());
        }
        let munis = self.municipality_name_map().await?;
        let mut entries = organization::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| {
                let key = m.search_key.clone().into_boxed_str();
                let municipality_id = m.municipality_id;
                parse_summary(m, &munis).map(|summary| Entry {
                    key,
                    municipality_id,
                    summary,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        entries.sort_by(|a, b| {
            a.summary
                .name
                .cmp(&b.summary.name)
                .then(a.summary.id.cmp(&b.summary.id))
        });
        entries.shrink_to_fit();
        idx.entries = entries;
        idx.version = Some(version);
        Ok(())
    }

    /// The directory search from memory when the index is on, else from the database.
    pub async fn search_organizations_indexed(&self, q: &OrgQuery) -> Result<OrgPage> {
        let Some(shared) = &self.directory_index else {
            return self.search_organizations(q).await;
        };
        let idx = shared
            .get(&self.writes, async |idx: &mut DirectoryIndex| {
                self.load_directory(idx).await
            })
            .await?;
        Ok(idx.search(q))
    }
}
