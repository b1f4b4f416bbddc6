//! Which event ids were seen lately, to accept a resent event once.
//!
//! Ids are kept as 64-bit hashes of (source, id) in two generations: when the current one is
//! full it becomes the previous one and the previous one is dropped, so memory stays bounded
//! (about 20 bytes per id, `capacity` ids at most) while the most recent ids are always
//! remembered. This only decides what counts as *accepted*; alerts do not depend on it — a hit
//! is keyed by (source, event id, entry) in the store, so even an event resent long after its id
//! left this set, or across a restart, never makes a second alert.

use std::hash::{BuildHasher, Hasher};

use hashbrown::HashSet;

/// The 64-bit key of an event id within its source.
pub fn event_key(source: &str, id: &str) -> u64 {
    let mut h = foldhash::quality::FixedState::with_seed(0x05ee_d1d5).build_hasher();
    h.write(source.as_bytes());
    h.write_u8(0xff);
    h.write(id.as_bytes());
    h.finish()
}

pub struct SeenIds {
    current: HashSet<u64, foldhash::fast::FixedState>,
    previous: HashSet<u64, foldhash::fast::FixedState>,
    generation: usize,
}

impl SeenIds {
    /// Remembers between `capacity / 2` and `capacity` of the latest ids.
    pub fn new(capacity: usize) -> Self {
        let generation = (capacity / 2).max(1);
        let build = foldhash::fast::FixedState::with_seed(7);
        SeenIds {
            // Full size from the start: growing a set of millions rehashes it under the lock,
            // which stalls the batch that happens to cross the line.
            current: HashSet::with_capacity_and_hasher(generation, build),
            previous: HashSet::with_hasher(build),
            generation,
        }
    }

    pub fn key(&self, source: &str, id: &str) -> u64 {
        event_key(source, id)
    }

    /// Records the key; returns whether it is new.
    pub fn insert(&mut self, key: u64) -> bool {
        if self.previous.contains(&key) || self.current.contains(&key) {
            return false;
        }
        if self.current.len() >= self.generation {
            let fresh = HashSet::with_capacity_and_hasher(self.generation, *self.current.hasher());
            self.previous = std::mem::replace(&mut self.current, fresh);
        }
        self.current.insert(key);
        true
    }

    pub fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_new_once_per_source() {
        let mut seen = SeenIds::new(100);
        let a = seen.key("egov", "e-1");
        assert!(seen.insert(a));
        assert!(!seen.insert(a));
        assert!(seen.insert(seen.key("rail", "e-1")));
    }

    #[test]
    fn memory_stays_bounded_and_recent_ids_are_kept() {
        let mut seen = SeenIds::new(1000);
        for i in 0..10_000u64 {
            let k = seen.key("s", &i.to_string());
            assert!(seen.insert(k));
        }
        assert!(seen.len() <= 1000);
        let recent = seen.key("s", "9999");
        assert!(!seen.insert(recent));
    }
}
