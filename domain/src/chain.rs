//! The tamper-evident job history: each event carries the hash of the one before it, so editing
//! or deleting any stored event breaks every later link, and the server and the browser can both
//! recompute the chain with this one function.
//!
//! `hash = SHA-256(job_id ‖ seq ‖ at ‖ actor ‖ event ‖ detail ‖ prev_hash)` (lowercase hex), where
//! each field is written as its decimal or UTF-8 text preceded by its byte length as 8 bytes
//! big-endian, so no two different events encode alike. `at` is Unix seconds. The first event's
//! `prev_hash` is [`GENESIS`].
//!
//! The daily root commits to every chain at once, by chaining the days: each city day's root is
//! `SHA-256("previous_root\n" ‖ for each job whose chain moved that day, in id order:
//! "job_id:seq:hash\n")` with the job's last event before the end of that day (city time), and
//! `previous_root` the root of the last sealed day before it ([`GENESIS`] for the first). So
//! sealing a day reads only that day's events, and every root still covers all history: editing
//! any sealed event changes the root of its day, and through it every root after.
//!
//! Roots sealed before the chained scheme (scheme 1, [`all_heads_root`]) hashed every job's
//! head at each day's end; they stay published as they were and the audit checks them that way.

use crate::format::unix_seconds;
use crate::job::JobEventView;
use crate::job::{Actor, JobEvent};
use sha2::{Digest, Sha256};

/// `prev_hash` of a job's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn put(hasher: &mut Sha256, field: &[u8]) {
    hasher.update((field.len() as u64).to_be_bytes());
    hasher.update(field);
}

/// The hash of one event given the hash of the event before it.
pub fn link_hash(
    job_id: i64,
    seq: i64,
    at_unix: i64,
    actor: Actor,
    event: JobEvent,
    detail: &str,
    prev_hash: &str,
) -> String {
    let mut hasher = Sha256::new();
    put(&mut hasher, job_id.to_string().as_bytes());
    put(&mut hasher, seq.to_string().as_bytes());
    put(&mut hasher, at_unix.to_string().as_bytes());
    put(&mut hasher, actor.as_str().as_bytes());
    put(&mut hasher, event.code().as_bytes());
    put(&mut hasher, detail.as_bytes());
    put(&mut hasher, prev_hash.as_bytes());
    crate::draw::hex(&hasher.finalize())
}

const RECEIPTS_PREFIX: &str = "报价回执:";

/// One action on a sealed bid (submitted, updated, withdrawn, confirmed again), committed to
/// before the deadline. Before opening nobody but the bidder may learn that bids exist
/// (招标投标法 Art. 22), so these never enter the public chain one by one: the bidder gets the
/// receipt, and at opening every receipt of the job enters the chain in one event. A bidder
/// finds its receipt there; once bids are open anyone recomputes each bid's receipt from the
/// bid and its nonce, so no bid can be added, changed or removed after the deadline unseen.
#[derive(Clone, Copy, Debug)]
pub struct BidAction<'a> {
    pub job_id: i64,
    pub agency_id: i64,
    pub at_unix: i64,
    /// `submitted`, `updated`, `withdrawn` or `confirmed`.
    pub action: &'a str,
    pub price_fen: i64,
    pub service_days: u32,
    pub commitment: &'a str,
    pub proposal: &'a str,
    /// 32 random bytes in hex, so a receipt cannot be guessed from a likely price.
    pub nonce: &'a str,
}

/// `SHA-256("bid-receipt/1" ‖ job_id ‖ agency_id ‖ at ‖ action ‖ price ‖ days ‖ commitment ‖
/// proposal ‖ nonce)`, each field length-prefixed as in [`link_hash`].
pub fn bid_receipt(bid: &BidAction<'_>) -> String {
    let mut hasher = Sha256::new();
    put(&mut hasher, b"bid-receipt/1");
    put(&mut hasher, bid.job_id.to_string().as_bytes());
    put(&mut hasher, bid.agency_id.to_string().as_bytes());
    put(&mut hasher, bid.at_unix.to_string().as_bytes());
    put(&mut hasher, bid.action.as_bytes());
    put(&mut hasher, bid.price_fen.to_string().as_bytes());
    put(&mut hasher, bid.service_days.to_string().as_bytes());
    put(&mut hasher, bid.commitment.as_bytes());
    put(&mut hasher, bid.proposal.as_bytes());
    put(&mut hasher, bid.nonce.as_bytes());
    crate::draw::hex(&hasher.finalize())
}

