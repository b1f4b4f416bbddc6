use iz_faces::{Backend, Gallery, QuantisedGallery, Template};

use crate::common::{Rng, gallery, normalised, probe_of, quantised};

fn unit(dim: usize, i: usize) -> Template {
    let mut v = vec![0.0; dim];
    v[i] = 1.0;
    normalised(v)
}

#[test]
fn finds_the_enrolled_person_from_a_noisy_probe() {
    let mut rng = Rng::new(1);
    let g = gallery(&mut rng, 512, 300, 3);
    let row = 3 * 123 + 2;
    let probe = probe_of(&mut rng, g.template(row).expect("row"), 0.02);
    let top = g.search(&probe, 5).expect("search");
    assert_eq!(top[0].person, 1123);
    assert_eq!(top[0].template_index, 2);
    assert_eq!(top[0].row as usize, row);
    assert!(top.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn templates_per_person_are_numbered_in_enrolment_order() {
    let mut g = Gallery::new(4).expect("dim");
    assert_eq!(g.enroll(7, &unit(4, 0)), Ok(0));
    assert_eq!(g.enroll(8, &unit(4, 1)), Ok(0));
    assert_eq!(g.enroll(7, &unit(4, 2)), Ok(1));
    assert_eq!((g.len(), g.person_count()), (3, 2));
    let top = g.search(&unit(4, 2), 1).expect("search");
    assert_eq!(
        (
            top[0].person,
            top[0].template_index,
            top[0].row,
            top[0].score
        ),
        (7, 1, 2, 1.0)
    );
}

#[test]
fn best_score_per_person_counts_each_person_once() {
    let mut g = Gallery::new(4).expect("dim");
    let near = normalised(vec![1.0, 0.1, 0.0, 0.0]);
    g.enroll(1, &unit(4, 0)).expect("enrol");
    g.enroll(1, &near).expect("enrol");
    g.enroll(2, &normalised(vec![1.0, 0.3, 0.0, 0.0]))
        .expect("enrol");
    g.enroll(3, &unit(4, 3)).expect("enrol");
    let persons = g.search_persons(&unit(4, 0), 3).expect("search");
    let ids: Vec<u64> = persons.iter().map(|m| m.person).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    assert_eq!(persons[0].template_index, 0);
    assert_eq!(persons[0].score, 1.0);
}

#[test]
fn exact_ties_go_to_the_earlier_row() {
    let mut g = Gallery::new(8).expect("dim");
    for p in 0..5 {
        g.enroll(p, &unit(8, 0)).expect("enrol");
    }
    let rows: Vec<u32> = g
        .search(&unit(8, 0), 3)
        .expect("search")
        .iter()
        .map(|m| m.row)
        .collect();
    assert_eq!(rows, vec![0, 1, 2]);
    let q = quantised(&g);
    let qrows: Vec<u32> = q
        .search(&unit(8, 0), 3)
        .expect("search")
        .iter()
        .map(|m| m.row)
        .collect();
    assert_eq!(qrows, rows);
}

#[test]
fn k_larger_than_the_gallery_returns_everything_and_empty_galleries_return_nothing() {
    let mut rng = Rng::new(2);
    let g = gallery(&mut rng, 20, 3, 2);
    let q = rng.template(20);
    assert_eq!(g.search(&q, 100).expect("search").len(), 6);
    assert_eq!(g.search_persons(&q, 100).expect("search").len(), 3);
    assert_eq!(g.search(&q, 0).expect("search").len(), 0);
    let empty = Gallery::new(20).expect("dim");
    assert!(empty.search(&q, 5).expect("search").is_empty());
    assert!(
        QuantisedGallery::new(20)
            .expect("dim")
            .search(&q, 5)
            .expect("search")
            .is_empty()
    );
}

/// Dimensions that are not multiples of the SIMD widths, galleries not multiples of the tiles.
#[test]
fn batch_equals_single_query_bit_for_bit() {
    for (dim, n, nq) in [(512, 1003, 37), (100, 250, 5), (7, 31, 3), (1, 5, 2)] {
        let mut rng = Rng::new(dim as u64);
        let g = gallery(&mut rng, dim, n, 1);
        let queries: Vec<Template> = (0..nq).map(|_| rng.template(dim)).collect();
        let batch = g.search_batch(&queries, 10).expect("batch");
        let persons = g.search_persons_batch(&queries, 4).expect("batch");
        for (i, q) in queries.iter().enumerate() {
            assert_eq!(
                batch[i],
                g.search(q, 10).expect("single"),
                "dim {dim} query {i}"
            );
            assert_eq!(
                persons[i],
                g.search_persons(q, 4).expect("single"),
                "dim {dim} query {i}"
            );
        }
    }
}

#[test]
fn portable_and_simd_backends_agree() {
    let mut rng = Rng::new(3);
    let mut g = gallery(&mut rng, 300, 500, 1);
    let queries: Vec<Template> = (0..9).map(|_| rng.template(300)).collect();
    let fast = g.search_batch(&queries, 5).expect("batch");
    g.set_backend(Backend::Portable)
        .expect("portable runs anywhere");
    let slow = g.search_batch(&queries, 5).expect("batch");
    for (f, s) in fast.iter().zip(&slow) {
        for (a, b) in f.iter().zip(s) {
            assert!((a.score - b.score).abs() < 1e-5);
        }
        assert_eq!(f[0].row, s[0].row);
    }
    for q in &queries {
        assert_eq!(
            g.search(q, 5).expect("single"),
            slow[queries.iter().position(|x| x == q).unwrap_or(0)]
        );
    }
}

#[test]
fn quantised_returns_the_exact_top_k_on_random_data() {
    let mut rng = Rng::new(4);
    let g = gallery(&mut rng, 512, 2000, 2);
    let qg = quantised(&g);
    let queries: Vec<Template> = (0..40).map(|_| rng.template(512)).collect();
    let batch = qg.search_batch(&queries, 10).expect("batch");
    let pbatch = qg.search_persons_batch(&queries, 3).expect("batch");
    for (i, q) in queries.iter().enumerate() {
        let exact = g.search(q, 10).expect("exact");
        assert_eq!(qg.search(q, 10).expect("quantised"), exact);
        assert_eq!(batch[i], exact);
        let exact_p = g.search_persons(q, 3).expect("exact");
        assert_eq!(qg.search_persons(q, 3).expect("quantised"), exact_p);
        assert_eq!(pbatch[i], exact_p);
    }
}

/// Rows that differ from each other by far less than the int8 step: the re-rank, not the
/// codes, must decide between them.
#[test]
fn quantised_top1_equals_exact_on_near_ties() {
    let mut rng = Rng::new(5);
    let dim = 512;
    let base = rng.vector(dim);
    let mut g = Gallery::new(dim).expect("dim");
    for p in 0..200u64 {
        let v: Vec<f32> = base
            .iter()
            .map(|x| x + (rng.normal() * 1e-4) as f32)
            .collect();
        g.enroll(p, &normalised(v)).expect("enrol");
    }
    for _ in 0..300 {
        g.enroll(9999, &rng.template(dim)).expect("enrol");
    }
    let qg = quantised(&g);
    for _ in 0..30 {
        let q = probe_of(&mut rng, &base, 1e-3);
        let exact = g.search(&q, 1).expect("exact");
        assert_eq!(qg.search(&q, 1).expect("quantised"), exact);
        assert_eq!(
            qg.search_batch(std::slice::from_ref(&q), 1).expect("q")[0],
            exact
        );
        assert!(exact[0].person < 200);
    }
}

#[test]
fn enrolling_into_a_quantised_gallery_matches_building_it_from_one() {
    let mut rng = Rng::new(6);
    let g = gallery(&mut rng, 64, 50, 2);
    let mut incremental = QuantisedGallery::new(64).expect("dim");
    for row in 0..g.len() {
        let t =
            Template::with_dimension(g.template(row).expect("row").to_vec(), 64).expect("valid");
        incremental
            .enroll(1000 + (row / 2) as u64, &t)
            .expect("enrol");
    }
    let built = quantised(&g);
    let q = rng.template(64);
    assert_eq!(
        incremental.search(&q, 5).expect("s"),
        built.search(&q, 5).expect("s")
    );
}

#[test]
fn quantised_is_exact_on_the_portable_backend_too() {
    let mut rng = Rng::new(7);
    let mut g = gallery(&mut rng, 96, 400, 1);
    g.set_backend(Backend::Portable)
        .expect("portable runs anywhere");
    let qg = quantised(&g);
    let queries: Vec<Template> = (0..6).map(|_| rng.template(96)).collect();
    let batch = qg.search_batch(&queries, 5).expect("batch");
    for (i, q) in queries.iter().enumerate() {
        assert_eq!(batch[i], g.search(q, 5).expect("exact"));
        assert_eq!(
            qg.search(q, 5).expect("quantised"),
            g.search(q, 5).expect("exact")
        );
    }
}
