//! Candidate generation: blocking on token stems, so that a query meets a handful of entries.

use chrono::NaiveDate;
use hashbrown::HashMap;
use iz_model::Sex;
use smallvec::SmallVec;

use crate::key::{Token, TokenKind};
use crate::score::{
    DateEvidence, NO_WORD_CAP, PATRONYMIC_WEIGHT, Person, Score, WORD_BY_INITIAL, apply_date,
    explain, jaro_winkler, score_value,
};

/// The threshold `candidates` blocks for, and a sensible default for `best_matches`.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// Stems less alike than this are not looked at.
const BLOCK_CUTOFF: f64 = 0.8;

type Map<V> = HashMap<String, V, foldhash::fast::FixedState>;

#[derive(Debug)]
struct Entry {
    id: u32,
    spellings: Vec<Person>,
}

/// A watch-list of names, indexed for matching. Built once per watch-list version.
///
/// Every word and patronymic of every spelling is a *block*: its stem (the key without a gender
/// ending or patronymic suffix). The stems form a vocabulary, and each stem and its one-letter
/// deletions point to it, so a query finds the stems within one edit of its own without scanning
/// (the symmetric-deletion method). A query lists the entries under the stems of its rarest token
/// and keeps those that share stems with enough of its other tokens: how many may be missed
/// follows from the score's own arithmetic, so an entry dropped here could not have reached the
/// threshold through a token it shares no stem with.
#[derive(Debug)]
pub struct NameIndex {
    entries: Vec<Entry>,
    vocab: Vec<String>,
    by_stem: Map<u32>,
    deletes: Map<SmallVec<[u32; 2]>>,
    postings: Vec<Vec<u32>>,
    entry_vocab: Vec<SmallVec<[u32; 8]>>,
    /// The first key letters of each entry's initials (most entries have none).
    entry_initials: Vec<SmallVec<[char; 2]>>,
    any_initials: bool,
    /// A bit per first key letter of each entry's words, for meeting a query's initials.
    entry_letters: Vec<u64>,
}

fn letter_bit(c: char) -> u64 {
    1 << (c as u32 % 64)
}

fn word_letters<'t>(tokens: impl IntoIterator<Item = &'t Token>) -> u64 {
    tokens
        .into_iter()
        .filter(|t| t.kind != TokenKind::Initial)
        .filter_map(|t| t.key.chars().next())
        .fold(0, |m, c| m | letter_bit(c))
}

