//! The public register: search that forgives diacritics and typos, one entry, figures.

use super::*;

/// The public register: search that forgives diacritics and typos, one entry, figures.
#[async_trait::async_trait]
pub trait PublicRegister {
    /// Public search: by name, school or municipality; diacritic- and typo-tolerant,
    /// ranked: leaders whose words equal the terms first, then prefixes, then near misses
    /// (edit distance 1 for words of 4–6 letters, 2 for longer). Only published statuses
    /// and public fields. A handful of indexed queries per search.
    async fn public_search(&self, q: &str, limit: usize) -> Result<Vec<PublicEntry>>;

    /// A leader's public entry, if published.
    async fn public_entry(&self, id: i32) -> Result<PublicEntry>;

    async fn register_stats(&self) -> Result<RegisterStats>;
}

#[async_trait::async_trait]
impl PublicRegister for Store {
    async fn public_search(&self, q: &str, limit: usize) -> Result<Vec<PublicEntry>> {
        let terms = headway_domain::text::terms(q, 6);
        if terms.is_empty() || limit == 0 {
            return Ok(vec![]);
        }
        let mut ids: Vec<i32> = vec![];
        let mut seen = HashSet::new();
        for mode in [Match::Exact, Match::Prefix, Match::Fuzzy] {
            if ids.len() >= limit {
                break;
            }
            for id in self.matches(&terms, mode, limit).await? {
                if ids.len() < limit && seen.insert(id) {
                    ids.push(id);
                }
            }
        }
        let rows = leader::Entity::find()
            .filter(leader::Column::Id.is_in(ids.clone()))
            .all(&self.db)
            .await?;
        let mut by_id: HashMap<i32, leader::Model> = rows.into_iter().map(|l| (l.id, l)).collect();
        let ordered: Vec<leader::Model> = ids.iter().filter_map(|id| by_id.remove(id)).collect();
        self.public_entries(ordered).await
    }

    async fn public_entry(&self, id: i32) -> Result<PublicEntry> {
        let l = leader::Entity::find_by_id(id)
            .filter(leader::Column::Status.is_in(LeaderStatus::PUBLIC.map(LeaderStatus::code)))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(self.public_entries(vec![l]).await?.remove(0))
    }

    async fn register_stats(&self) -> Result<RegisterStats> {
        let enrolled = leader::Entity::find().count(&self.db).await?;
        let registered = leader::Entity::find()
            .filter(leader::Column::Status.is_in(["registered", "conditional"]))
            .count(&self.db)
            .await?;
        let school_locations = organization::Entity::find()
            .filter(organization::Column::Kind.eq("school"))
            .count(&self.db)
            .await?;
        let boards: Vec<Option<i32>> = leader::Entity::find()
            .select_only()
            .column(leader::Column::BoardId)
            .distinct()
            .filter(leader::Column::BoardId.is_not_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let firsts: Vec<String> = cycle::Entity::find()
            .select_only()
            .column(cycle::Column::StartsOn)
            .filter(cycle::Column::Number.eq(1))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut per: std::collections::BTreeMap<i32, u64> = Default::default();
        for s in firsts {
            if let Some(y) = s.get(0..4).and_then(|y| y.parse().ok()) {
                *per.entry(y).or_default() += 1;
            }
        }
        Ok(RegisterStats {
            enrolled,
            registered,
            school_locations,
            boards: boards.len() as u64,
            per_year: per.into_iter().collect(),
        })
    }
}

impl Store {
    /// Published leaders that have, for every term, one of that term's words; in id
    /// order, at most `cap`. One query walks the (word, leader) index of the first term
    /// and probes the others by key, page by page; published statuses are checked on
    /// each page by primary key, so a query stops as soon as it has enough.
    pub(crate) async fn leaders_with_words(
        &self,
        per_term: &[Vec<String>],
        cap: usize,
    ) -> Result<Vec<i32>> {
        use sea_orm::sea_query::{Alias, Order, Query};
        if per_term.is_empty() || per_term.iter().any(Vec::is_empty) {
            return Ok(vec![]);
        }
        let w = |k: usize| Alias::new(format!("w{k}"));
        let (col_leader, col_word) = (Alias::new("leader_id"), Alias::new("word"));
        let page = (cap * 2).max(100) as u64;
        let mut out = Vec::with_capacity(cap);
        let mut after = 0i32;
        loop {
            let mut q = Query::select();
            q.distinct()
                .column((w(0), col_leader.clone()))
                .from_as(Alias::new("register_words"), w(0))
                .and_where(Expr::col((w(0), col_word.clone())).is_in(per_term[0].clone()))
                .and_where(Expr::col((w(0), col_leader.clone())).gt(after));
            for (k, words) in per_term.iter().enumerate().skip(1) {
                q.inner_join(
                    sea_orm::sea_query::TableRef::TableAlias(
                        sea_orm::sea_query::SeaRc::new(Alias::new("register_words")),
                        sea_orm::sea_query::SeaRc::new(w(k)),
                    ),
                    Expr::col((w(k), col_leader.clone()))
                        .equals((w(0), col_leader.clone()))
                        .and(Expr::col((w(k), col_word.clone())).is_in(words.clone())),
                );
            }
            q.order_by((w(0), col_leader.clone()), Order::Asc)
                .limit(page);
            let rows = self
                .db
                .query_all(self.db.get_database_backend().build(&q))
                .await?;
            let ids: Vec<i32> = rows
                .iter()
                .map(|r| r.try_get_by_index::<i32>(0))
                .collect::<std::result::Result<_, _>>()?;
            let Some(&last) = ids.last() else { break };
            after = last;
            let public: HashSet<i32> = leader::Entity::find()
                .select_only()
                .column(leader::Column::Id)
                .filter(leader::Column::Id.is_in(ids.clone()))
                .filter(leader::Column::Status.is_in(LeaderStatus::PUBLIC.map(LeaderStatus::code)))
                .into_tuple::<i32>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            out.extend(
                ids.iter()
                    .filter(|id| public.contains(id))
                    .take(cap - out.len()),
            );
            if out.len() >= cap || (ids.len() as u64) < page {
                break;
            }
        }
        Ok(out)
    }

