//! An index over wanted plates that compares a read with a handful of candidates.
//!
//! Candidates come from keys that an OCR confusion cannot change: each character is replaced
//! by the head of its confusion class ([`crate::confusion_class`]), so `0O2ABC` and `OD2A8C`
//! share a key. One real edit (a substitution, insertion or deletion outside a class) is
//! caught by a deletion neighbourhood: the index holds each plate's key and every key with one
//! character deleted, and a read looks up its own key and its one-deletion keys; two strings
//! within one edit always share one of these. Reads with `?` or partial reads are looked up by
//! the bigrams of their key instead, needing all but two of them (one edit breaks at most two).
//!
//! From the threshold and the read's confidence the index works out how many real edits a
//! hit can be away; the key lookup serves reads where that is at most one, the bigram lookup
//! needs all but two bigrams per admissible edit, and when that leaves nothing to require
//! (short reads, low thresholds) every plate is compared. So [`PlateIndex::matches`] returns
//! what [`PlateIndex::scan`] returns, only faster where the threshold is selective.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashMap;

use crate::distance::{
    PlateMatch, PlateRead, best_possible_score, compare, confusion_class, score, score_bound,
};
use crate::format::{MAX_LEN, Plate};
use crate::normalise::UNREAD;

type Key = ([u8; MAX_LEN], usize);

/// Wanted plates with their caller's ids, indexed for OCR-tolerant lookup.
#[derive(Debug)]
pub struct PlateIndex {
    ids: Vec<u32>,
    plates: Vec<Plate>,
    min_len: usize,
    max_len: usize,
    hasher: FixedState,
    /// Hash of a class key or one-deletion key → range of `key_slots`.
    by_key: HashMap<u64, (u32, u32), FixedState>,
    key_slots: Vec<u32>,
    /// Bigram of class heads (`a << 7 | b`) → `gram_slots[gram_start[g]..gram_start[g + 1]]`.
    gram_start: Vec<u32>,
    gram_slots: Vec<u32>,
}

const GRAMS: usize = 1 << 14;

