//! Background jobs, shared by every feature with work longer than a request. A job is
//! claimed by one server through a lease (owner and expiry) written by a conditional
//! update, so two servers on one database never run it at once; the runner renews the
//! lease while it works. A job whose lease ran out (its server died) is claimed again by
//! the next server that looks, up to [`MAX_ATTEMPTS`] times, then marked failed; a failed
//! or cancelled job can be restarted.

use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use headway_domain::jobs::JobStatus;
use headway_domain::time;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// Claims of one job before it is given up as failed (each claim after the first means
/// the server holding it stopped renewing its lease).
pub const MAX_ATTEMPTS: i32 = 3;

pub mod job {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "jobs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub kind: String,
        /// What the job works on, in the feature's words (`round:7`).
        pub subject: String,
        pub status: String,
        /// Per mille.
        pub progress: i32,
        /// What the runner last said (the best objective so far).
        pub note: String,
        pub lease_owner: Option<String>,
        pub lease_until: Option<String>,
        pub attempts: i32,
        pub cancel_requested: bool,
        pub error: Option<String>,
        pub created_at: String,
        pub started_at: Option<String>,
        pub finished_at: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A job as its feature and pages see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i32,
    pub kind: String,
    pub subject: String,
    pub status: JobStatus,
    /// From 0 to 1000.
    pub progress: i32,
    pub note: String,
    pub attempts: i32,
    pub cancel_requested: bool,
    pub error: Option<String>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

impl TryFrom<job::Model> for Job {
    type Error = StoreError;

    fn try_from(m: job::Model) -> Result<Self> {
        Ok(Job {
            id: m.id,
            status: JobStatus::parse(&m.status)
                .map_err(|e| StoreError::Internal(format!("job {}: {e}", m.id)))?,
            kind: m.kind,
            subject: m.subject,
            progress: m.progress,
            note: m.note,
            attempts: m.attempts,
            cancel_requested: m.cancel_requested,
            error: m.error,
            created_at: m.created_at,
            started_at: m.started_at,
            finished_at: m.finished_at,
        })
    }
}

/// What a renewal of the lease learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// Keep going.
    Held,
    /// Someone asked to stop.
    CancelRequested,
    /// The lease is gone (it ran out and another server claimed the job): stop, and do
    /// not write a result.
    Lost,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    Done,
    Cancelled,
    Failed(String),
}