    /// The register's words that match `term`: the word itself, words it begins
    /// (prefix), or near misses by edit distance among words with the same first letter.
    pub(crate) async fn vocabulary_for(&self, term: &str, mode: Match) -> Result<Vec<String>> {
        match mode {
            Match::Exact => Ok(vec![term.to_owned()]),
            Match::Prefix | Match::Fuzzy => {
                let first: String = term
                    .chars()
                    .take(if mode == Match::Prefix { usize::MAX } else { 1 })
                    .collect();
                let mut end: Vec<char> = first.chars().collect();
                if let Some(last) = end.last_mut() {
                    *last = char::from_u32(*last as u32 + 1).unwrap_or(char::MAX);
                }
                let end: String = end.into_iter().collect();
                let words: Vec<String> = vocab::Entity::find()
                    .select_only()
                    .column(vocab::Column::Word)
                    .filter(vocab::Column::Word.gte(first))
                    .filter(vocab::Column::Word.lt(end))
                    .limit(20_000)
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                Ok(words
                    .into_iter()
                    .filter(|w| mode == Match::Prefix || term_score(term, w) > 0.0)
                    .collect())
            }
        }
    }

    /// Published leaders matching every term in `mode`.
    pub(crate) async fn matches(
        &self,
        terms: &[String],
        mode: Match,
        cap: usize,
    ) -> Result<Vec<i32>> {
        let mut per_term = Vec::with_capacity(terms.len());
        for t in terms {
            let words = self.vocabulary_for(t, mode).await?;
            if words.is_empty() {
                return Ok(vec![]);
            }
            per_term.push(words);
        }
        // The term with the fewest words leads the walk.
        per_term.sort_by_key(Vec::len);
        self.leaders_with_words(&per_term, cap).await
    }

    pub(crate) async fn public_entries(
        &self,
        leaders: Vec<leader::Model>,
    ) -> Result<Vec<PublicEntry>> {
        let ids: Vec<i32> = leaders.iter().map(|l| l.id).collect();
        let schools = self.schools_of(&self.db, &ids).await?;
        let people = self.people_of(leaders.iter().map(|l| l.person_id)).await?;
        Ok(leaders
            .into_iter()
            .map(|l| {
                let s = schools.get(&l.id).cloned().unwrap_or_default();
                let mut munis: Vec<String> = s
                    .iter()
                    .map(|x| x.3.clone())
                    .filter(|m| !m.is_empty())
                    .collect();
                munis.dedup();
                PublicEntry {
                    id: l.id,
                    name: people
                        .get(&l.person_id)
                        .map(|p| format!("{} {}", p.given_name, p.family_name))
                        .unwrap_or_default(),
                    schools: s.into_iter().map(|x| x.2).collect(),
                    municipalities: munis,
                    status: leader_status(&l.status),
                    level: l.level,
                }
            })
            .collect())
    }
}
