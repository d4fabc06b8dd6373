//! The tamper-evident audit chain: each entry carries the hash of the one before.

use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit entry says, in the order it is hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// SHA-256 over the previous hash and every field, each length-prefixed so that no
/// two different entries serialise to the same bytes.
pub fn entry_hash(prev: &str, e: &AuditFields<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &e.seq.to_string(),
        e.at,
        e.actor,
        e.action,
        e.subject,
        e.detail,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("entry {seq}: its previous-hash does not match the entry before it")]
    BrokenLink { seq: i64 },
    #[error("entry {seq}: its content does not match its hash (altered)")]
    Altered { seq: i64 },
    #[error("entry {seq}: sequence gap after {prev}")]
    Gap { seq: i64, prev: i64 },
}

/// A stored entry as read back for verification.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Walks entries in sequence order, carrying the last good hash; `prev` is the hash
/// before the first entry given (so verification can proceed in pages).
pub fn verify_step(prev: &str, prev_seq: i64, e: &StoredEntry) -> Result<String, ChainError> {
    if e.seq != prev_seq + 1 {
        return Err(ChainError::Gap {
            seq: e.seq,
            prev: prev_seq,
        });
    }
    if e.prev_hash != prev {
        return Err(ChainError::BrokenLink { seq: e.seq });
    }
    let fields = AuditFields {
        seq: e.seq,
        at: &e.at,
        actor: &e.actor,
        action: &e.action,
        subject: &e.subject,
        detail: &e.detail,
    };
    let h = entry_hash(prev, &fields);
    if h != e.hash {
        return Err(ChainError::Altered { seq: e.seq });
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let at = format!("2026-01-01T00:00:{seq:02}.000000Z");
                let f = AuditFields {
                    seq,
                    at: &at,
                    actor: "admin",
                    action: "x",
                    subject: "s",
                    detail: "d",
                };
                let hash = entry_hash(&prev, &f);
                let e = StoredEntry {
                    seq,
                    at: at.clone(),
                    actor: "admin".into(),
                    action: "x".into(),
                    subject: "s".into(),
                    detail: "d".into(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[StoredEntry]) -> Result<(), ChainError> {
        let mut prev = GENESIS.to_owned();
        let mut seq = 0;
        for e in entries {
            prev = verify_step(&prev, seq, e)?;
            seq = e.seq;
        }
        Ok(())
    }

    #[test]
    fn intact_chain_verifies_and_alterations_are_found() {
        let mut c = chain(5);
        assert_eq!(verify(&c), Ok(()));
        c[2].detail = "changed".into();
        assert_eq!(verify(&c), Err(ChainError::Altered { seq: 3 }));
        let mut c = chain(5);
        c.remove(3);
        assert_eq!(verify(&c), Err(ChainError::Gap { seq: 5, prev: 3 }));
    }

    #[test]
    fn length_prefix_separates_fields() {
        let a = AuditFields {
            seq: 1,
            at: "t",
            actor: "ab",
            action: "c",
            subject: "",
            detail: "",
        };
        let b = AuditFields {
            seq: 1,
            at: "t",
            actor: "a",
            action: "bc",
            subject: "",
            detail: "",
        };
        assert_ne!(entry_hash(GENESIS, &a), entry_hash(GENESIS, &b));
    }
}
