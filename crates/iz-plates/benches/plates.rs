//! Camera reads against 100,000 wanted plates through the index, one core.
//! `cargo bench -p iz-plates --bench plates` — figures go to BENCHMARKS.md.
//!
//! Before timing, prints the index's recall against comparing with every plate at this size.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iz_plates::testing::{self, Rng};
use iz_plates::{Plate, PlateIndex, PlateRead};

const WANTED: usize = 100_000;
const THRESHOLD: f32 = 0.8;

fn wanted() -> (Vec<Plate>, PlateIndex) {
    let plates = testing::plates(WANTED, 2026);
    let index = PlateIndex::build(
        plates
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, p)| (i as u32, p)),
    );
    (plates, index)
}

/// Reads as a road camera makes them: 99 % of passing cars are not wanted (plates from another
/// seed, one in three with an OCR confusion); 1 % are wanted, half of those misread.
fn road_reads(plates: &[Plate], n: usize) -> Vec<PlateRead> {
    let passing = testing::plates(n, 99);
    let mut rng = Rng::new(3);
    (0..n)
        .map(|i| {
            let text = if i % 100 == 0 {
                let plate = &plates[rng.below(plates.len())];
                match rng.below(4) {
                    0 => testing::with_ocr_confusion(plate, &mut rng),
                    1 => testing::with_one_edit(plate, &mut rng),
                    _ => plate.as_str().to_owned(),
                }
            } else if i % 3 == 0 {
                testing::with_ocr_confusion(&passing[i], &mut rng)
            } else {
                passing[i].as_str().to_owned()
            };
            PlateRead::new(&text, 0.95).expect("read")
        })
        .collect()
}

fn noisy_wanted_reads(plates: &[Plate], n: usize, seed: u64) -> Vec<(u32, PlateRead)> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let slot = rng.below(plates.len());
            let plate = &plates[slot];
            let text = if rng.below(2) == 0 {
                testing::with_ocr_confusion(plate, &mut rng)
            } else {
                testing::with_one_edit(plate, &mut rng)
            };
            (slot as u32, PlateRead::new(&text, 1.0).expect("read"))
        })
        .collect()
}

fn partial_reads(plates: &[Plate], n: usize) -> Vec<PlateRead> {
    let mut rng = Rng::new(5);
    (0..n)
        .filter_map(|_| testing::truncated(&plates[rng.below(plates.len())], &mut rng, 0.95))
        .collect()
}

fn report_recall(plates: &[Plate], index: &PlateIndex) {
    let reads = noisy_wanted_reads(plates, 300, 17);
    let (mut source, mut found, mut expected) = (0, 0, 0);
    for (slot, read) in &reads {
        let hits: Vec<u32> = index.matches(read, THRESHOLD).iter().map(|h| h.0).collect();
        let all: Vec<u32> = index.scan(read, THRESHOLD).iter().map(|h| h.0).collect();
        source += usize::from(hits.contains(slot));
        expected += all.len();
        found += all.iter().filter(|id| hits.contains(id)).count();
    }
    eprintln!(
        "recall at {WANTED} plates, threshold {THRESHOLD}, {} reads within one OCR confusion or one edit: \
         source plate found {:.4}, hits found / scan hits {:.4} ({found}/{expected})",
        reads.len(),
        source as f64 / reads.len() as f64,
        found as f64 / expected.max(1) as f64,
    );
}

fn bench(c: &mut Criterion) {
    let (plates, index) = wanted();
    report_recall(&plates, &index);

    let road = road_reads(&plates, 10_000);
    let mut group = c.benchmark_group("plates_100k");
    group.throughput(Throughput::Elements(road.len() as u64));
    group.bench_function("road_reads", |b| {
        b.iter(|| {
            let mut hits = 0;
            for read in &road {
                hits += index.matches(black_box(read), THRESHOLD).len();
            }
            hits
        })
    });

    let noisy: Vec<PlateRead> = noisy_wanted_reads(&plates, 10_000, 23)
        .into_iter()
        .map(|r| r.1)
        .collect();
    group.throughput(Throughput::Elements(noisy.len() as u64));
    group.bench_function("misread_wanted", |b| {
        b.iter(|| {
            noisy
                .iter()
                .map(|r| index.matches(black_box(r), THRESHOLD).len())
                .sum::<usize>()
        })
    });

    let partial = partial_reads(&plates, 1_000);
    group.throughput(Throughput::Elements(partial.len() as u64));
    group.bench_function("partial_reads_threshold_0.75", |b| {
        b.iter(|| {
            partial
                .iter()
                .map(|r| index.matches(black_box(r), 0.75).len())
                .sum::<usize>()
        })
    });
    group.finish();

    c.bench_function("build_index_100k", |b| {
        b.iter(|| {
            PlateIndex::build(
                plates
                    .iter()
                    .cloned()
                    .enumerate()
                    .map(|(i, p)| (i as u32, p)),
            )
            .len()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