/// The detail of the receipts event: every receipt in the order the actions happened.
pub fn receipts_detail(receipts: &[String]) -> String {
    if receipts.is_empty() {
        format!("{RECEIPTS_PREFIX}无")
    } else {
        format!("{RECEIPTS_PREFIX}{}", receipts.join(" "))
    }
}

/// The receipts a receipts event publishes.
pub fn receipts_in(detail: &str) -> Vec<&str> {
    detail
        .strip_prefix(RECEIPTS_PREFIX)
        .map(|rest| {
            rest.split(' ')
                .filter(|r| r.len() == 64 && r.bytes().all(|b| b.is_ascii_hexdigit()))
                .collect()
        })
        .unwrap_or_default()
}

/// Why a chain does not verify, at the first event that fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrokenLink {
    /// Sequence numbers skip or repeat: an event was removed or inserted.
    Gap { expected_seq: i64, found_seq: i64 },
    /// The event does not point at the hash of the one before it.
    WrongPrevious { seq: i64 },
    /// The event's content no longer matches its stored hash: it was edited.
    Altered { seq: i64 },
    /// The timestamp cannot be read.
    BadTimestamp { seq: i64 },
}

impl BrokenLink {
    pub fn seq(&self) -> i64 {
        match self {
            BrokenLink::Gap { found_seq, .. } => *found_seq,
            BrokenLink::WrongPrevious { seq }
            | BrokenLink::Altered { seq }
            | BrokenLink::BadTimestamp { seq } => *seq,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            BrokenLink::Gap { .. } => "gap",
            BrokenLink::WrongPrevious { .. } => "wrong_previous",
            BrokenLink::Altered { .. } => "altered",
            BrokenLink::BadTimestamp { .. } => "bad_timestamp",
        }
    }

    pub fn message(&self, locale: crate::Locale) -> String {
        let seq = self.seq();
        match (self, locale) {
            (BrokenLink::Gap { expected_seq, .. }, crate::Locale::ZhCn) => {
                format!("第 {expected_seq} 条记录缺失或顺序被改动(此处为第 {seq} 条)")
            }
            (BrokenLink::Gap { expected_seq, .. }, crate::Locale::En) => {
                format!("Event {expected_seq} is missing or reordered (found {seq})")
            }
            (BrokenLink::WrongPrevious { .. }, crate::Locale::ZhCn) => {
                format!("第 {seq} 条记录未指向上一条记录的哈希")
            }
            (BrokenLink::WrongPrevious { .. }, crate::Locale::En) => {
                format!("Event {seq} does not point at the previous event's hash")
            }
            (BrokenLink::Altered { .. }, crate::Locale::ZhCn) => {
                format!("第 {seq} 条记录的内容与其哈希不符,已被改动")
            }
            (BrokenLink::Altered { .. }, crate::Locale::En) => {
                format!("Event {seq} no longer matches its hash: it was altered")
            }
            (BrokenLink::BadTimestamp { .. }, crate::Locale::ZhCn) => {
                format!("第 {seq} 条记录的时间无法识别")
            }
            (BrokenLink::BadTimestamp { .. }, crate::Locale::En) => {
                format!("Event {seq} has an unreadable timestamp")
            }
        }
    }
}

