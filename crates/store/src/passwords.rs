//! Argon2id password hashing behind a gate: at most one hash per core runs at a time,
//! each in a memory block reused from a small pool, and beyond a short queue a caller is
//! told [`StoreError::Busy`] at once. An anonymous burst of logins therefore costs a
//! bounded amount of memory (cores × ~19 MiB) and queues a bounded number of requests,
//! instead of allocating 19 MiB per request in flight.

use crate::{Result, StoreError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Requests that may wait for a hashing slot, per slot.
const QUEUE_PER_SLOT: usize = 16;

/// A PHC hash of a random password with the default parameters: checked against when a
/// name has no account, so that such a login costs the same time as a real one.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wjz9e6ZbD6uzmrwqb2s6vkFlm/VoUxKgHDL79TFs8Pk";

#[derive(Debug)]
pub struct HashGate {
    /// Hashes allowed to run at once.
    running: Semaphore,
    /// Hashes allowed to run or wait; a request beyond this is answered busy.
    admitted: Arc<Semaphore>,
    /// Memory blocks of finished hashes, reused by the next ones.
    pool: Mutex<Vec<Vec<Block>>>,
}

/// A place in the queue, held from before the login's database work until its hash ends.
pub struct Admission(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

impl HashGate {
    pub fn new(slots: usize) -> Self {
        let slots = slots.max(1);
        Self {
            running: Semaphore::new(slots),
            admitted: Arc::new(Semaphore::new(slots * (1 + QUEUE_PER_SLOT))),
            pool: Mutex::new(Vec::new()),
        }
    }

    /// One slot per core the process may use.
    pub fn for_this_machine() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// A place in the queue, or [`StoreError::Busy`] when the queue is full.
    pub fn admit(&self) -> Result<Admission> {
        self.admitted
            .clone()
            .try_acquire_owned()
            .map(Admission)
            .map_err(|_| StoreError::Busy)
    }

    /// Runs `work` with a memory block of at least `blocks` blocks, on a blocking thread,
    /// once a slot is free.
    async fn run<R: Send + 'static>(
        &self,
        _place: &Admission,
        blocks: usize,
        work: impl FnOnce(&mut [Block]) -> R + Send + 'static,
    ) -> Result<R> {
        let _slot = self.running.acquire().await.map_err(|_| StoreError::Busy)?;
        let mut memory = self
            .pool
            .lock()
            .map_err(|_| StoreError::Busy)?
            .pop()
            .unwrap_or_default();
        if memory.len() < blocks {
            memory = vec![Block::default(); blocks];
        }
        let (memory, out) = tokio::task::spawn_blocking(move || {
            let out = work(&mut memory[..blocks]);
            (memory, out)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("password hashing failed: {e}")))?;
        // Only blocks of the default size are kept: an old hash with larger parameters
        // must not leave a larger block behind.
        if memory.len() == Params::DEFAULT_M_COST as usize {
            if let Ok(mut pool) = self.pool.lock() {
                pool.push(memory);
            }
        }
        Ok(out)
    }

    /// A PHC string of `password` with the default parameters and a fresh salt.
    pub async fn hash(&self, place: &Admission, password: String) -> Result<String> {
        let salt = SaltString::generate(&mut OsRng);
        let blocks = Params::default().block_count();
        self.run(place, blocks, move |memory| {
            let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
            let argon = Argon2::default();
            let mut raw_salt = [0u8; 64];
            let raw = salt
                .decode_b64(&mut raw_salt)
                .map_err(|e| StoreError::Internal(format!("salt: {e}")))?;
            argon
                .hash_password_into_with_memory(password.as_bytes(), raw, &mut out, memory)
                .map_err(|e| StoreError::Internal(format!("password hashing failed: {e}")))?;
            let output = argon2::password_hash::Output::new(&out)
                .map_err(|e| StoreError::Internal(e.to_string()))?;
            let phc = PasswordHash {
                algorithm: argon2::ARGON2ID_IDENT,
                version: Some(Version::V0x13.into()),
                params: Params::default().try_into().map_err(
                    |e: argon2::password_hash::Error| StoreError::Internal(e.to_string()),
                )?,
                salt: Some(salt.as_salt()),
                hash: Some(output),
            };
            Ok(phc.to_string())
        })
        .await?
    }

    /// Whether `password` matches the PHC string `phc` (`None`: check against a dummy
    /// hash, spending the same work, and answer false).
    pub async fn verify(
        &self,
        place: &Admission,
        password: String,
        phc: Option<String>,
    ) -> Result<bool> {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Some(check) = Check::parse(&phc) else {
            return Ok(false);
        };
        let blocks = check.params.block_count();
        let ok = self
            .run(place, blocks, move |memory| {
                check.matches(password.as_bytes(), memory)
            })
            .await?;
        Ok(known && ok)
    }
}

/// What a stored PHC string says: parameters, salt and expected output.
struct Check {
    algorithm: Algorithm,
    version: Version,
    params: Params,
    salt: Vec<u8>,
    expected: argon2::password_hash::Output,
}

impl Check {
    fn parse(phc: &str) -> Option<Self> {
        let h = PasswordHash::new(phc).ok()?;
        let mut salt = [0u8; 64];
        let salt = h.salt?.decode_b64(&mut salt).ok()?.to_vec();
        Some(Self {
            algorithm: Algorithm::try_from(h.algorithm).ok()?,
            version: h
                .version
                .map_or(Some(Version::V0x13), |v| Version::try_from(v).ok())?,
            params: Params::try_from(&h).ok()?,
            salt,
            expected: h.hash?,
        })
    }

    fn matches(self, password: &[u8], memory: &mut [Block]) -> bool {
        let mut out = vec![0u8; self.expected.len()];
        Argon2::new(self.algorithm, self.version, self.params)
            .hash_password_into_with_memory(password, &self.salt, &mut out, memory)
            .ok()
            .and_then(|()| argon2::password_hash::Output::new(&out).ok())
            // `Output`'s equality is constant-time.
            .is_some_and(|o| o == self.expected)
    }
}

/// A hash made by the library's own allocating path, to check both paths agree.
#[cfg(test)]
fn reference_hash(password: &str) -> String {
    use argon2::password_hash::PasswordHasher;
    Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .expect("hash")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_both_ways_and_the_dummy_never_matches() {
        let gate = HashGate::new(1);
        let place = gate.admit().unwrap();
        let phc = gate.hash(&place, "correct horse".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(gate
            .verify(&place, "correct horse".into(), Some(phc.clone()))
            .await
            .unwrap());
        assert!(!gate
            .verify(&place, "wrong horse".into(), Some(phc))
            .await
            .unwrap());
        // A hash made by the library's own path verifies here, and the other way round.
        let lib = reference_hash("correct horse");
        assert!(gate
            .verify(&place, "correct horse".into(), Some(lib))
            .await
            .unwrap());
        assert!(!gate.verify(&place, "anything".into(), None).await.unwrap());
        assert!(Check::parse(DUMMY_HASH).is_some(), "the dummy hash parses");
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once() {
        let gate = HashGate::new(1);
        let places: Vec<_> = (0..1 + QUEUE_PER_SLOT)
            .map(|_| gate.admit().unwrap())
            .collect();
        assert!(matches!(gate.admit(), Err(StoreError::Busy)));
        drop(places);
        assert!(gate.admit().is_ok(), "places come back when requests end");
    }
}
