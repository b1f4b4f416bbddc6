//! # iz-audit: a log that shows when it was changed
//!
//! Every change to a watch-list, every decision on an alert, every token issued or used and
//! every read of an alert's details leaves an [`AuditRecord`]. Records are numbered from 1 and
//! each carries the SHA-256 of its own content together with the hash of the record before it,
//! so changing a record changes its hash, and the next record no longer points at it; removing
//! or reordering records breaks the numbering or the links. [`verify`] walks a log and names the
//! first record that does not hold.
//!
//! A chain cannot by itself show that records were cut off its end; the store therefore keeps
//! the head (last number and hash) beside the log, and `verify` checks the log reaches it. An
//! attacker who can rewrite both can rewrite history; anchoring the head outside the database
//! (printing it, sending it to a second system) closes that gap and is left to deployments.
//!
//! This crate is storage-free: the store decides where records live, this crate decides what a
//! record's hash is.

#![deny(clippy::unwrap_used)]

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash the first record points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an actor did, before it is numbered and sealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditDraft {
    /// Who: `token:7`, `system:demo`, …
    pub actor: String,
    /// What, as `noun.verb`: `watch.add`, `alert.review`, `alert.view`, `token.issue`, …
    pub action: String,
    /// On what: `watch:12`, `alert:40`, …
    pub target: String,
    /// Anything else worth keeping, as JSON (reasons, counts). No personal data beyond what the
    /// action itself concerns.
    pub details: serde_json::Value,
}

impl AuditDraft {
    pub fn new(
        actor: impl Into<String>,
        action: &str,
        target: impl Into<String>,
        details: serde_json::Value,
    ) -> Self {
        AuditDraft {
            actor: actor.into(),
            action: action.to_string(),
            target: target.into(),
            details,
        }
    }
}

/// One sealed record of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub details: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of a record's content and its predecessor's hash. Each field is length-prefixed, so
/// no two different records hash the same bytes.
pub fn record_hash(
    seq: u64,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    target: &str,
    details: &serde_json::Value,
    prev_hash: &str,
) -> String {
    let mut hasher = Sha256::new();
    let at = at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let details = details.to_string();
    for field in [
        seq.to_string().as_str(),
        at.as_str(),
        actor,
        action,
        target,
        details.as_str(),
        prev_hash,
    ] {
        hasher.update((field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

impl AuditDraft {
    /// Numbers and seals the draft after the record `prev` (`None` for the first record).
    pub fn seal(self, prev: Option<(u64, &str)>, at: DateTime<Utc>) -> AuditRecord {
        let (seq, prev_hash) = match prev {
            Some((seq, hash)) => (seq + 1, hash.to_string()),
            None => (1, GENESIS.to_string()),
        };
        // Times are kept to the microsecond, as they are stored.
        let at = DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at);
        let hash = record_hash(
            seq,
            at,
            &self.actor,
            &self.action,
            &self.target,
            &self.details,
            &prev_hash,
        );
        AuditRecord {
            seq,
            at,
            actor: self.actor,
            action: self.action,
            target: self.target,
            details: self.details,
            prev_hash,
            hash,
        }
    }
}

/// The first record that does not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("record {seq}: its content does not give its hash (the record was changed)")]
    Altered { seq: u64 },
    #[error(
        "record {seq}: it does not point at the hash of record {prev} (a record before it was changed, removed or moved)"
    )]
    Unlinked { seq: u64, prev: u64 },
    #[error(
        "record {found} stands where record {expected} should (records were removed or reordered)"
    )]
    OutOfSequence { expected: u64, found: u64 },
    #[error(
        "the log ends at record {last} but its head says {head} (records were cut off the end)"
    )]
    Truncated { last: u64, head: u64 },
    #[error("the log's last record {seq} does not have the hash its head records")]
    HeadMismatch { seq: u64 },
}

impl ChainBreak {
    /// The number of the first bad record.
    pub fn seq(&self) -> u64 {
        match self {
            ChainBreak::Altered { seq }
            | ChainBreak::Unlinked { seq, .. }
            | ChainBreak::HeadMismatch { seq } => *seq,
            ChainBreak::OutOfSequence { expected, .. } => *expected,
            ChainBreak::Truncated { last, .. } => last + 1,
        }
    }
}

