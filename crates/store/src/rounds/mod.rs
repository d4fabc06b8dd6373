//! Group rounds in the store: the [`Rounds`] capability — read a round's population,
//! keep what a coordinator asked for with the job that forms the groups, keep the draft,
//! and publish it as networks ([`publish`]). Rules come from `headway_domain::rounds`.

mod aspects;
pub mod entities;
mod population;
mod publish;

pub use aspects::{AspectRow, RoundAspects};
pub use population::PopMember;

use crate::audit::AuditEvent;
use crate::jobs::{self, Job, Jobs};
use crate::networks::entities::network;
use crate::{Result, Store, StoreError};
use entities::{round, round_group};
use headway_domain::directory::Country;
use headway_domain::mail::Letters;
use headway_domain::rounds::{Draft, MemberKey, RoundRule, RoundSpec, RoundStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

/// The job kind of a round's search.
pub const JOB_KIND: &str = "round";

/// A round as its page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundView {
    pub id: i32,
    pub network_id: i32,
    pub network_name: String,
    pub spec: RoundSpec,
    pub status: RoundStatus,
    pub draft: Option<Draft>,
    pub job: Option<Job>,
    pub created_by: String,
    pub created_at: String,
    pub published_at: Option<String>,
    /// Once published: each group's network, by group number (from 0).
    pub group_networks: Vec<i32>,
}

/// A round in a network's history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RoundSummary {
    pub id: i32,
    pub title: String,
    pub status: RoundStatus,
    pub created_at: String,
    pub published_at: Option<String>,
}

fn parse_round(m: &round::Model) -> Result<(RoundSpec, RoundStatus, Option<Draft>)> {
    let bad = |e: String| StoreError::Internal(format!("round {}: {e}", m.id));
    let spec: RoundSpec = serde_json::from_str(&m.spec).map_err(|e| bad(e.to_string()))?;
    let status = RoundStatus::parse(&m.status).map_err(|e| bad(e.to_string()))?;
    let draft = match &m.draft {
        Some(d) => Some(serde_json::from_str(d).map_err(|e| bad(e.to_string()))?),
        None => None,
    };
    Ok((spec, status, draft))
}

/// Forming, keeping and publishing rounds of groups.
#[async_trait::async_trait]
pub trait Rounds {
    /// The members `spec` would group in `network`, in a stable order (by key).
    async fn population(&self, network: i32, spec: &RoundSpec) -> Result<Vec<PopMember>>;

    /// The regions (provinces, counties, statistical regions) of `country`, by name.
    async fn round_regions(&self, country: Country) -> Result<Vec<(i32, String)>>;

    /// Pairs (by key) that shared a group in the network's published rounds.
    async fn earlier_pairs(&self, network: i32) -> Result<Vec<(MemberKey, MemberKey)>>;

    /// Keeps the round and queues its search, in one transaction.
    async fn create_round(&self, actor: &str, network: i32, spec: &RoundSpec) -> Result<i32>;

    async fn round(&self, id: i32) -> Result<RoundView>;

    /// The round a job forms.
    async fn round_of_job(&self, job: i32) -> Result<RoundView>;

    /// The network's rounds, newest first.
    async fn rounds_of(&self, network: i32) -> Result<Vec<RoundSummary>>;

    /// Keeps the groups found (or changed by hand); the round becomes a draft. Refused once
    /// published.
    async fn save_draft(&self, actor: &str, id: i32, draft: &Draft, detail: &str) -> Result<()>;

    /// Queues the round's search again (after a failure or cancellation); the draft stays
    /// until new groups replace it.
    async fn rerun_round(&self, id: i32) -> Result<Job>;

    /// Creates each group as a network inside the round's network with its members,
    /// notifies the members who have an e-mail address in their language, and marks the
    /// round published; all in one transaction. Returns the groups' networks.
    async fn publish_round(&self, actor: &str, id: i32, letters: &dyn Letters) -> Result<Vec<i32>>;
}

#[async_trait::async_trait]
impl Rounds for Store {
    async fn population(&self, network: i32, spec: &RoundSpec) -> Result<Vec<PopMember>> {
        population::load(self, network, &spec.population).await
    }

