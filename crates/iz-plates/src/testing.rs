//! Seeded generators of wanted plates and of the reads a camera makes of them, shared by the
//! tests and the bench (feature `testing`). Deterministic for a seed, no dependencies.

use crate::{CONFUSION_CLASSES, Plate, PlateRead};

/// A small deterministic generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn pick(&mut self, from: &[u8]) -> u8 {
        from[self.below(from.len())]
    }
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// `n` distinct plates: mostly 2012 civil plates, some 1993 ones and foreign-owned ones, in
/// roughly the mix a watch list would hold.
pub fn plates(n: usize, seed: u64) -> Vec<Plate> {
    let mut rng = Rng::new(seed);
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut s = String::with_capacity(9);
        let kind = rng.below(100);
        let region = format!("{:02}", 1 + rng.below(20));
        let push = |s: &mut String, from: &[u8], k: usize, rng: &mut Rng| {
            for _ in 0..k {
                s.push(char::from(rng.pick(from)));
            }
        };
        if kind < 70 {
            push(&mut s, DIGITS, 3, &mut rng);
            push(&mut s, LETTERS, 3, &mut rng);
            s.push_str(&region);
        } else if kind < 85 {
            push(&mut s, DIGITS, 3, &mut rng);
            push(&mut s, LETTERS, 2, &mut rng);
            s.push_str(&region);
        } else if kind < 97 {
            push(&mut s, LETTERS, 1, &mut rng);
            push(&mut s, DIGITS, 3, &mut rng);
            push(&mut s, LETTERS, 3, &mut rng);
        } else {
            s.push(if rng.below(2) == 0 { 'F' } else { 'H' });
            push(&mut s, DIGITS, 4, &mut rng);
            s.push_str(&region);
        }
        if seen.insert(s.clone())
            && let Ok(plate) = Plate::parse(&s)
        {
            out.push(plate);
        }
    }
    out
}

/// The plate with one character swapped for another of its confusion class, where it has
/// one; otherwise the plate unchanged.
pub fn with_ocr_confusion(plate: &Plate, rng: &mut Rng) -> String {
    let mut bytes = plate.as_str().as_bytes().to_vec();
    let positions: Vec<usize> = (0..bytes.len())
        .filter(|&i| class_of(bytes[i]).is_some())
        .collect();
    if !positions.is_empty() {
        let i = positions[rng.below(positions.len())];
        if let Some(class) = class_of(bytes[i]) {
            let others: Vec<u8> = class.bytes().filter(|&c| c != bytes[i]).collect();
            bytes[i] = rng.pick(&others);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The plate with one random substitution, insertion or deletion.
pub fn with_one_edit(plate: &Plate, rng: &mut Rng) -> String {
    let mut bytes = plate.as_str().as_bytes().to_vec();
    match rng.below(3) {
        0 => {
            let i = rng.below(bytes.len());
            bytes[i] = rng.pick(ALPHABET);
        }
        1 => {
            let i = rng.below(bytes.len() + 1);
            bytes.insert(i, rng.pick(ALPHABET));
        }
        _ => {
            if bytes.len() > 1 {
                bytes.remove(rng.below(bytes.len()));
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A partial read: the plate with one or two characters cut from one end.
pub fn truncated(plate: &Plate, rng: &mut Rng, confidence: f32) -> Option<PlateRead> {
    let s = plate.as_str();
    let cut = 1 + rng.below(2);
    let part = if rng.below(2) == 0 {
        &s[..s.len().saturating_sub(cut)]
    } else {
        &s[cut.min(s.len())..]
    };
    PlateRead::partial(part, confidence).ok()
}

fn class_of(c: u8) -> Option<&'static str> {
    CONFUSION_CLASSES
        .into_iter()
        .find(|class| class.as_bytes().contains(&c))
}