fn initial_letters<'t>(tokens: impl IntoIterator<Item = &'t Token>) -> SmallVec<[char; 2]> {
    let mut out = SmallVec::new();
    for t in tokens {
        if t.kind == TokenKind::Initial
            && let Some(c) = t.key.chars().next()
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    out
}

/// The blocks of a token: its stem, and its key where that differs (so that a typo in a gender
/// ending, Углвеа for Углева, is still one edit from the key). Patronymic stems are tagged `#`.
fn block_keys(t: &Token) -> SmallVec<[String; 2]> {
    let tag = match t.kind {
        TokenKind::Word => "",
        TokenKind::Patronymic => "#",
        TokenKind::Initial => return SmallVec::new(),
    };
    let mut keys: SmallVec<[String; 2]> = SmallVec::new();
    keys.push(format!("{tag}{}", t.stem));
    if t.key != t.stem {
        // Untagged: a patronymic meets a word with the same key (a surname in -ұлы).
        keys.push(t.key.clone());
    }
    keys
}

/// The key and its one-character deletions (keys of three characters or fewer have none: their
/// deletions would meet too many other short names). The tag
/// `#` of patronymics is kept.
fn deletions(key: &str, mut f: impl FnMut(&str)) {
    f(key);
    let (tag, body) = match key.strip_prefix('#') {
        Some(b) => ("#", b),
        None => ("", key),
    };
    if body.chars().count() <= 3 {
        return;
    }
    let mut buf = String::with_capacity(key.len());
    for (i, c) in body.char_indices() {
        buf.clear();
        buf.push_str(tag);
        buf.push_str(&body[..i]);
        buf.push_str(&body[i + c.len_utf8()..]);
        f(&buf);
    }
}

/// One word of a query: the vocabulary stems near it and the number of entries under them.
struct Block {
    stems: SmallVec<[u32; 4]>,
    postings: usize,
}

impl NameIndex {
    /// Builds the index from `(id, spellings, birth date, sex)`; each spelling is a full name as
    /// written in some script.
    pub fn build<'a, S: AsRef<str> + 'a>(
        entries: impl IntoIterator<Item = (u32, &'a [S], Option<NaiveDate>, Option<Sex>)>,
    ) -> Self {
        let hasher = foldhash::fast::FixedState::with_seed(0x6e61_6d65);
        let mut index = NameIndex {
            entries: Vec::new(),
            vocab: Vec::new(),
            by_stem: Map::with_hasher(hasher),
            deletes: Map::with_hasher(hasher),
            postings: Vec::new(),
            entry_vocab: Vec::new(),
            entry_initials: Vec::new(),
            any_initials: false,
            entry_letters: Vec::new(),
        };
        for (id, spellings, birth_date, sex) in entries {
            let slot = index.entries.len() as u32;
            let spellings: Vec<Person> = spellings
                .iter()
                .map(|s| Person::new(s.as_ref(), birth_date, sex))
                .collect();
            let mut ids: SmallVec<[u32; 8]> = SmallVec::new();
            for t in spellings.iter().flat_map(|p| &p.name.tokens) {
                for key in block_keys(t) {
                    let v = index.vocab_id(key);
                    if !ids.contains(&v) {
                        ids.push(v);
                        index.postings[v as usize].push(slot);
                    }
                }
            }
            ids.sort_unstable();
            index.entry_vocab.push(ids);
            let initials = initial_letters(spellings.iter().flat_map(|p| &p.name.tokens));
            index.any_initials |= !initials.is_empty();
            index.entry_initials.push(initials);
            index
                .entry_letters
                .push(word_letters(spellings.iter().flat_map(|p| &p.name.tokens)));
            index.entries.push(Entry { id, spellings });
        }
        index
    }

    fn vocab_id(&mut self, key: String) -> u32 {
        if let Some(&v) = self.by_stem.get(&key) {
            return v;
        }
        let v = self.vocab.len() as u32;
        deletions(&key, |d| {
            let list = self.deletes.entry_ref(d).or_default();
            if !list.contains(&v) {
                list.push(v);
            }
        });
        self.by_stem.insert(key.clone(), v);
        self.vocab.push(key);
        self.postings.push(Vec::new());
        v
    }

    /// The spellings of the entry with `id`, as parsed (for diagnostics).
    pub fn entry_names(&self, id: u32) -> Vec<&crate::key::Name> {
        self.entries
            .iter()
            .filter(|e| e.id == id)
            .flat_map(|e| e.spellings.iter().map(|p| &p.name))
            .collect()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn block(&self, t: &Token) -> Option<Block> {
        let keys = block_keys(t);
        if keys.is_empty() {
            return None;
        }
        let mut stems: SmallVec<[u32; 4]> = SmallVec::new();
        for key in &keys {
            let body = key.strip_prefix('#').unwrap_or(key);
            deletions(key, |d| {
                if let Some(list) = self.deletes.get(d) {
                    for &v in list {
                        if stems.contains(&v) {
                            continue;
                        }
                        let vocab = &self.vocab[v as usize];
                        let vb = vocab.strip_prefix('#').unwrap_or(vocab);
                        if vocab == key || jaro_winkler(body, vb) >= BLOCK_CUTOFF {
                            stems.push(v);
                        }
                    }
                }
            });
        }
        let postings = stems.iter().map(|&v| self.postings[v as usize].len()).sum();
        Some(Block { stems, postings })
    }

    /// Entry slots worth scoring against `query` at `threshold`.
    fn candidate_slots(&self, query: &Person, threshold: f64) -> Vec<u32> {
        let mut words: SmallVec<[Block; 6]> = SmallVec::new();
        let (mut initials, mut patronymics) = (0usize, 0usize);
        for t in &query.name.tokens {
            match t.kind {
                TokenKind::Initial => initials += 1,
                TokenKind::Patronymic => patronymics += 1,
                TokenKind::Word => words.extend(self.block(t)),
            }
        }
        if words.is_empty() {
            // Without a word aligned to a word, a score is at most half.
            return Vec::new();
        }
        let dated = query.birth_date.is_some();
        let (n, k, p) = (words.len(), initials as f64, patronymics as f64);
        // An entry without initials leaves a word it does not share unaligned, and meets the
        // query's initials with words (0.45 of 1 each). An entry with initials may meet a word
        // with an initial, and a query initial fully (0.5 of 0.5).
        let plain = max_misses(n, p, 0.0, k * WORD_BY_INITIAL, k, dated, threshold);
        let with_initials = if self.any_initials {
            max_misses(n, p, WORD_BY_INITIAL, 0.5 * k, 0.5 * k, dated, threshold)
        } else {
            None
        };
        // Where the query's initials left unaligned (0 of 0.5 each) sink the bound, an entry
        // without initials needs a word starting with one of them.
        let query_letters = query
            .name
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Initial)
            .filter_map(|t| t.key.chars().next())
            .fold(0, |m, c| m | letter_bit(c));
        let need_letter =
            initials > 0 && max_misses(n, p, 0.0, 0.0, 0.5 * k, dated, threshold).is_none();
        let misses = match (plain, with_initials) {
            (None, None) => return Vec::new(),
            (a, b) => a.unwrap_or(0).max(b.unwrap_or(0)),
        };
        words.sort_by_key(|b| b.postings);
        // Which query words each nearby stem stands for, to count an entry's shared words with
        // one search per stem of the entry.
        let mut near: SmallVec<[(u32, u64); 32]> = SmallVec::new();
        for (i, b) in words.iter().enumerate() {
            for &v in &b.stems {
                near.push((v, 1 << (i % 64)));
            }
        }
        near.sort_unstable_by_key(|e| e.0);
        near.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                first.1 |= later.1;
            }
            same
        });
        let mut out = Vec::new();
        for driver in &words[..=misses.min(n - 1)] {
            for &v in &driver.stems {
                for &slot in &self.postings[v as usize] {
                    let has_initials = !self.entry_initials[slot as usize].is_empty();
                    let Some(allowed) = (if has_initials { with_initials } else { plain }) else {
                        continue;
                    };
                    if need_letter
                        && !has_initials
                        && self.entry_letters[slot as usize] & query_letters == 0
                    {
                        continue;
                    }
                    let mut shared = 0u64;
                    for v in &self.entry_vocab[slot as usize] {
                        if let Ok(i) = near.binary_search_by_key(v, |e| e.0) {
                            shared |= near[i].1;
                        }
                    }
                    if shared.count_ones() as usize + allowed >= n {
                        out.push(slot);
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Ids of the entries worth scoring against `query` at [`DEFAULT_THRESHOLD`].
    pub fn candidates(&self, query: &Person) -> Vec<u32> {
        self.candidates_at(query, DEFAULT_THRESHOLD)
    }

    /// Ids of the entries worth scoring against `query` at `threshold`.
    pub fn candidates_at(&self, query: &Person, threshold: f64) -> Vec<u32> {
        self.candidate_slots(query, threshold)
            .into_iter()
            .map(|s| self.entries[s as usize].id)
            .collect()
    }

    fn entry_score(&self, slot: u32, query: &Person) -> (f64, usize) {
        let mut best = (0.0, 0);
        for (i, p) in self.entries[slot as usize].spellings.iter().enumerate() {
            let s = score_value(query, p);
            if s > best.0 {
                best = (s, i);
            }
        }
        best
    }

    /// Entries scoring at least `threshold`, best first, with scores only.
    pub fn best_scores(&self, query: &Person, threshold: f64) -> Vec<(u32, f64)> {
        let mut out: Vec<(u32, f64)> = self
            .candidate_slots(query, threshold)
            .into_iter()
            .filter_map(|slot| {
                let (s, _) = self.entry_score(slot, query);
                (s >= threshold).then(|| (self.entries[slot as usize].id, s))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// Entries scoring at least `threshold`, best first, each with the explanation of its best
    /// spelling.
    pub fn best_matches(&self, query: &Person, threshold: f64) -> Vec<(u32, Score)> {
        let mut out: Vec<(u32, Score)> = self
            .candidate_slots(query, threshold)
            .into_iter()
            .filter_map(|slot| {
                let (s, i) = self.entry_score(slot, query);
                let entry = &self.entries[slot as usize];
                (s >= threshold).then(|| (entry.id, explain(query, &entry.spellings[i])))
            })
            .collect();
        out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        out
    }

    /// Every entry scoring at least `threshold`, by comparing with all of them: the reference
    /// the blocking is measured against.
    pub fn exhaustive(&self, query: &Person, threshold: f64) -> Vec<(u32, f64)> {
        let mut out: Vec<(u32, f64)> = (0..self.entries.len() as u32)
            .filter_map(|slot| {
                let (s, _) = self.entry_score(slot, query);
                (s >= threshold).then(|| (self.entries[slot as usize].id, s))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

/// How many of a query's `words` an entry may share no stem with and still reach `threshold`,
/// at best; `None` when not even sharing all of them can. A missed word is worth `missed_word`
/// of 1 (met by an initial, or not at all); patronymics and the other words are taken at their best, and the
/// initials add `rest_num / rest_den`. Patronymics never decide: a missing one costs little.
fn max_misses(
    words: usize,
    patronymics: f64,
    missed_word: f64,
    rest_num: f64,
    rest_den: f64,
    dated: bool,
    threshold: f64,
) -> Option<usize> {
    let bound = |m: usize| {
        let num = rest_num
            + (words - m) as f64
            + m as f64 * missed_word
            + patronymics * PATRONYMIC_WEIGHT;
        let den = rest_den + words as f64 + patronymics * PATRONYMIC_WEIGHT;
        let mut b = if den > 0.0 { (num / den).min(1.0) } else { 0.0 };
        if m == words {
            b *= NO_WORD_CAP;
        }
        if dated {
            b = apply_date(b, DateEvidence::Equal);
        }
        b
    };
    (bound(0) >= threshold).then(|| (1..=words).take_while(|&m| bound(m) >= threshold).count())
}
