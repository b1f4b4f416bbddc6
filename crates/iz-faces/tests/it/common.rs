//! Seeded random templates (no extra dependencies: SplitMix64 + Box–Muller).

use iz_faces::{Gallery, QuantisedGallery, Template};

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    pub fn vector(&mut self, dim: usize) -> Vec<f32> {
        (0..dim).map(|_| self.normal() as f32).collect()
    }
    pub fn template(&mut self, dim: usize) -> Template {
        normalised(self.vector(dim))
    }
}

pub fn normalised(v: Vec<f32>) -> Template {
    let dim = v.len();
    Template::normalising(v, dim).expect("a random vector normalises")
}

/// `persons` persons with `per_person` templates each, ids 1000, 1001, ….
pub fn gallery(rng: &mut Rng, dim: usize, persons: u64, per_person: usize) -> Gallery {
    let mut g = Gallery::new(dim).expect("dimension");
    for p in 0..persons {
        for _ in 0..per_person {
            g.enroll(1000 + p, &rng.template(dim)).expect("enrol");
        }
    }
    g
}

pub fn quantised(g: &Gallery) -> QuantisedGallery {
    QuantisedGallery::from_gallery(g.clone())
}

/// A noisy copy of `t`: the same face seen again.
pub fn probe_of(rng: &mut Rng, t: &[f32], noise: f64) -> Template {
    normalised(
        t.iter()
            .map(|x| x + (rng.normal() * noise) as f32)
            .collect(),
    )
}