/// Queues a job inside the caller's transaction.
pub(crate) async fn enqueue<C: ConnectionTrait>(c: &C, kind: &str, subject: &str) -> Result<i32> {
    let m = job::ActiveModel {
        kind: Set(kind.into()),
        subject: Set(subject.into()),
        status: Set(JobStatus::Queued.code().into()),
        progress: Set(0),
        note: Set(String::new()),
        lease_owner: Set(None),
        lease_until: Set(None),
        attempts: Set(0),
        cancel_requested: Set(false),
        error: Set(None),
        created_at: Set(crate::now()),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(m.id)
}

/// Claiming, renewing and ending jobs.
#[async_trait::async_trait]
pub trait Jobs {
    async fn job(&self, id: i32) -> Result<Job>;

    /// Claims the oldest job of `kind` that is queued or whose lease ran out before `now`,
    /// for `owner` until `now + lease`. A job whose lease ran out for the last allowed time
    /// is marked failed instead. `None` when there is nothing to do.
    async fn claim_job(
        &self,
        kind: &str,
        owner: &str,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> Result<Option<Job>>;

    /// Renews `owner`'s lease and records progress (per mille) and a note.
    async fn renew_job(
        &self,
        id: i32,
        owner: &str,
        until: DateTime<Utc>,
        progress: i32,
        note: &str,
    ) -> Result<Renewal>;

    /// Ends `owner`'s run; `false` when the lease was lost (nothing is written).
    async fn end_job(&self, id: i32, owner: &str, ending: Ending) -> Result<bool>;

    /// Asks a job to stop: a queued job is cancelled at once, a running one when its
    /// runner next renews. Final jobs are left as they are.
    async fn cancel_job(&self, id: i32) -> Result<Job>;

    /// Queues a failed or cancelled job again, its attempts reset.
    async fn restart_job(&self, id: i32) -> Result<Job>;
}

#[async_trait::async_trait]
impl Jobs for Store {
    async fn job(&self, id: i32) -> Result<Job> {
        job::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    async fn claim_job(
        &self,
        kind: &str,
        owner: &str,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> Result<Option<Job>> {
        let at = time::format(now);
        let running = JobStatus::Running.code();
        // A few candidates: another server may take the first between our read and write.
        let candidates = job::Entity::find()
            .filter(job::Column::Kind.eq(kind))
            .filter(
                job::Column::Status
                    .eq(JobStatus::Queued.code())
                    .or(job::Column::Status
                        .eq(running)
                        .and(job::Column::LeaseUntil.lt(at.clone()))),
            )
            .order_by_asc(job::Column::Id)
            .all(&self.db)
            .await?;
        for c in candidates.into_iter().take(8) {
            // The update holds only if the row is still as read: one server wins.
            let still = job::Column::Status
                .eq(c.status.clone())
                .and(match &c.lease_until {
                    Some(u) => job::Column::LeaseUntil.eq(u.clone()),
                    None => job::Column::LeaseUntil.is_null(),
                });
            if c.status == running && c.attempts >= MAX_ATTEMPTS {
                job::Entity::update_many()
                    .col_expr(job::Column::Status, Expr::value(JobStatus::Failed.code()))
                    .col_expr(
                        job::Column::Error,
                        Expr::value(format!(
                            "the servers running it stopped {} times",
                            c.attempts
                        )),
                    )
                    .col_expr(job::Column::LeaseOwner, Expr::value(Option::<String>::None))
                    .col_expr(job::Column::FinishedAt, Expr::value(at.clone()))
                    .filter(job::Column::Id.eq(c.id))
                    .filter(still)
                    .exec(&self.db)
                    .await?;
                continue;
            }
            let won = job::Entity::update_many()
                .col_expr(job::Column::Status, Expr::value(running))
                .col_expr(job::Column::LeaseOwner, Expr::value(owner))
                .col_expr(
                    job::Column::LeaseUntil,
                    Expr::value(time::format(now + lease)),
                )
                .col_expr(job::Column::Attempts, Expr::value(c.attempts + 1))
                .col_expr(job::Column::StartedAt, Expr::value(at.clone()))
                .filter(job::Column::Id.eq(c.id))
                .filter(still)
                .exec(&self.db)
                .await?;
            if won.rows_affected == 1 {
                return self.job(c.id).await.map(Some);
            }
        }
        Ok(None)
    }

    async fn renew_job(
        &self,
        id: i32,
        owner: &str,
        until: DateTime<Utc>,
        progress: i32,
        note: &str,
    ) -> Result<Renewal> {
        let n = job::Entity::update_many()
            .col_expr(job::Column::LeaseUntil, Expr::value(time::format(until)))
            .col_expr(job::Column::Progress, Expr::value(progress.clamp(0, 1000)))
            .col_expr(job::Column::Note, Expr::value(note))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LeaseOwner.eq(owner))
            .filter(job::Column::Status.eq(JobStatus::Running.code()))
            .exec(&self.db)
            .await?;
        if n.rows_affected == 0 {
            return Ok(Renewal::Lost);
        }
        Ok(if self.job(id).await?.cancel_requested {
            Renewal::CancelRequested
        } else {
            Renewal::Held
        })
    }

    async fn end_job(&self, id: i32, owner: &str, ending: Ending) -> Result<bool> {
        let (status, error, progress) = match ending {
            Ending::Done => (JobStatus::Done, None, 1000),
            Ending::Cancelled => (JobStatus::Cancelled, None, 0),
            Ending::Failed(e) => (JobStatus::Failed, Some(e), 0),
        };
        let n = job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(status.code()))
            .col_expr(job::Column::Error, Expr::value(error))
            .col_expr(job::Column::Progress, Expr::value(progress))
            .col_expr(job::Column::LeaseOwner, Expr::value(Option::<String>::None))
            .col_expr(job::Column::LeaseUntil, Expr::value(Option::<String>::None))
            .col_expr(job::Column::FinishedAt, Expr::value(crate::now()))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LeaseOwner.eq(owner))
            .filter(job::Column::Status.eq(JobStatus::Running.code()))
            .exec(&self.db)
            .await?;
        Ok(n.rows_affected == 1)
    }

    async fn cancel_job(&self, id: i32) -> Result<Job> {
        job::Entity::update_many()
            .col_expr(
                job::Column::Status,
                Expr::value(JobStatus::Cancelled.code()),
            )
            .col_expr(job::Column::FinishedAt, Expr::value(crate::now()))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::Status.eq(JobStatus::Queued.code()))
            .exec(&self.db)
            .await?;
        job::Entity::update_many()
            .col_expr(job::Column::CancelRequested, Expr::value(true))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::Status.eq(JobStatus::Running.code()))
            .exec(&self.db)
            .await?;
        self.job(id).await
    }

    async fn restart_job(&self, id: i32) -> Result<Job> {
        job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(JobStatus::Queued.code()))
            .col_expr(job::Column::Attempts, Expr::value(0))
            .col_expr(job::Column::Progress, Expr::value(0))
            .col_expr(job::Column::CancelRequested, Expr::value(false))
            .col_expr(job::Column::Error, Expr::value(Option::<String>::None))
            .col_expr(job::Column::LeaseOwner, Expr::value(Option::<String>::None))
            .col_expr(job::Column::LeaseUntil, Expr::value(Option::<String>::None))
            .col_expr(job::Column::FinishedAt, Expr::value(Option::<String>::None))
            .filter(job::Column::Id.eq(id))
            .filter(
                job::Column::Status.is_in([JobStatus::Failed.code(), JobStatus::Cancelled.code()]),
            )
            .exec(&self.db)
            .await?;
        self.job(id).await
    }
}