/// Walks a log in stored order and checks numbering, links, hashes and the head.
/// Returns the number of records checked.
pub fn verify<I>(records: I, head: Option<(u64, &str)>) -> Result<u64, ChainBreak>
where
    I: IntoIterator<Item = AuditRecord>,
{
    let mut verifier = Verifier::default();
    for record in records {
        verifier.push(&record)?;
    }
    verifier.finish(head)
}

/// Incremental verification, for logs too long to hold in memory.
#[derive(Debug, Default)]
pub struct Verifier {
    last: Option<(u64, String)>,
}

impl Verifier {
    pub fn push(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        let expected_seq = self.last.as_ref().map_or(1, |(s, _)| s + 1);
        if r.seq != expected_seq {
            return Err(ChainBreak::OutOfSequence {
                expected: expected_seq,
                found: r.seq,
            });
        }
        let expected_prev = self.last.as_ref().map_or(GENESIS, |(_, h)| h.as_str());
        if r.prev_hash != expected_prev {
            return Err(ChainBreak::Unlinked {
                seq: r.seq,
                prev: r.seq.saturating_sub(1),
            });
        }
        let hash = record_hash(
            r.seq,
            r.at,
            &r.actor,
            &r.action,
            &r.target,
            &r.details,
            &r.prev_hash,
        );
        if hash != r.hash {
            return Err(ChainBreak::Altered { seq: r.seq });
        }
        self.last = Some((r.seq, hash));
        Ok(())
    }

    pub fn finish(self, head: Option<(u64, &str)>) -> Result<u64, ChainBreak> {
        let last = self.last.as_ref().map_or(0, |(s, _)| *s);
        if let Some((head_seq, head_hash)) = head {
            if last < head_seq {
                return Err(ChainBreak::Truncated {
                    last,
                    head: head_seq,
                });
            }
            if last == head_seq && self.last.as_ref().is_some_and(|(_, h)| h != head_hash) {
                return Err(ChainBreak::HeadMismatch { seq: last });
            }
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn log(n: u64) -> Vec<AuditRecord> {
        let t0 = DateTime::from_timestamp(1_800_000_000, 123_456_789).expect("time");
        let mut out: Vec<AuditRecord> = Vec::new();
        for i in 0..n {
            let draft = AuditDraft::new(
                "token:1",
                "alert.view",
                format!("alert:{i}"),
                json!({"i": i}),
            );
            let prev = out.last().map(|r| (r.seq, r.hash.as_str()));
            let rec = draft.seal(prev, t0 + chrono::Duration::seconds(i as i64));
            out.push(rec);
        }
        out
    }

    fn head(log: &[AuditRecord]) -> Option<(u64, &str)> {
        log.last().map(|r| (r.seq, r.hash.as_str()))
    }

    #[test]
    fn an_untouched_log_verifies() {
        let l = log(5);
        assert_eq!(verify(l.clone(), head(&l)), Ok(5));
        assert_eq!(verify(Vec::new(), None), Ok(0));
    }

    #[test]
    fn a_changed_record_is_named() {
        let l = log(5);
        let h = head(&l).map(|(s, h)| (s, h.to_string()));
        let mut bad = l.clone();
        bad[2].details = json!({"i": 99});
        let err = verify(bad, h.as_ref().map(|(s, h)| (*s, h.as_str()))).expect_err("altered");
        assert_eq!(err, ChainBreak::Altered { seq: 3 });
        assert_eq!(err.seq(), 3);
    }

    #[test]
    fn a_rehashed_record_breaks_the_next_link() {
        let l = log(5);
        let mut bad = l.clone();
        bad[1].actor = "someone else".into();
        bad[1].hash = record_hash(
            bad[1].seq,
            bad[1].at,
            &bad[1].actor,
            &bad[1].action,
            &bad[1].target,
            &bad[1].details,
            &bad[1].prev_hash,
        );
        assert_eq!(
            verify(bad, head(&l)),
            Err(ChainBreak::Unlinked { seq: 3, prev: 2 })
        );
    }

    #[test]
    fn removed_reordered_and_truncated_logs_fail() {
        let l = log(5);
        let mut removed = l.clone();
        removed.remove(1);
        assert_eq!(
            verify(removed, head(&l)),
            Err(ChainBreak::OutOfSequence {
                expected: 2,
                found: 3
            })
        );
        let mut swapped = l.clone();
        swapped.swap(1, 2);
        assert!(matches!(
            verify(swapped, head(&l)),
            Err(ChainBreak::OutOfSequence { expected: 2, .. })
        ));
        let truncated = l[..4].to_vec();
        assert_eq!(
            verify(truncated, head(&l)),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );
    }
}
