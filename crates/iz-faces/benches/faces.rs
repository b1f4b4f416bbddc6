//! Single queries and 256-query batches against 10,000 and 100,000 enrolled 512-d templates,
//! exact and quantised. Peer comparison (faiss) is `bench/faces.sh`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use iz_faces::{Gallery, QuantisedGallery, Template};

const DIM: usize = 512;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn template(&mut self) -> Template {
        let v = (0..DIM)
            .map(|_| {
                ((-2.0 * self.next().ln()).sqrt() * (std::f64::consts::TAU * self.next()).cos())
                    as f32
            })
            .collect();
        Template::normalising(v, DIM).expect("random vectors normalise")
    }
}

fn bench(c: &mut Criterion) {
    let mut rng = Rng(42);
    let queries: Vec<Template> = (0..256).map(|_| rng.template()).collect();
    for n in [10_000usize, 100_000] {
        let mut g = Gallery::new(DIM).expect("dimension");
        for i in 0..n {
            g.enroll(i as u64, &rng.template()).expect("enrol");
        }
        let qg = QuantisedGallery::from_gallery(g.clone());
        let mut group = c.benchmark_group(format!("faces_{n}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("exact", "single"), |b| {
            b.iter(|| g.search(&queries[0], 10).expect("search"))
        });
        group.bench_function(BenchmarkId::new("quantised", "single"), |b| {
            b.iter(|| qg.search(&queries[0], 10).expect("search"))
        });
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.bench_function(BenchmarkId::new("exact", "batch256"), |b| {
            b.iter(|| g.search_batch(&queries, 10).expect("search"))
        });
        group.bench_function(BenchmarkId::new("quantised", "batch256"), |b| {
            b.iter(|| qg.search_batch(&queries, 10).expect("search"))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
