//! The public register in memory: every server keeps a compact inverted index of the
//! published leaders (words → sorted leader ids) with the few public fields, so a public
//! search is answered without a database round trip per row. A search asks the database
//! for `MAX(updated_at)` (one indexed lookup) and applies what changed since — at once
//! when this server committed a write, otherwise at most once per [`RECHECK_MS`]: other
//! servers' changes show within a second.

use crate::entities::register::{leader, leader_school};
use crate::entities::{organization, person};
use crate::register::prelude::*;
use crate::register::PublicEntry;
use crate::{Result, Store};
use headway_domain::register::LeaderStatus;
use headway_domain::text::term_score;
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// One leader in 12 bytes: the name lives in the shared arena, the school (most lead
/// one) in the school table, any further schools in `more_schools`.
#[derive(Clone, Copy, Default)]
struct Entry {
    name_at: u32,
    name_len: u16,
    /// Index into [`STATUSES`]; `NOT_PUBLIC` when not published (or no leader).
    status: u8,
    /// Index into `levels`; `u8::MAX` for none.
    level: u8,
    /// Index into `schools`; `u32::MAX` for none.
    school: u32,
}

const NOT_PUBLIC: u8 = u8::MAX;

/// The in-memory public register.
#[derive(Default)]
pub struct PublicIndex {
    /// `MAX(updated_at)` of the rows loaded.
    version: String,
    /// By leader id (ids are dense).
    entries: Vec<Entry>,
    names: String,
    more_schools: HashMap<i32, Vec<u32>>,
    /// Sorted vocabulary with each word's sorted posting list.
    words: BTreeMap<String, Vec<i32>>,
    /// (school name, municipality name).
    schools: Vec<(String, String)>,
    school_ids: HashMap<i32, u32>,
    levels: Vec<String>,
}

const STATUSES: [LeaderStatus; 3] = LeaderStatus::PUBLIC;

/// How long a server trusts its index without asking the database, absent own writes.
pub const RECHECK_MS: u64 = 1000;

use headway_domain::text::Match;

impl std::fmt::Debug for PublicIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicIndex")
            .field("version", &self.version)
            .field("entries", &self.entries.len())
            .field("words", &self.words.len())
            .finish()
    }
}

impl PublicIndex {
    pub fn len(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status != NOT_PUBLIC)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn level_id(&mut self, level: Option<&str>) -> u8 {
        let Some(l) = level else { return u8::MAX };
        match self.levels.iter().position(|x| x == l) {
            Some(i) => i as u8,
            None => {
                self.levels.push(l.to_owned());
                (self.levels.len() - 1).min(254) as u8
            }
        }
    }

