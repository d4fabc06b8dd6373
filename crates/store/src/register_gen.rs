//! Generated registers for the demo and for benchmarks: realistic people over the real
//! schools and boards, many statuses, activities and consents. Bulk inserts with ids
//! assigned here, in batches, so a million leaders take minutes, not hours.

use crate::entities::register::{activity, consent, cycle, leader, leader_school, vocab, word};
use crate::entities::{organization, person};
use crate::{Result, Store};
use chrono::{Duration, NaiveDate};
use headway_domain::register::{format_date, RegisterRules};
use headway_domain::text::fold;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::HashMap;

const GIVEN: [&str; 40] = [
    "Anouk", "Bram", "Daan", "Eva", "Femke", "Jeroen", "Lotte", "Marieke", "Niels", "Sanne",
    "Thijs", "Wouter", "Ingrid", "Kari", "Ole", "Silje", "Mojca", "Matej", "Nina", "Luka", "Petra",
    "Ahmed", "Fatima", "Joost", "Mirjam", "Ruud", "Esther", "Hanneke", "Bas", "Karin", "Tom",
    "Linda", "Erik", "Monique", "Sven", "Yvonne", "Mark", "Ilse", "Pieter", "Gerda",
];
const FAMILY: [&str; 40] = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Berg",
    "van Dijk",
    "Koster",
    "Prins",
    "Huisman",
    "Peeters",
    "Kuipers",
    "Veenstra",
    "Willems",
    "Post",
    "Kramer",
    "Schouten",
    "Verhoeven",
    "Hoekstra",
];
const TITLES: [&str; 8] = [
    "Leading learning communities",
    "Data-informed school improvement",
    "Coaching conversations",
    "Inclusive education",
    "Governance and accountability",
    "Change management",
    "Peer visits",
    "Reading and reflection",
];

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenReport {
    pub leaders: u64,
    pub activities: u64,
    /// Search words (one per distinct folded word of a leader).
    pub words: u64,
}

async fn next_id<C: ConnectionTrait>(c: &C, table: &str) -> Result<i32> {
    let q = Query::select()
        .expr(Func::max(Expr::col(Alias::new("id"))))
        .from(Alias::new(table))
        .to_owned();
    let row = c.query_one(c.get_database_backend().build(&q)).await?;
    let max: Option<i32> = row.and_then(|r| r.try_get_by_index(0).ok()).flatten();
    Ok(max.unwrap_or(0) + 1)
}

