use iz_plates::testing::{self, Rng};
use iz_plates::{Plate, PlateIndex, PlateRead};

fn index_of(texts: &[&str]) -> PlateIndex {
    PlateIndex::build(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32 + 100, Plate::parse(t).expect("plate"))),
    )
}

#[test]
fn a_cyrillic_lookalike_read_finds_the_latin_plate_in_the_index() {
    let index = index_of(&["123ABC02", "777AB17", "A123BCD"]);
    let hits = index.matches(&PlateRead::new("123 АВС 02", 0.9).expect("read"), 0.8);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].0, 100);
    assert_eq!(hits[0].1.score, 0.9);
}

#[test]
fn a_read_with_ocr_confusions_and_one_edit_finds_its_plate() {
    let index = index_of(&["123ABC02", "777AB17", "A123BCD"]);
    // O for 0, 8 for B, and the 3 missed.
    let hits = index.matches(&PlateRead::new("12A8CO2", 1.0).expect("read"), 0.8);
    assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![100]);
}

#[test]
fn hits_come_best_first() {
    let index = index_of(&["123ABC02", "123ABC05", "123ABX02"]);
    let hits = index.matches(&PlateRead::new("123ABC02", 1.0).expect("read"), 0.8);
    assert_eq!(
        hits.iter().map(|h| h.0).collect::<Vec<_>>(),
        vec![100, 101, 102]
    );
    assert!(hits[0].1.score > hits[1].1.score);
}

#[test]
fn a_read_that_cannot_reach_the_threshold_is_not_compared() {
    let index = index_of(&["123ABC02"]);
    let weak = PlateRead::new("123ABC02", 0.5).expect("read");
    assert!(index.matches(&weak, 0.6).is_empty());
    assert_eq!(index.matches(&weak, 0.5).len(), 1);
}

#[test]
fn a_partial_read_finds_its_plate_through_the_bigrams() {
    let index = index_of(&["123ABC02", "777AB17", "A123BCD"]);
    let hits = index.matches(&PlateRead::partial("23ABC0", 1.0).expect("read"), 0.7);
    assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![100]);
    let unread = index.matches(&PlateRead::new("1?3A?C02", 1.0).expect("read"), 0.7);
    assert_eq!(unread.iter().map(|h| h.0).collect::<Vec<_>>(), vec![100]);
}

#[test]
fn an_empty_index_matches_nothing() {
    let index = PlateIndex::build(std::iter::empty());
    assert!(index.is_empty());
    assert!(
        index
            .matches(&PlateRead::new("1", 1.0).expect("read"), 0.0)
            .is_empty()
    );
}

/// Recall of the index against comparison with every plate, on a seeded generated watch list:
/// (share of reads whose source plate is found, share of the scan's hits the index finds).
fn recall(reads: &[(u32, PlateRead)], index: &PlateIndex, threshold: f32) -> (f64, f64) {
    let (mut found_source, mut found, mut expected) = (0usize, 0usize, 0usize);
    for (source, read) in reads {
        let hits: Vec<u32> = index.matches(read, threshold).iter().map(|h| h.0).collect();
        let all: Vec<u32> = index.scan(read, threshold).iter().map(|h| h.0).collect();
        found_source += usize::from(hits.contains(source));
        expected += all.len();
        found += all.iter().filter(|id| hits.contains(id)).count();
    }
    (
        found_source as f64 / reads.len() as f64,
        found as f64 / expected.max(1) as f64,
    )
}

fn watch_list(n: usize) -> (Vec<Plate>, PlateIndex) {
    let plates = testing::plates(n, 2026);
    let index = PlateIndex::build(
        plates
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, p)| (i as u32, p)),
    );
    (plates, index)
}

#[test]
fn the_index_recalls_reads_within_one_ocr_confusion_or_one_edit() {
    let (plates, index) = watch_list(3_000);
    let mut rng = Rng::new(7);
    let mut reads = Vec::new();
    for _ in 0..150 {
        let slot = rng.below(plates.len());
        let plate = &plates[slot];
        let confused = testing::with_ocr_confusion(plate, &mut rng);
        let edited = testing::with_one_edit(plate, &mut rng);
        let both = testing::with_one_edit(
            &Plate::parse_any(&testing::with_ocr_confusion(plate, &mut rng)).expect("plate"),
            &mut rng,
        );
        for text in [confused, edited, both] {
            reads.push((slot as u32, PlateRead::new(&text, 1.0).expect("read")));
        }
    }
    let (source, pairs) = recall(&reads, &index, 0.8);
    eprintln!("full reads: source recall {source:.4}, pair recall vs scan {pairs:.4}");
    assert!(source >= 0.99, "source recall {source}");
    assert!(pairs >= 0.99, "pair recall {pairs}");
}

#[test]
fn the_index_recalls_partial_reads_and_reads_with_unread_characters() {
    let (plates, index) = watch_list(3_000);
    let mut rng = Rng::new(11);
    let mut reads = Vec::new();
    for _ in 0..150 {
        let slot = rng.below(plates.len());
        let plate = &plates[slot];
        if let Some(read) = testing::truncated(plate, &mut rng, 1.0) {
            reads.push((slot as u32, read));
        }
        let mut text = testing::with_ocr_confusion(plate, &mut rng).into_bytes();
        let i = rng.below(text.len());
        text[i] = b'?';
        let text = String::from_utf8(text).expect("ascii");
        reads.push((slot as u32, PlateRead::new(&text, 1.0).expect("read")));
    }
    let (source, pairs) = recall(&reads, &index, 0.7);
    eprintln!("partial/unread reads: source recall {source:.4}, pair recall vs scan {pairs:.4}");
    assert!(source >= 0.99, "source recall {source}");
    assert!(pairs >= 0.99, "pair recall {pairs}");
}
