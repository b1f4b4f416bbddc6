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

pub struct SeenIds {
    current: HashSet<u64, foldhash::fast::FixedState>,
    previous: HashSet<u64, foldhash::fast::FixedState>,
    generation: usize,
    hasher: foldhash::quality::FixedState,
}

impl SeenIds {
    /// Remembers between `capacity / 2` and `capacity` of the latest ids.
    pub fn new(capacity: usize) -> Self {
        let generation = (capacity / 2).max(1);
        let build = foldhash::fast::FixedState::with_seed(7);
        SeenIds {
            current: HashSet::with_hasher(build),
            previous: HashSet::with_hasher(build),
            generation,
            hasher: foldhash::quality::FixedState::with_seed(0x5eed_1d5),
        }
    }

    pub fn key(&self, source: &str, id: &str) -> u64 {
        let mut h = self.hasher.build_hasher();
        h.write(source.as_bytes());
        h.write_u8(0xff);
        h.write(id.as_bytes());
        h.finish()
    }

    /// Records the key; returns whether it is new.
    pub fn insert(&mut self, key: u64) -> bool {
        if self.previous.contains(&key) || self.current.contains(&key) {
            return false;
        }
        if self.current.len() >= self.generation {
            self.previous = std::mem::replace(
                &mut self.current,
                HashSet::with_hasher(*self.previous.hasher()),
            );
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