/// Recomputes a job's chain from its first event and returns the head hash, or the first broken
/// link. An empty history verifies to [`GENESIS`].
pub fn verify(job_id: i64, events: &[JobEventView]) -> Result<String, BrokenLink> {
    let mut previous = GENESIS.to_string();
    for (index, event) in events.iter().enumerate() {
        let expected_seq = index as i64 + 1;
        if event.seq != expected_seq {
            return Err(BrokenLink::Gap {
                expected_seq,
                found_seq: event.seq,
            });
        }
        if event.prev_hash != previous {
            return Err(BrokenLink::WrongPrevious { seq: event.seq });
        }
        let at = unix_seconds(&event.at).ok_or(BrokenLink::BadTimestamp { seq: event.seq })?;
        let recomputed = link_hash(
            job_id,
            event.seq,
            at,
            event.actor,
            event.event,
            &event.detail,
            &event.prev_hash,
        );
        if recomputed != event.hash {
            return Err(BrokenLink::Altered { seq: event.seq });
        }
        previous = recomputed;
    }
    Ok(previous)
}

/// Scheme 1: the root over every job's chain head, `(job_id, seq, hash)` in any order.
pub fn all_heads_root(heads: &[(i64, i64, String)]) -> String {
    let mut hasher = Sha256::new();
    heads_into(&mut hasher, heads);
    crate::draw::hex(&hasher.finalize())
}

/// Scheme 2: a day's root from the previous sealed root and the heads of the chains that moved
/// that day, `(job_id, seq, hash)` in any order.
pub fn daily_root(previous: &str, moved: &[(i64, i64, String)]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("{previous}\n").as_bytes());
    heads_into(&mut hasher, moved);
    crate::draw::hex(&hasher.finalize())
}