impl PlateIndex {
    /// Indexes `(id, plate)` pairs; an id may carry several plates and a plate several ids.
    pub fn build(entries: impl IntoIterator<Item = (u32, Plate)>) -> PlateIndex {
        let hasher = FixedState::with_seed(0x9e37_79b9_7f4a_7c15);
        let (ids, plates): (Vec<u32>, Vec<Plate>) = entries.into_iter().unzip();
        let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(plates.len() * 9);
        let mut grams: Vec<(u16, u32)> = Vec::with_capacity(plates.len() * 8);
        for (slot, plate) in plates.iter().enumerate() {
            let slot = slot as u32;
            let key = class_key(plate.as_str());
            for_each_key_variant(&key, |bytes| keyed.push((hasher.hash_one(bytes), slot)));
            for_each_gram(&key, |g| grams.push((g, slot)));
        }
        keyed.sort_unstable();
        keyed.dedup();
        let mut by_key = HashMap::with_capacity_and_hasher(keyed.len(), hasher);
        let key_slots: Vec<u32> = keyed.iter().map(|(_, s)| *s).collect();
        let mut start = 0;
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            by_key.insert(run[0].0, (start as u32, run.len() as u32));
            start += run.len();
        }
        grams.sort_unstable();
        grams.dedup();
        let mut gram_start = vec![0u32; GRAMS + 1];
        for (g, _) in &grams {
            gram_start[usize::from(*g) + 1] += 1;
        }
        for g in 0..GRAMS {
            gram_start[g + 1] += gram_start[g];
        }
        let gram_slots = grams.iter().map(|(_, s)| *s).collect();
        PlateIndex {
            min_len: plates.iter().map(|p| p.as_str().len()).min().unwrap_or(1),
            max_len: plates.iter().map(|p| p.as_str().len()).max().unwrap_or(1),
            ids,
            plates,
            hasher,
            by_key,
            key_slots,
            gram_start,
            gram_slots,
        }
    }

    /// How many plates the index holds.
    pub fn len(&self) -> usize {
        self.plates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plates.is_empty()
    }

    /// The wanted plates that `read` matches with a score of at least `threshold`, best first,
    /// each with its explanation. Compares the read with the candidates the keys give, not
    /// with every plate; see the module documentation for what that can miss.
    pub fn matches(&self, read: &PlateRead, threshold: f32) -> Vec<(u32, PlateMatch)> {
        if self.plates.is_empty() || best_possible_score(read, self.min_len) < threshold {
            return Vec::new();
        }
        let mut candidates = self.candidates(read, threshold);
        candidates.sort_unstable();
        candidates.dedup();
        self.confirm(read, threshold, candidates)
    }

    /// As [`PlateIndex::matches`], comparing with every plate: the reference the index is
    /// tested against.
    pub fn scan(&self, read: &PlateRead, threshold: f32) -> Vec<(u32, PlateMatch)> {
        self.confirm(read, threshold, self.all())
    }

    fn confirm(&self, read: &PlateRead, threshold: f32, slots: Vec<u32>) -> Vec<(u32, PlateMatch)> {
        let mut out: Vec<(u32, PlateMatch)> = slots
            .into_iter()
            .filter_map(|slot| {
                let plate = &self.plates[slot as usize];
                (score_bound(read, plate.as_str().len()) >= threshold
                    && score(read, plate) >= threshold)
                    .then(|| (self.ids[slot as usize], compare(read, plate)))
            })
            .collect();
        out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        out
    }

    /// Slots worth comparing with `read`, possibly repeated: every plate the read could score
    /// `threshold` against.
    fn candidates(&self, read: &PlateRead, threshold: f32) -> Vec<u32> {
        let Some(edits) = self.max_edits(read, threshold) else {
            return self.all();
        };
        let key = class_key(read.as_str());
        let has_unread = key.0[..key.1].contains(&(UNREAD as u8));
        if edits <= 1 && !read.is_partial() && !has_unread {
            let mut out = Vec::new();
            for_each_key_variant(&key, |bytes| {
                if let Some(&(start, len)) = self.by_key.get(&self.hasher.hash_one(bytes)) {
                    out.extend_from_slice(&self.key_slots[start as usize..(start + len) as usize]);
                }
            });
            return out;
        }
        let mut grams = Vec::with_capacity(MAX_LEN);
        for_each_gram(&key, |g| grams.push(g));
        grams.sort_unstable();
        grams.dedup();
        // Each real edit breaks at most two bigrams; with none left to require, compare all.
        let needed = grams.len().saturating_sub(2 * edits);
        if needed == 0 {
            return self.all();
        }
        // Count shared bigrams per plate; a plate becomes a candidate when its count reaches
        // `needed` (postings are distinct per plate, so it does so once).
        let mut counts = vec![0u8; self.plates.len()];
        let mut out = Vec::new();
        for g in grams {
            let g = usize::from(g);
            let range = self.gram_start[g] as usize..self.gram_start[g + 1] as usize;
            for &slot in &self.gram_slots[range] {
                let count = &mut counts[slot as usize];
                *count = count.saturating_add(1);
                if usize::from(*count) == needed {
                    out.push(slot);
                }
            }
        }
        out
    }

    /// The most real edits (not OCR confusions) a plate in this index can be from `read` and
    /// still score `threshold`; `None` when any number can.
    ///
    /// `score ≤ similarity × confidence`, so a hit needs `distance ≤ (1 − t) × length` with
    /// `t = threshold / confidence`. The length is the read's for a partial read; for a full
    /// read it is the longer of read and plate, bounded both by the longest plate here and by
    /// `m / t` (a plate `k` longer than the read is at least `k` away).
    fn max_edits(&self, read: &PlateRead, threshold: f32) -> Option<usize> {
        let t = threshold / read.confidence();
        if t.is_nan() || t <= 0.0 {
            return None;
        }
        let m = read.as_str().len() as f32;
        let length = if read.is_partial() {
            m
        } else {
            m.max(self.max_len as f32).min(m / t)
        };
        let distance = (1.0 - t) * length;
        Some((distance + 1e-4).floor().max(0.0) as usize)
    }

    fn all(&self) -> Vec<u32> {
        (0..self.plates.len() as u32).collect()
    }
}

/// The text with each character replaced by its confusion-class head.
fn class_key(text: &str) -> Key {
    let mut key = [0u8; MAX_LEN];
    let mut len = 0;
    for (slot, b) in key.iter_mut().zip(text.bytes()) {
        *slot = confusion_class(b);
        len += 1;
    }
    (key, len)
}

/// Calls `f` with the key and with each distinct key one character shorter.
fn for_each_key_variant(key: &Key, mut f: impl FnMut(&[u8])) {
    let (bytes, len) = key;
    f(&bytes[..*len]);
    let mut buf = [0u8; MAX_LEN];
    for i in 0..*len {
        // Deleting either of two equal neighbours gives the same key: once is enough.
        if i > 0 && bytes[i] == bytes[i - 1] {
            continue;
        }
        buf[..i].copy_from_slice(&bytes[..i]);
        buf[i..len - 1].copy_from_slice(&bytes[i + 1..*len]);
        f(&buf[..len - 1]);
    }
}

/// Calls `f` with each bigram of the key that has no unread character.
fn for_each_gram(key: &Key, mut f: impl FnMut(u16)) {
    let (bytes, len) = key;
    for w in bytes[..*len].windows(2) {
        if w[0] != UNREAD as u8 && w[1] != UNREAD as u8 && w[0] < 128 && w[1] < 128 {
            f((u16::from(w[0]) << 7) | u16::from(w[1]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusable_texts_share_a_class_key() {
        assert_eq!(class_key("0O2ABC"), class_key("OD2A8C"));
        assert_ne!(class_key("123ABC02"), class_key("123ABX02"));
    }

    #[test]
    fn key_variants_skip_repeated_deletions() {
        let mut seen = Vec::new();
        for_each_key_variant(&class_key("XXY"), |b| seen.push(b.to_vec()));
        assert_eq!(seen, vec![b"XXY".to_vec(), b"XY".to_vec(), b"XX".to_vec()]);
    }
}