    async fn round_regions(&self, country: Country) -> Result<Vec<(i32, String)>> {
        use crate::entities::region;
        Ok(region::Entity::find()
            .filter(region::Column::Country.eq(country.code()))
            .filter(region::Column::Level.eq(1))
            .order_by_asc(region::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect())
    }

    async fn earlier_pairs(&self, network: i32) -> Result<Vec<(MemberKey, MemberKey)>> {
        population::earlier_pairs(self, network).await
    }

    async fn create_round(&self, actor: &str, network: i32, spec: &RoundSpec) -> Result<i32> {
        spec.check()?;
        let title = headway_domain::input::Title::parse("title", &spec.title)?;
        let txn = self.begin_write().await?;
        if network::Entity::find_by_id(network).count(&*txn).await? == 0 {
            return Err(StoreError::NotFound);
        }
        let row =
            round::ActiveModel {
                network_id: Set(network),
                job_id: Set(None),
                title: Set(title.as_str().into()),
                spec: Set(
                    serde_json::to_string(spec).map_err(|e| StoreError::Internal(e.to_string()))?
                ),
                status: Set(RoundStatus::Forming.code().into()),
                draft: Set(None),
                created_by: Set(actor.into()),
                created_at: Set(crate::now()),
                published_at: Set(None),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
        let job = jobs::enqueue(&*txn, JOB_KIND, &format!("round:{}", row.id)).await?;
        round::Entity::update_many()
            .col_expr(round::Column::JobId, Expr::value(job))
            .filter(round::Column::Id.eq(row.id))
            .exec(&*txn)
            .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "round.create",
            subject: &format!("round:{}", row.id),
            detail: &format!("network:{network} {}", title.as_str()),
        })
        .await?;
        Ok(row.id)
    }

    async fn round(&self, id: i32) -> Result<RoundView> {
        let m = round::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (spec, status, draft) = parse_round(&m)?;
        let network_name = network::Entity::find_by_id(m.network_id)
            .one(&self.db)
            .await?
            .map(|n| n.name)
            .unwrap_or_default();
        let job = match m.job_id {
            Some(j) => Some(self.job(j).await?),
            None => None,
        };
        let group_networks = round_group::Entity::find()
            .filter(round_group::Column::RoundId.eq(id))
            .order_by_asc(round_group::Column::GroupNo)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|g| g.network_id)
            .collect();
        Ok(RoundView {
            id,
            network_id: m.network_id,
            network_name,
            spec,
            status,
            draft,
            job,
            created_by: m.created_by,
            created_at: m.created_at,
            published_at: m.published_at,
            group_networks,
        })
    }

    async fn round_of_job(&self, job: i32) -> Result<RoundView> {
        let m = round::Entity::find()
            .filter(round::Column::JobId.eq(job))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.round(m.id).await
    }

    async fn rounds_of(&self, network: i32) -> Result<Vec<RoundSummary>> {
        round::Entity::find()
            .filter(round::Column::NetworkId.eq(network))
            .order_by_desc(round::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| {
                Ok(RoundSummary {
                    id: m.id,
                    status: RoundStatus::parse(&m.status)
                        .map_err(|e| StoreError::Internal(e.to_string()))?,
                    title: m.title,
                    created_at: m.created_at,
                    published_at: m.published_at,
                })
            })
            .collect()
    }

    async fn save_draft(&self, actor: &str, id: i32, draft: &Draft, detail: &str) -> Result<()> {
        let json = serde_json::to_string(draft).map_err(|e| StoreError::Internal(e.to_string()))?;
        let txn = self.begin_write().await?;
        let n = round::Entity::update_many()
            .col_expr(round::Column::Draft, Expr::value(json))
            .col_expr(
                round::Column::Status,
                Expr::value(RoundStatus::Draft.code()),
            )
            .filter(round::Column::Id.eq(id))
            .filter(round::Column::Status.ne(RoundStatus::Published.code()))
            .exec(&*txn)
            .await?;
        if n.rows_affected == 0 {
            return Err(match round::Entity::find_by_id(id).count(&*txn).await? {
                0 => StoreError::NotFound,
                _ => StoreError::Refused(Box::new(RoundRule::NotADraft {
                    status: RoundStatus::Published,
                })),
            });
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "round.draft",
            subject: &format!("round:{id}"),
            detail,
        })
        .await
    }

    async fn rerun_round(&self, id: i32) -> Result<Job> {
        let r = self.round(id).await?;
        if r.status == RoundStatus::Published {
            return Err(StoreError::Refused(Box::new(RoundRule::NotADraft {
                status: r.status,
            })));
        }
        let job = r.job.ok_or(StoreError::NotFound)?;
        self.restart_job(job.id).await
    }

    async fn publish_round(&self, actor: &str, id: i32, letters: &dyn Letters) -> Result<Vec<i32>> {
        publish::publish(self, actor, id, letters).await
    }
}