fn heads_into(hasher: &mut Sha256, heads: &[(i64, i64, String)]) {
    let mut sorted: Vec<&(i64, i64, String)> = heads.iter().collect();
    sorted.sort_by_key(|(job, _, _)| *job);
    for (job, seq, hash) in sorted {
        hasher.update(format!("{job}:{seq}:{hash}\n").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(job_id: i64, lines: &[(JobEvent, &str)]) -> Vec<JobEventView> {
        let mut previous = GENESIS.to_string();
        let mut events = Vec::new();
        for (index, (event, detail)) in lines.iter().enumerate() {
            let seq = index as i64 + 1;
            let at = "2026-11-28T09:00:00+08:00".to_string();
            let at_unix = unix_seconds(&at).unwrap();
            let hash = link_hash(
                job_id,
                seq,
                at_unix,
                Actor::Enterprise,
                *event,
                detail,
                &previous,
            );
            events.push(JobEventView {
                seq,
                at,
                actor: Actor::Enterprise,
                event: *event,
                detail: detail.to_string(),
                prev_hash: previous.clone(),
                hash: hash.clone(),
            });
            previous = hash;
        }
        events
    }

    #[test]
    fn an_untouched_chain_verifies_to_its_last_hash() {
        let events = chain(
            7,
            &[
                (JobEvent::Created, ""),
                (JobEvent::Published, "截止 12-10"),
                (JobEvent::Opened, "3 家"),
            ],
        );
        assert_eq!(verify(7, &events), Ok(events[2].hash.clone()));
        assert_eq!(verify(7, &[]), Ok(GENESIS.to_string()));
    }

    #[test]
    fn an_edited_detail_is_found_at_its_own_event() {
        let mut events = chain(
            7,
            &[
                (JobEvent::Created, ""),
                (JobEvent::Published, "截止 12-10"),
                (JobEvent::Opened, ""),
            ],
        );
        events[1].detail = "截止 12-20".into();
        assert_eq!(verify(7, &events), Err(BrokenLink::Altered { seq: 2 }));
    }

    #[test]
    fn a_rehashed_edit_breaks_the_next_link() {
        let mut events = chain(
            7,
            &[
                (JobEvent::Created, ""),
                (JobEvent::Published, "a"),
                (JobEvent::Opened, ""),
            ],
        );
        events[1].detail = "b".into();
        events[1].hash = link_hash(
            7,
            2,
            unix_seconds(&events[1].at).unwrap(),
            Actor::Enterprise,
            JobEvent::Published,
            "b",
            &events[1].prev_hash,
        );
        assert_eq!(
            verify(7, &events),
            Err(BrokenLink::WrongPrevious { seq: 3 })
        );
    }

    #[test]
    fn a_deleted_event_is_a_gap() {
        let mut events = chain(
            7,
            &[
                (JobEvent::Created, ""),
                (JobEvent::Published, ""),
                (JobEvent::Opened, ""),
            ],
        );
        events.remove(1);
        assert_eq!(
            verify(7, &events),
            Err(BrokenLink::Gap {
                expected_seq: 2,
                found_seq: 3
            })
        );
    }

    #[test]
    fn the_same_events_under_another_job_do_not_verify() {
        let events = chain(7, &[(JobEvent::Created, "")]);
        assert_eq!(verify(8, &events), Err(BrokenLink::Altered { seq: 1 }));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let a = link_hash(1, 1, 0, Actor::System, JobEvent::Opened, "ab", "c");
        let b = link_hash(1, 1, 0, Actor::System, JobEvent::Opened, "a", "bc");
        assert_ne!(a, b);
    }

    #[test]
    fn the_typed_event_hashes_as_the_code_stored_chains_were_built_with() {
        // Computed independently (Python hashlib) from the encoding in the module comment, so
        // chains stored while events were strings still verify.
        let hash = link_hash(
            7,
            2,
            1_764_291_600,
            Actor::Enterprise,
            JobEvent::Published,
            "截止 12-10",
            GENESIS,
        );
        assert_eq!(
            hash,
            "aecca7f857ac1b5be1351b0e1c9472ad8aa38a3238f6427216901d06b73123e0"
        );
    }

    #[test]
    fn the_daily_root_ignores_input_order_but_not_content() {
        let heads = vec![(2, 3, "bb".to_string()), (1, 5, "aa".to_string())];
        let reversed: Vec<_> = heads.iter().rev().cloned().collect();
        assert_eq!(all_heads_root(&heads), all_heads_root(&reversed));
        assert_eq!(daily_root(GENESIS, &heads), daily_root(GENESIS, &reversed));
        let changed = vec![(2, 3, "bc".to_string()), (1, 5, "aa".to_string())];
        assert_ne!(all_heads_root(&heads), all_heads_root(&changed));
        assert_ne!(daily_root(GENESIS, &heads), daily_root(GENESIS, &changed));
    }

    #[test]
    fn a_daily_root_changes_with_the_day_before_it() {
        let moved = vec![(1, 2, "aa".to_string())];
        let first = daily_root(GENESIS, &moved);
        let forged_before = daily_root(&first.replace('a', "b"), &moved);
        assert_ne!(daily_root(&first, &moved), forged_before);
        assert_ne!(daily_root(&first, &moved), first);
    }

    #[test]
    fn a_bid_receipt_changes_with_every_field_and_is_found_in_the_published_detail() {
        let bid = BidAction {
            job_id: 7,
            agency_id: 3,
            at_unix: 1_764_000_000,
            action: "submitted",
            price_fen: 9_000_000,
            service_days: 45,
            commitment: "按期提交",
            proposal: "现场踏勘",
            nonce: "ab",
        };
        let receipt = bid_receipt(&bid);
        assert_eq!(receipt.len(), 64);
        assert_ne!(
            receipt,
            bid_receipt(&BidAction {
                price_fen: 9_000_001,
                ..bid
            })
        );
        assert_ne!(receipt, bid_receipt(&BidAction { nonce: "ac", ..bid }));
        assert_ne!(
            receipt,
            bid_receipt(&BidAction {
                action: "updated",
                ..bid
            })
        );
        let detail = receipts_detail(&[receipt.clone(), "f".repeat(64)]);
        assert_eq!(receipts_in(&detail), [receipt.as_str(), &"f".repeat(64)]);
        assert!(receipts_in(&receipts_detail(&[])).is_empty());
    }
}
