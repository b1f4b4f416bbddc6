//! Point in zone against star polygons spread over Kazakhstan (and the real regions when the
//! file is there). `cargo bench -p iz-geo`.

use criterion::{Criterion, criterion_group, criterion_main};
use iz_geo::ZoneSet;
use std::hint::black_box;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn stars(n: usize, verts: usize, rng: &mut Rng) -> String {
    let mut features = Vec::with_capacity(n);
    for i in 0..n {
        let (cx, cy) = (46.5 + 41.0 * rng.next(), 40.5 + 15.0 * rng.next());
        let mut ring = Vec::with_capacity(verts + 1);
        for k in 0..verts {
            let a = (k as f64 + 0.9 * rng.next()) / verts as f64 * std::f64::consts::TAU;
            let r = 0.05 + 0.15 * rng.next();
            ring.push(format!("[{},{}]", cx + r * a.cos(), cy + r * a.sin()));
        }
        ring.push(ring[0].clone());
        features.push(format!(
            r#"{{"type":"Feature","properties":{{"id":{i}}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            ring.join(",")
        ));
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let points: Vec<(f64, f64)> = (0..100_000)
        .map(|_| (40.5 + 15.0 * rng.next(), 46.5 + 41.0 * rng.next()))
        .collect();
    let text = stars(10_000, 32, &mut rng);
    c.bench_function("load 10k stars x32", |b| {
        b.iter(|| ZoneSet::from_geojson(black_box(&text)).map(|z| z.0.zones().len()))
    });
    if let Ok((set, _)) = ZoneSet::from_geojson(&text) {
        c.bench_function("locate 100k points, 10k stars", |b| {
            b.iter(|| set.locate_many(black_box(&points)).len())
        });
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/geo/kz-adm1.geojson"
    );
    if let Ok(text) = std::fs::read_to_string(path) {
        let text = text.replace("\"ADM1_PCODE\"", "\"id\"");
        if let Ok((set, _)) = ZoneSet::from_geojson(&text) {
            c.bench_function("locate 100k points, 20 KZ regions", |b| {
                b.iter(|| set.locate_many(black_box(&points)).len())
            });
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