    fn is_public(&self, id: i32) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.entries.get(i))
            .is_some_and(|e| e.status != NOT_PUBLIC)
    }

    /// Adds or replaces a leader (its words are added; words it lost stay in the postings
    /// and are harmless, since each hit is checked against the entry's own words).
    #[allow(clippy::too_many_arguments)]
    fn upsert(
        &mut self,
        id: i32,
        key: &str,
        name: &str,
        status: Option<usize>,
        level: u8,
        schools: &[u32],
    ) {
        let at = self.names.len() as u32;
        self.names.push_str(name);
        let e = Entry {
            name_at: at,
            name_len: name.len().min(u16::MAX as usize) as u16,
            status: status.map_or(NOT_PUBLIC, |s| s as u8),
            level,
            school: schools.first().copied().unwrap_or(u32::MAX),
        };
        if schools.len() > 1 {
            self.more_schools.insert(id, schools[1..].to_vec());
        } else {
            self.more_schools.remove(&id);
        }
        let mut ws: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        ws.sort_unstable();
        ws.dedup();
        for w in ws {
            let list = self.words.entry(w.to_owned()).or_default();
            if let Err(pos) = list.binary_search(&id) {
                list.insert(pos, id);
            }
        }
        let i = id.max(0) as usize;
        if self.entries.len() <= i {
            self.entries.resize(
                i + 1,
                Entry {
                    status: NOT_PUBLIC,
                    ..Entry::default()
                },
            );
        }
        self.entries[i] = e;
    }

    fn words_for(&self, term: &str, mode: Match) -> Vec<&Vec<i32>> {
        match mode {
            Match::Exact => self.words.get(term).into_iter().collect(),
            Match::Prefix => self
                .words
                .range(term.to_owned()..)
                .take_while(|(w, _)| w.starts_with(term))
                .map(|(_, l)| l)
                .collect(),
            Match::Fuzzy => {
                let first: String = term.chars().take(1).collect();
                self.words
                    .range(first.clone()..)
                    .take_while(|(w, _)| w.starts_with(&first))
                    .filter(|(w, _)| term_score(term, w) > 0.0)
                    .map(|(_, l)| l)
                    .collect()
            }
        }
    }

    /// The leaders matching every term in `mode`, published only, in id order, at most
    /// `cap`. Walks the smallest term's postings lazily (a k-way merge when the term has
    /// several words) and probes the other terms by binary search, stopping at `cap`.
    fn matches(&self, terms: &[String], mode: Match, cap: usize) -> Vec<i32> {
        let mut per_term: Vec<Vec<&Vec<i32>>> =
            terms.iter().map(|t| self.words_for(t, mode)).collect();
        if per_term.iter().any(Vec::is_empty) {
            return vec![];
        }
        per_term.sort_by_key(|lists| lists.iter().map(|l| l.len()).sum::<usize>());
        let lead = &per_term[0];
        let rest = &per_term[1..];
        let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(i32, usize, usize)>> = lead
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(k, l)| std::cmp::Reverse((l[0], k, 0)))
            .collect();
        let mut out = Vec::with_capacity(cap);
        let mut last = None;
        while let Some(std::cmp::Reverse((id, k, pos))) = heap.pop() {
            if let Some(&next) = lead[k].get(pos + 1) {
                heap.push(std::cmp::Reverse((next, k, pos + 1)));
            }
            if last == Some(id) {
                continue;
            }
            last = Some(id);
            if rest
                .iter()
                .all(|lists| lists.iter().any(|l| l.binary_search(&id).is_ok()))
                && self.is_public(id)
            {
                out.push(id);
                if out.len() >= cap {
                    break;
                }
            }
        }
        out
    }

    /// Exact words first, then prefixes, then near misses.
    pub fn search(&self, q: &str, limit: usize) -> Vec<PublicEntry> {
        let terms = headway_domain::text::terms(q, 6);
        let mut out: Vec<i32> = vec![];
        if terms.is_empty() {
            return vec![];
        }
        for mode in [Match::Exact, Match::Prefix, Match::Fuzzy] {
            if out.len() >= limit {
                break;
            }
            for id in self.matches(&terms, mode, limit) {
                if out.len() < limit && !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out.into_iter().filter_map(|id| self.entry(id)).collect()
    }

    pub fn entry(&self, id: i32) -> Option<PublicEntry> {
        let e = *self
            .entries
            .get(usize::try_from(id).ok()?)
            .filter(|e| e.status != NOT_PUBLIC)?;
        let ids = std::iter::once(e.school)
            .chain(self.more_schools.get(&id).into_iter().flatten().copied());
        let schools: Vec<&(String, String)> =
            ids.filter_map(|s| self.schools.get(s as usize)).collect();
        let mut municipalities: Vec<String> = schools
            .iter()
            .map(|s| s.1.clone())
            .filter(|m| !m.is_empty())
            .collect();
        municipalities.dedup();
        Some(PublicEntry {
            id,
            name: self
                .names
                .get(e.name_at as usize..e.name_at as usize + e.name_len as usize)
                .unwrap_or("")
                .to_owned(),
            schools: schools.iter().map(|s| s.0.clone()).collect(),
            municipalities,
            status: STATUSES[e.status as usize],
            level: self.levels.get(e.level as usize).cloned(),
        })
    }
}

async fn max_updated<C: ConnectionTrait>(c: &C) -> Result<String> {
    let q = Query::select()
        .expr(Func::max(Expr::col(leader::Column::UpdatedAt)))
        .from(leader::Entity)
        .to_owned();
    let row = c.query_one(c.get_database_backend().build(&q)).await?;
    Ok(row
        .and_then(|r| r.try_get_by_index::<Option<String>>(0).ok())
        .flatten()
        .unwrap_or_default())
}

impl Store {
    /// Loads (or brings up to date) `idx` from the database: the leaders changed since its
    /// version, in pages.
    pub async fn refresh_public_index(&self, idx: &mut PublicIndex) -> Result<bool> {
        let latest = max_updated(&self.db).await?;
        if latest <= idx.version {
            return Ok(false);
        }
        if idx.schools.is_empty() {
            let munis = self.municipality_name_map().await?;
            let orgs: Vec<(i32, String, Option<i32>)> = organization::Entity::find()
                .select_only()
                .columns([
                    organization::Column::Id,
                    organization::Column::Name,
                    organization::Column::MunicipalityId,
                ])
                .into_tuple()
                .all(&self.db)
                .await?;
            for (id, name, muni) in orgs {
                idx.school_ids.insert(id, idx.schools.len() as u32);
                idx.schools.push((
                    name,
                    muni.and_then(|m| munis.get(&m).cloned())
                        .unwrap_or_default(),
                ));
            }
        }
        // Re-read a few seconds before the version: a transaction that stamped its rows
        // earlier but committed after the last refresh is picked up (upserts are idempotent).
        let since = headway_domain::time::parse(&idx.version)
            .map(|t| headway_domain::time::format(t - chrono::Duration::seconds(5)))
            .unwrap_or_default();
        use sea_orm::sea_query::{Alias, JoinType, Order};
        let a = Alias::new;
        let mut after = 0i32;
        const PAGE: u64 = 10_000;
        loop {
            // One joined, key-ordered read per page: leader, name, schools.
            let mut q = Query::select();
            q.columns([
                (a("l"), a("id")),
                (a("l"), a("status")),
                (a("l"), a("level")),
                (a("l"), a("search_key")),
            ])
            .columns([(a("p"), a("given_name")), (a("p"), a("family_name"))])
            .column((a("s"), a("organization_id")))
            .from_as(leader::Entity, a("l"))
            .join_as(
                JoinType::InnerJoin,
                person::Entity,
                a("p"),
                Expr::col((a("p"), a("id"))).equals((a("l"), a("person_id"))),
            )
            .join_as(
                JoinType::LeftJoin,
                leader_school::Entity,
                a("s"),
                Expr::col((a("s"), a("leader_id"))).equals((a("l"), a("id"))),
            )
            .and_where(Expr::col((a("l"), a("id"))).gt(after))
            .and_where(Expr::col((a("l"), a("updated_at"))).lte(latest.clone()))
            .order_by((a("l"), a("id")), Order::Asc)
            .limit(PAGE);
            if !since.is_empty() {
                q.and_where(Expr::col((a("l"), a("updated_at"))).gt(since.clone()));
            }
            let rows = self
                .db
                .query_all(self.db.get_database_backend().build(&q))
                .await?;
            let full = rows.len() as u64 == PAGE;
            let Some(last_row) = rows.last() else { break };
            let last_id: i32 = last_row.try_get_by_index(0)?;
            let mut k = 0;
            while k < rows.len() {
                let id: i32 = rows[k].try_get_by_index(0)?;
                // A full page may cut the last leader's schools: that leader is read again.
                if full && id == last_id {
                    break;
                }
                let status: String = rows[k].try_get_by_index(1)?;
                let level: Option<String> = rows[k].try_get_by_index(2)?;
                let key: String = rows[k].try_get_by_index(3)?;
                let given: String = rows[k].try_get_by_index(4)?;
                let family: String = rows[k].try_get_by_index(5)?;
                let mut schools = vec![];
                while k < rows.len() && rows[k].try_get_by_index::<i32>(0)? == id {
                    if let Some(o) = rows[k].try_get_by_index::<Option<i32>>(6)? {
                        if let Some(s) = idx.school_ids.get(&o) {
                            schools.push(*s);
                        }
                    }
                    k += 1;
                }
                let st = STATUSES.iter().position(|s| s.code() == status);
                let lv = idx.level_id(level.as_deref());
                idx.upsert(id, &key, &format!("{given} {family}"), st, lv, &schools);
                after = id;
            }
            if !full {
                break;
            }
            if after == 0
                || (full
                    && after < last_id
                    && rows
                        .iter()
                        .all(|r| r.try_get_by_index::<i32>(0).ok() == Some(last_id)))
            {
                // A single leader with more rows than a page: cannot happen with real data.
                break;
            }
        }
        for list in idx.words.values_mut() {
            list.shrink_to_fit();
        }
        idx.names.shrink_to_fit();
        idx.entries.shrink_to_fit();
        idx.version = latest;
        Ok(true)
    }

    async fn current_index(&self) -> Result<Option<tokio::sync::RwLockReadGuard<'_, PublicIndex>>> {
        let Some(fresh) = &self.public_index else {
            return Ok(None);
        };
        let idx = fresh
            .get(&self.writes, async |idx: &mut PublicIndex| {
                self.refresh_public_index(idx).await.map(|_| ())
            })
            .await?;
        Ok(Some(idx))
    }

    /// Public search from the in-memory index when it is on (see the module's freshness
    /// rule), else from the database.
    pub async fn public_search_indexed(&self, q: &str, limit: usize) -> Result<Vec<PublicEntry>> {
        match self.current_index().await? {
            Some(idx) => Ok(idx.search(q, limit)),
            None => self.public_search(q, limit).await,
        }
    }

    /// A public entry, from the index when it is on.
    pub async fn public_entry_indexed(&self, id: i32) -> Result<PublicEntry> {
        match self.current_index().await? {
            Some(idx) => idx.entry(id).ok_or(crate::StoreError::NotFound),
            None => self.public_entry(id).await,
        }
    }

    /// Turns the in-memory public index on for this handle (and its clones).
    pub fn with_public_index(mut self) -> Self {
        self.public_index = Some(crate::fresh::Fresh::new(RECHECK_MS));
        self
    }
}
