//! The background runner of rounds: claims a round's job through its lease, forms the
//! groups on a blocking thread while renewing the lease and reporting progress, stops
//! when asked or when the lease is lost, and keeps the draft. Every server runs it; the
//! lease makes sure each job runs on one at a time, and a dead server's job is taken over.

use super::forming::{draft, prepare};
use headway_domain::rounds::RoundRule;
use headway_grouping::run::{run, RunOptions};
use headway_store::jobs::{Ending, Jobs, Renewal};
use headway_store::rounds::{Rounds, JOB_KIND};
use headway_store::{Store, StoreError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the runner works.
#[derive(Debug, Clone)]
pub struct Runner {
    /// This server's name in leases (unique per process).
    pub owner: String,
    /// How long a claim holds without renewal.
    pub lease: Duration,
    /// How often the lease is renewed and progress written.
    pub renew_every: Duration,
    /// How long to wait when there is nothing to do.
    pub idle: Duration,
    pub threads: usize,
    /// A fixed step budget (tests, the demo): the result depends only on the seed.
    pub max_steps: Option<u64>,
}

impl Runner {
    pub fn new(owner: impl Into<String>) -> Self {
        Runner {
            owner: owner.into(),
            lease: Duration::from_secs(30),
            renew_every: Duration::from_millis(1000),
            idle: Duration::from_millis(1000),
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            max_steps: None,
        }
    }

    /// Runs jobs until the process ends.
    pub async fn run_forever(self, store: Store) {
        loop {
            match self.work_once(&store).await {
                Ok(true) => {}
                Ok(false) => tokio::time::sleep(self.idle).await,
                Err(e) => {
                    tracing::warn!(error = %e, "round runner");
                    tokio::time::sleep(self.idle).await;
                }
            }
        }
    }

    /// Claims one job and runs it to its end; `false` when there was none.
    pub async fn work_once(&self, store: &Store) -> Result<bool, StoreError> {
        let lease = chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(30));
        let Some(job) = store
            .claim_job(JOB_KIND, &self.owner, chrono::Utc::now(), lease)
            .await?
        else {
            return Ok(false);
        };
        let ending = match self.form(store, job.id, lease).await {
            Ok(Some(e)) => e,
            // The lease was lost: another server has the job now.
            Ok(None) => return Ok(true),
            Err(e) => Ending::Failed(e.to_string()),
        };
        store.end_job(job.id, &self.owner, ending).await?;
        Ok(true)
    }

    async fn form(
        &self,
        store: &Store,
        job: i32,
        lease: chrono::Duration,
    ) -> Result<Option<Ending>, StoreError> {
        let round = store.round_of_job(job).await?;
        let spec = round.spec.clone();
        let pop = store.population(round.network_id, &spec).await?;
        let earlier = if spec.avoid_earlier {
            store.earlier_pairs(round.network_id).await?
        } else {
            Vec::new()
        };
        let prepared = match prepare(&spec, &pop, &earlier) {
            Ok(p) => p,
            Err(rule) => return Ok(Some(failed(&rule))),
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let time_limit = Duration::from_secs(u64::from(spec.seconds));
        let (threads, max_steps, seed) = (self.threads, self.max_steps, round.id as u64);
        let stop = cancel.clone();
        let mut solving = tokio::task::spawn_blocking(move || {
            let out = run(
                &prepared.plan,
                &RunOptions {
                    seed,
                    time_limit,
                    max_steps,
                    threads,
                    cancel: Some(&stop),
                },
            );
            (prepared, out)
        });
        let started = Instant::now();
        let mut asked_to_stop = false;
        let (prepared, out) = loop {
            tokio::select! {
                done = &mut solving => break done.map_err(|e| StoreError::Internal(e.to_string()))?,
                _ = tokio::time::sleep(self.renew_every) => {
                    let per_mille = (1000.0 * started.elapsed().as_secs_f64() / time_limit.as_secs_f64()).min(990.0) as i32;
                    let until = chrono::Utc::now() + lease;
                    match store.renew_job(job, &self.owner, until, per_mille, "").await? {
                        Renewal::Held => {}
                        Renewal::CancelRequested => { asked_to_stop = true; cancel.store(true, Ordering::Relaxed); }
                        Renewal::Lost => { cancel.store(true, Ordering::Relaxed); let _ = solving.await; return Ok(None); }
                    }
                }
            }
        };
        if asked_to_stop {
            return Ok(Some(Ending::Cancelled));
        }
        let out = match out {
            Ok(o) => o,
            Err(e) => {
                return Ok(Some(failed(&RoundRule::Unsolvable {
                    detail: e.to_string(),
                })))
            }
        };
        let d = draft(&spec, &prepared, &pop, &out);
        store
            .save_draft(
                "system:rounds",
                round.id,
                &d,
                &format!("{} groups, objective {:.3}", d.groups, d.objective),
            )
            .await?;
        Ok(Some(Ending::Done))
    }
}

/// A failure kept as the rule's code and figures, so the page says it in any language.
fn failed(rule: &RoundRule) -> Ending {
    Ending::Failed(serde_json::to_string(rule).unwrap_or_else(|_| rule.to_string()))
}
