//! Evaluation of a case against the indicators ([`Evaluation`]): a snapshot keeps the
//! owner's published values — for each indicator its latest school year — with the nation's
//! beside them. The baseline is taken inside the transaction that opens the case; follow-ups
//! when a party asks. Hidden values stay hidden in a snapshot.

use super::entities::{indicator_value, snapshot, snapshot_value};
use crate::audit::AuditEvent;
use crate::entities::organization;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use headway_domain::guidance::cases::SnapshotKind;
use headway_domain::guidance::suppression::Hidden;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One value in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotValue {
    pub indicator: String,
    pub period: String,
    pub value: Option<f64>,
    pub national: Option<f64>,
    pub hidden: Option<Hidden>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub id: i32,
    pub kind: SnapshotKind,
    pub taken_on: String,
    pub taken_by: String,
    pub values: Vec<SnapshotValue>,
}

/// Snapshots of a case's indicators.
#[async_trait::async_trait]
pub trait Evaluation {
    /// Takes a follow-up snapshot of an open case; returns its id.
    async fn follow_up(&self, actor: &str, case: i32, on: NaiveDate) -> Result<i32>;
    /// The case's snapshots, oldest first; two queries.
    async fn snapshots(&self, case: i32) -> Result<Vec<Snapshot>>;
}

/// Takes a snapshot of `organization`'s published yearly values inside `db`'s transaction.
pub(super) async fn take(
    db: &impl ConnectionTrait,
    case: i32,
    organization: i32,
    kind: SnapshotKind,
    on: NaiveDate,
    actor: &str,
) -> Result<i32> {
    let unit = organization::Entity::find_by_id(organization)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?
        .external_id;
    use indicator_value::Column as C;
    let rows = indicator_value::Entity::find()
        .filter(C::UnitKey.is_in([unit.clone(), "no".to_owned()]))
        .filter(C::Subgroup.eq(""))
        .filter(Expr::col(C::FirstYear).equals(C::LastYear))
        .all(db)
        .await?;
    let national: HashMap<(&str, &str), Option<f64>> = rows
        .iter()
        .filter(|r| r.unit_key == "no")
        .map(|r| {
            (
                (r.indicator.as_str(), r.period.as_str()),
                r.value.filter(|_| r.hidden.is_none()),
            )
        })
        .collect();
    // Each indicator's latest year for the unit.
    let mut latest: BTreeMap<&str, &indicator_value::Model> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.unit_key == unit) {
        let e = latest.entry(&r.indicator).or_insert(r);
        if r.last_year > e.last_year {
            *e = r;
        }
    }
    let s = snapshot::ActiveModel {
        case_id: Set(case),
        kind: Set(kind.code().to_owned()),
        taken_on: Set(on.to_string()),
        taken_by: Set(actor.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let values: Vec<snapshot_value::ActiveModel> = latest
        .values()
        .map(|r| snapshot_value::ActiveModel {
            snapshot_id: Set(s.id),
            indicator: Set(r.indicator.clone()),
            period: Set(r.period.clone()),
            value: Set(r.value.filter(|_| r.hidden.is_none())),
            national: Set(national
                .get(&(r.indicator.as_str(), r.period.as_str()))
                .copied()
                .flatten()),
            hidden: Set(r.hidden.clone()),
            ..Default::default()
        })
        .collect();
    if !values.is_empty() {
        snapshot_value::Entity::insert_many(values).exec(db).await?;
    }
    Ok(s.id)
}

#[async_trait::async_trait]
impl Evaluation for Store {
    async fn follow_up(&self, actor: &str, id: i32, on: NaiveDate) -> Result<i32> {
        let txn = self.begin_write().await?;
        let c = super::casework::open_case(&*txn, id).await?;
        let s = take(
            &*txn,
            id,
            c.organization_id,
            SnapshotKind::FollowUp,
            on,
            actor,
        )
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "guidance.case.snapshot",
            subject: &format!("case:{id}"),
            detail: &on.to_string(),
        })
        .await?;
        Ok(s)
    }

    async fn snapshots(&self, case: i32) -> Result<Vec<Snapshot>> {
        let shots = snapshot::Entity::find()
            .filter(snapshot::Column::CaseId.eq(case))
            .order_by_asc(snapshot::Column::TakenOn)
            .order_by_asc(snapshot::Column::Id)
            .all(&self.db)
            .await?;
        let mut values: HashMap<i32, Vec<SnapshotValue>> = HashMap::new();
        for v in snapshot_value::Entity::find()
            .filter(snapshot_value::Column::SnapshotId.is_in(shots.iter().map(|s| s.id)))
            .order_by_asc(snapshot_value::Column::Indicator)
            .all(&self.db)
            .await?
        {
            values
                .entry(v.snapshot_id)
                .or_default()
                .push(SnapshotValue {
                    hidden: v.hidden.as_deref().map(Hidden::parse).transpose()?,
                    indicator: v.indicator,
                    period: v.period,
                    value: v.value,
                    national: v.national,
                });
        }
        shots
            .into_iter()
            .map(|s| {
                Ok(Snapshot {
                    kind: SnapshotKind::parse(&s.kind)?,
                    values: values.remove(&s.id).unwrap_or_default(),
                    id: s.id,
                    taken_on: s.taken_on,
                    taken_by: s.taken_by,
                })
            })
            .collect()
    }
}
