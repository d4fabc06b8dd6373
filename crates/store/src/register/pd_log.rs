//! The PD log: activities with evidence (stored once per SHA-256), read by the leader.

use super::*;

/// The PD log: activities with evidence (stored once per SHA-256), read by the leader.
#[async_trait::async_trait]
pub trait PdLog {
    /// Records a PD activity with its evidence (type and size checked; content stored
    /// once per SHA-256). Informal learning waits for an assessor.
    async fn add_activity(
        &self,
        leader_id: i32,
        a: NewActivity,
        files: Vec<EvidenceFile>,
        r: &RegisterRules,
        today: NaiveDate,
    ) -> Result<i32>;

    /// A leader's whole PD log, newest first.
    async fn activities(&self, leader_id: i32) -> Result<Vec<ActivityView>>;

    /// The newest `limit` entries of a leader's PD log and the number of all of them (the
    /// leader's page shows a bounded log however long it grows).
    async fn recent_activities(
        &self,
        leader_id: i32,
        limit: u64,
    ) -> Result<(Vec<ActivityView>, u64)>;

    /// An evidence file: (name, type, bytes, owning leader).
    async fn evidence_file(&self, id: i32) -> Result<(String, String, Vec<u8>, i32)>;
}

#[async_trait::async_trait]
impl PdLog for Store {
    async fn add_activity(
        &self,
        leader_id: i32,
        a: NewActivity,
        files: Vec<EvidenceFile>,
        r: &RegisterRules,
        today: NaiveDate,
    ) -> Result<i32> {
        let title = Title::parse("title", &a.title)?;
        let hours = Hours::new("hours", a.hours)?.get();
        let points = Points::new("points", a.points)?.get();
        if a.completed_on < a.started_on {
            return Err(InputError::new("completed_on", Problem::EndBeforeStart).into());
        }
        // Points count for what was done: an activity completed in the future is not.
        if a.completed_on > today {
            return Err(InputError::new("completed_on", Problem::InFuture).into());
        }
        let repeated = a
            .themes
            .iter()
            .enumerate()
            .find(|(i, t)| a.themes[..*i].contains(t));
        if let Some((_, t)) = repeated {
            return Err(InputError::new(
                "themes",
                Problem::Repeated {
                    value: t.chars().take(60).collect(),
                },
            )
            .into());
        }
        if let Some(t) = a.themes.iter().find(|t| !r.themes.contains(t)) {
            return Err(InputError::new(
                "themes",
                Problem::NotOneOf {
                    value: t.chars().take(60).collect(),
                    allowed: r.themes.join(", "),
                },
            )
            .into());
        }
        if files.len() > MAX_EVIDENCE_FILES {
            return Err(InputError::new(
                "evidence",
                Problem::TooMany {
                    max: MAX_EVIDENCE_FILES,
                },
            )
            .into());
        }
        let mut names = Vec::with_capacity(files.len());
        for f in &files {
            names.push(EVIDENCE.check("evidence", &f.file_name, &f.content_type, &f.bytes)?);
        }
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        if matches!(l.status.as_str(), "rejected") {
            return Err(RuleError::Rejected.into());
        }
        let (title, points, hours, themes) = match a.offer_id {
            Some(oid) => {
                let o = offer::Entity::find_by_id(oid)
                    .one(&*txn)
                    .await?
                    .ok_or(InputError::new("offer", Problem::NoSuchRecord))?;
                if o.status != OfferStatus::Accredited.code() {
                    return Err(RuleError::OfferNotAccredited.into());
                }
                (o.title, o.points, o.hours, o.themes)
            }
            None => (title.into_inner(), points, hours, a.themes.join(", ")),
        };
        let act = activity::ActiveModel {
            leader_id: Set(leader_id),
            offer_id: Set(a.offer_id),
            title: Set(title),
            kind: Set(a.kind.code().into()),
            themes: Set(themes),
            hours: Set(hours),
            points: Set(points),
            started_on: Set(rules::format_date(a.started_on)),
            completed_on: Set(rules::format_date(a.completed_on)),
            validation: Set(match a.kind {
                ActivityKind::Formal => "not_needed",
                ActivityKind::Informal => "pending",
            }
            .into()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        for (f, name) in files.into_iter().zip(names) {
            let sha = crate::files::keep(&*txn, &f.bytes).await?;
            evidence::ActiveModel {
                activity_id: Set(act.id),
                file_name: Set(name.as_str().to_owned()),
                content_type: Set(f.content_type),
                size: Set(f.bytes.len() as i64),
                sha256: Set(sha),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
        }
        audit_leader(
            &txn,
            &format!("leader:{leader_id}"),
            "register.activity.add",
            leader_id,
            &format!("activity:{}", act.id),
        )
        .await?;
        txn.commit().await?;
        Ok(act.id)
    }

    async fn activities(&self, leader_id: i32) -> Result<Vec<ActivityView>> {
        self.activity_views(leader_id, None).await
    }

    async fn recent_activities(
        &self,
        leader_id: i32,
        limit: u64,
    ) -> Result<(Vec<ActivityView>, u64)> {
        let total = activity::Entity::find()
            .filter(activity::Column::LeaderId.eq(leader_id))
            .count(&self.db)
            .await?;
        Ok((self.activity_views(leader_id, Some(limit)).await?, total))
    }

    async fn evidence_file(&self, id: i32) -> Result<(String, String, Vec<u8>, i32)> {
        let e = evidence::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let a = activity::Entity::find_by_id(e.activity_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let content = crate::files::content(&self.db, &e.sha256).await?;
        Ok((e.file_name, e.content_type, content, a.leader_id))
    }
}

impl Store {
    pub(crate) async fn activity_views(
        &self,
        leader_id: i32,
        limit: Option<u64>,
    ) -> Result<Vec<ActivityView>> {
        let acts = activity::Entity::find()
            .filter(activity::Column::LeaderId.eq(leader_id))
            .order_by_desc(activity::Column::CompletedOn)
            .order_by_desc(activity::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut ev: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
        if !acts.is_empty() {
            // A subquery, not a list of ids: a long PD log would pass the database's limit on
            // bound parameters (32,766 on SQLite), as the load benchmark's writer found.
            let of_leader = sea_orm::sea_query::Query::select()
                .column(activity::Column::Id)
                .from(activity::Entity)
                .and_where(activity::Column::LeaderId.eq(leader_id))
                .to_owned();
            for e in evidence::Entity::find()
                .filter(evidence::Column::ActivityId.in_subquery(of_leader))
                .all(&self.db)
                .await?
            {
                ev.entry(e.activity_id)
                    .or_default()
                    .push((e.id, e.file_name));
            }
        }
        acts.into_iter()
            .map(|a| {
                let e = ev.remove(&a.id).unwrap_or_default();
                activity_view(a, e)
            })
            .collect()
    }
}