/// PostgreSQL serials do not see explicitly given ids; move them past the largest.
async fn fix_sequences<C: ConnectionTrait>(c: &C) -> Result<()> {
    if c.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for t in [
        "people",
        "register_leaders",
        "register_cycles",
        "register_activities",
        "register_consents",
    ] {
        c.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

impl Store {
    /// Generates `n` leaders over the directory's Dutch schools with `k` activities each.
    /// Deterministic for a seed. `progress(done, total)` after each batch.
    pub async fn generate_register(
        &self,
        n: u64,
        k: u32,
        seed: u64,
        today: NaiveDate,
        rules: &RegisterRules,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<GenReport> {
        let schools: Vec<(i32, Option<i32>, String, Option<i32>)> = organization::Entity::find()
            .select_only()
            .columns([
                organization::Column::Id,
                organization::Column::ParentId,
                organization::Column::Name,
                organization::Column::MunicipalityId,
            ])
            .filter(organization::Column::Kind.eq("school"))
            .filter(organization::Column::Country.eq("NL"))
            .into_tuple()
            .all(&self.db)
            .await?;
        if schools.is_empty() {
            return Err(crate::StoreError::Internal(
                "the directory has no Dutch schools; import nl-schools first".into(),
            ));
        }
        let munis: HashMap<i32, String> = crate::entities::municipality::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let mut rng = StdRng::seed_from_u64(seed);
        let mut report = GenReport::default();
        const BATCH: u64 = 2_000;
        let mut done = 0;
        while done < n {
            let size = BATCH.min(n - done);
            let txn = self.begin_write().await?;
            let (mut pid, mut lid, mut cid, mut aid, mut kid) = (
                next_id(&*txn, "people").await?,
                next_id(&*txn, "register_leaders").await?,
                next_id(&*txn, "register_cycles").await?,
                next_id(&*txn, "register_activities").await?,
                next_id(&*txn, "register_consents").await?,
            );
            let now = crate::now();
            let (mut people, mut leaders, mut links, mut cycles, mut acts, mut consents) =
                (vec![], vec![], vec![], vec![], vec![], vec![]);
            let mut words = vec![];
            for i in 0..size {
                let g = GIVEN[rng.gen_range(0..GIVEN.len())];
                let f = FAMILY[rng.gen_range(0..FAMILY.len())];
                let school =
                    &schools[((done + i) as usize * 7919 + rng.gen_range(0..3)) % schools.len()];
                let muni = school
                    .3
                    .and_then(|m| munis.get(&m))
                    .cloned()
                    .unwrap_or_default();
                people.push(person::ActiveModel {
                    id: Set(pid),
                    given_name: Set(g.into()),
                    family_name: Set(f.into()),
                    email: Set(None),
                    search_key: Set(fold(&format!("{g} {f}"))),
                    created_at: Set(now.clone()),
                });
                let roll: f64 = rng.gen();
                // 70 % registered, 10 % conditional, 5 % lapsed, 5 % each submitted / aspirant / rejected.
                let status = match roll {
                    r if r < 0.70 => "registered",
                    r if r < 0.80 => "conditional",
                    r if r < 0.85 => "lapsed",
                    r if r < 0.90 => "submitted",
                    r if r < 0.95 => "aspirant",
                    _ => "rejected",
                };
                let key = fold(&format!("{g} {f} {} {muni}", school.2));
                let mut ws: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
                ws.sort_unstable();
                ws.dedup();
                for w in ws {
                    words.push(word::ActiveModel {
                        word: Set(w.to_owned()),
                        leader_id: Set(lid),
                    });
                }
                leaders.push(leader::ActiveModel {
                    id: Set(lid),
                    person_id: Set(pid),
                    user_id: Set(None),
                    board_id: Set(school.1),
                    position: Set(["director", "deputy", "team_leader"][rng.gen_range(0..3)].into()),
                    qualification: Set("Generated for the demo".into()),
                    status: Set(status.into()),
                    level: Set(matches!(status, "registered" | "conditional" | "lapsed").then(|| rules.levels[rng.gen_range(0..rules.levels.len())].clone())),
                    objected: Set(false),
                    search_key: Set(key),
                    created_at: Set(now.clone()),
                    updated_at: Set(now.clone()),
                    board_confirmed: Set(!matches!(status, "submitted" | "rejected" | "objection")),
                    schools_changed_at: Set(None),
                });
                links.push(leader_school::ActiveModel {
                    leader_id: Set(lid),
                    organization_id: Set(school.0),
                });
                if matches!(status, "registered" | "conditional" | "lapsed") {
                    let years = i64::from(rules.cycle_years) * 365;
                    let start = match status {
                        "registered" => today - Duration::days(rng.gen_range(0..years - 1)),
                        "conditional" => today - Duration::days(years + rng.gen_range(0..150)),
                        _ => today - Duration::days(years + 200 + rng.gen_range(0..400)),
                    };
                    let c = headway_domain::register::first_cycle(start, rules);
                    cycles.push(cycle::ActiveModel {
                        id: Set(cid),
                        leader_id: Set(lid),
                        number: Set(1),
                        starts_on: Set(format_date(c.starts_on)),
                        ends_on: Set(format_date(c.ends_on)),
                        status: Set(status.into()),
                        current: Set(true),
                        deferral_requested: Set(None),
                        deferral_until: Set(None),
                        reminders_sent: Set(String::new()),
                    });
                    cid += 1;
                    let span = (today.min(c.ends_on) - c.starts_on).num_days().max(1);
                    for _ in 0..k {
                        let formal = rng.gen_bool(0.8);
                        let on = c.starts_on + Duration::days(rng.gen_range(0..span));
                        acts.push(activity::ActiveModel {
                            id: Set(aid),
                            leader_id: Set(lid),
                            offer_id: Set(None),
                            title: Set(TITLES[rng.gen_range(0..TITLES.len())].into()),
                            kind: Set(if formal { "formal" } else { "informal" }.into()),
                            themes: Set(rules.themes[rng.gen_range(0..rules.themes.len())].clone()),
                            hours: Set(f64::from(rng.gen_range(2..40))),
                            points: Set(f64::from(rng.gen_range(3..20))),
                            started_on: Set(format_date(on - Duration::days(rng.gen_range(0..60)))),
                            completed_on: Set(format_date(on)),
                            validation: Set(if formal {
                                "not_needed"
                            } else if rng.gen_bool(0.7) {
                                "validated"
                            } else {
                                "pending"
                            }
                            .into()),
                            created_at: Set(now.clone()),
                        });
                        aid += 1;
                    }
                    if rng.gen_bool(0.3) {
                        if let Some(b) = school.1 {
                            consents.push(consent::ActiveModel {
                                id: Set(kid),
                                leader_id: Set(lid),
                                board_id: Set(b),
                                activity_id: Set(None),
                                granted_at: Set(now.clone()),
                                revoked_at: Set(None),
                            });
                            kid += 1;
                        }
                    }
                }
                pid += 1;
                lid += 1;
            }
            report.leaders += size;
            report.activities += acts.len() as u64;
            report.words += words.len() as u64;
            for c in people.chunks(1000) {
                person::Entity::insert_many(c.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            for c in leaders.chunks(1000) {
                leader::Entity::insert_many(c.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            for c in links.chunks(1000) {
                leader_school::Entity::insert_many(c.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            for c in cycles.chunks(1000) {
                cycle::Entity::insert_many(c.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            for c in acts.chunks(1000) {
                activity::Entity::insert_many(c.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            let mut distinct: Vec<String> = words
                .iter()
                .filter_map(|w| match &w.word {
                    sea_orm::ActiveValue::Set(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            distinct.sort_unstable();
            distinct.dedup();
            for c in distinct.chunks(4000) {
                vocab::Entity::insert_many(c.iter().map(|w| vocab::ActiveModel {
                    word: Set(w.clone()),
                }))
                .on_conflict(
                    sea_orm::sea_query::OnConflict::column(vocab::Column::Word)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&*txn)
                .await?;
            }
            for c in words.chunks(4000) {
                word::Entity::insert_many(c.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            for c in consents.chunks(1000) {
                consent::Entity::insert_many(c.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            fix_sequences(&*txn).await?;
            txn.commit().await?;
            done += size;
            progress(done, n);
        }
        Ok(report)
    }
}
