use iz_faces::{Gallery, Template, check};
use proptest::prelude::*;

use crate::common::{Rng, gallery, quantised};

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Validation answers Ok or Err for every vector — NaN, infinities, huge, tiny, any length.
    #[test]
    fn validation_never_panics(
        v in prop::collection::vec(prop_oneof![any::<f32>(), Just(f32::NAN), Just(f32::MAX), Just(0.0f32)], 0..40),
        dim in 0usize..40,
    ) {
        let ok = check(&v, dim).is_ok();
        prop_assert_eq!(Template::with_dimension(v.clone(), dim).is_ok(), ok);
        let _ = Template::normalising(v, dim);
    }

    #[test]
    fn scores_are_within_minus_one_and_one(seed in any::<u64>(), dim in 1usize..80, n in 1u64..40) {
        let mut rng = Rng::new(seed);
        let g = gallery(&mut rng, dim, n, 1);
        let q = rng.template(dim);
        for s in g.scores(&q).expect("scores") {
            prop_assert!((-1.0 - 1e-5..=1.0 + 1e-5).contains(&s), "{}", s);
        }
        // A template scored against itself is 1.
        let own = Template::with_dimension(g.template(0).expect("row").to_vec(), dim).expect("valid");
        prop_assert!((g.scores(&own).expect("scores")[0] - 1.0).abs() < 2e-3);
    }

    #[test]
    fn quantised_top1_equals_exact_top1(seed in any::<u64>(), dim in 1usize..300, n in 1u64..300, k in 1usize..5) {
        let mut rng = Rng::new(seed);
        let g = gallery(&mut rng, dim, n, 1 + (seed % 3) as usize);
        let qg = quantised(&g);
        let queries: Vec<Template> = (0..5).map(|_| rng.template(dim)).collect();
        let batch = qg.search_batch(&queries, k).expect("batch");
        for (i, q) in queries.iter().enumerate() {
            let exact = g.search(q, k).expect("exact");
            prop_assert_eq!(&qg.search(q, k).expect("quantised")[..1], &exact[..1]);
            prop_assert_eq!(&batch[i], &exact);
            prop_assert_eq!(qg.search_persons(q, k).expect("q"), g.search_persons(q, k).expect("e"));
        }
    }

    /// Duplicated rows (exact ties) and sign-flipped rows keep both searches in agreement.
    #[test]
    fn quantised_agrees_on_duplicates(seed in any::<u64>(), dim in 2usize..64) {
        let mut rng = Rng::new(seed);
        let mut g = Gallery::new(dim).expect("dim");
        let t = rng.template(dim);
        let neg = Template::with_dimension(t.as_slice().iter().map(|x| -x).collect(), dim).expect("valid");
        for p in 0..6 {
            g.enroll(p, if p % 2 == 0 { &t } else { &neg }).expect("enrol");
        }
        let qg = quantised(&g);
        for q in [&t, &neg] {
            prop_assert_eq!(qg.search(q, 3).expect("q"), g.search(q, 3).expect("e"));
        }
    }
}
