//! The one freshness rule of every in-memory copy a server keeps of database state (the
//! public register, the directory search, the home page's totals): the copy answers
//! without asking the database while this process has committed no write since the last
//! check and the check is younger than the copy's interval; otherwise it is refreshed
//! first (which may find nothing changed). Writes of other servers are therefore seen
//! within one interval, writes of this server at once.

use crate::Result;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::Arc;
use tokio::sync::{RwLock, RwLockReadGuard};

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A value kept fresh by the rule above.
#[derive(Debug)]
pub struct Fresh<T> {
    value: RwLock<T>,
    /// When the database was last asked (ms since the epoch; 0: never).
    checked_ms: AtomicU64,
    /// This process's write count at that check.
    seen_writes: AtomicU64,
    /// How long a check is trusted.
    recheck_ms: u64,
}

impl<T: Default> Fresh<T> {
    pub fn new(recheck_ms: u64) -> Arc<Self> {
        Arc::new(Self {
            value: RwLock::new(T::default()),
            checked_ms: AtomicU64::new(0),
            seen_writes: AtomicU64::new(0),
            recheck_ms,
        })
    }

    fn trusted(&self, writes: &AtomicU64) -> bool {
        self.checked_ms.load(SeqCst) != 0
            && self.seen_writes.load(SeqCst) == writes.load(SeqCst)
            && now_ms().saturating_sub(self.checked_ms.load(SeqCst)) < self.recheck_ms
    }

    /// The value, refreshed first by `refresh` unless trusted. `writes` is the process's
    /// count of committed write transactions. One refresh runs at a time; readers that
    /// waited for it use its result.
    pub async fn get(
        &self,
        writes: &AtomicU64,
        refresh: impl AsyncFnOnce(&mut T) -> Result<()>,
    ) -> Result<RwLockReadGuard<'_, T>> {
        {
            let v = self.value.read().await;
            if self.trusted(writes) {
                return Ok(v);
            }
        }
        let seen = writes.load(SeqCst);
        let mut v = self.value.write().await;
        if !self.trusted(writes) {
            refresh(&mut v).await?;
            self.checked_ms.store(now_ms(), SeqCst);
            self.seen_writes.store(seen, SeqCst);
        }
        Ok(v.downgrade())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refreshes_after_own_writes_and_after_the_interval_only() {
        let fresh = Fresh::<u32>::new(60_000);
        let writes = AtomicU64::new(0);
        let bump = async |v: &mut u32| -> Result<()> {
            *v += 1;
            Ok(())
        };
        assert_eq!(
            *fresh.get(&writes, bump).await.unwrap(),
            1,
            "first use loads"
        );
        assert_eq!(*fresh.get(&writes, bump).await.unwrap(), 1, "trusted");
        writes.fetch_add(1, SeqCst);
        assert_eq!(
            *fresh.get(&writes, bump).await.unwrap(),
            2,
            "own write: refreshed"
        );
        let soon = Fresh::<u32>::new(0);
        assert_eq!(*soon.get(&writes, bump).await.unwrap(), 1);
        assert_eq!(
            *soon.get(&writes, bump).await.unwrap(),
            2,
            "interval passed"
        );
    }
}
