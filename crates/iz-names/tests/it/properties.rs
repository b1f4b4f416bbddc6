//! Properties: folding is total and idempotent, scores are bounded and symmetric, and a name
//! scores the most against itself.

use chrono::NaiveDate;
use iz_names::{Person, Sex, TokenKind, fold, parse, score_value};
use proptest::prelude::*;

/// Names from the alphabets involved, with noise between them.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІіЁё .,'-]{0,40}",
        "[A-Za-zÄäĞğÑñÖöŪūÜüŞşÇçİıÁáǴǵŃńÓóÚúÝýŚśĆć' .-]{0,40}",
        any::<String>(),
    ]
}

fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    proptest::option::of(
        (1930i32..2020, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()),
    )
}

fn sex() -> impl Strategy<Value = Option<Sex>> {
    proptest::option::of(prop_oneof![Just(Sex::Male), Just(Sex::Female)])
}

proptest! {
    #[test]
    fn folding_is_total_and_idempotent(s in name()) {
        let k = fold(&s);
        prop_assert_eq!(fold(&k), k.clone());
        let _ = parse(&s);
    }

    #[test]
    fn scores_are_symmetric_and_bounded(a in name(), b in name(), da in date(), db in date(), sa in sex(), sb in sex()) {
        let pa = Person::new(&a, da, sa);
        let pb = Person::new(&b, db, sb);
        let ab = score_value(&pa, &pb);
        let ba = score_value(&pb, &pa);
        prop_assert_eq!(ab.to_bits(), ba.to_bits());
        prop_assert!((0.0..=1.0).contains(&ab));
    }

    #[test]
    fn a_name_scores_the_most_against_itself(a in name(), b in name(), d in date(), s in sex()) {
        let p = Person::new(&a, d, s);
        let own = score_value(&p, &p);
        if p.name.tokens.iter().any(|t| t.kind == TokenKind::Word) {
            prop_assert_eq!(own, 1.0);
        }
        let other = Person::new(&b, d, s);
        prop_assert!(own >= score_value(&p, &other));
    }
}
