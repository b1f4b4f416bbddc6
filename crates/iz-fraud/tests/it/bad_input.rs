//! Bad input, each refused with a reason or absorbed without changing the result.

use super::*;

#[test]
fn a_repeated_transaction_id_changes_nothing() {
    let mut c = centre();
    let first = observe(&mut c, Event::Transaction(tx("T1", 0, "A", "M", 50_000)));
    assert!(!first.duplicate);
    let before = c.score(&acc("M")).expect("known");
    let again = observe(&mut c, Event::Transaction(tx("T1", 0, "A", "M", 50_000)));
    assert!(again.duplicate);
    assert_eq!(c.stats().transactions, 1);
    assert_eq!(c.stats().duplicates, 1);
    assert_eq!(c.score(&acc("M")).expect("known"), before);
}

#[test]
fn events_out_of_order_give_the_same_pass_through_as_in_order() {
    let events = [
        tx("in", 0, "A", "M", 100_000),
        tx("out", 600, "M", "X", 95_000),
    ];
    let mut ordered = centre();
    for e in events.iter().cloned() {
        observe(&mut ordered, Event::Transaction(e));
    }
    let mut reversed = centre();
    for e in events.iter().rev().cloned() {
        observe(&mut reversed, Event::Transaction(e));
    }
    assert_eq!(reversed.stats().out_of_order, 1);
    assert!(indicators(&ordered, "M").contains(&"pass_through".to_string()));
    assert_eq!(ordered.score(&acc("M")), reversed.score(&acc("M")));
}

#[test]
fn unknown_accounts_are_created_on_first_sight() {
    let mut c = centre();
    assert_eq!(c.account_count(), 0);
    observe(
        &mut c,
        Event::Transaction(tx("T1", 0, "never-opened", "also-new", 10)),
    );
    assert_eq!(c.account_count(), 2);
    assert!(c.score(&acc("also-new")).is_some());
}

#[test]
fn zero_or_negative_amounts_are_refused_with_a_reason() {
    let mut c = centre();
    for amount in [0, -500] {
        let bad = Transaction {
            amount_tiyn: amount,
            ..tx("T1", 0, "A", "B", 1)
        };
        let refused = c
            .observe(&Event::Transaction(bad.clone()))
            .expect_err("refused");
        assert_eq!(refused.code, codes::INVALID_AMOUNT);
        assert!(refused.message.contains(&amount.to_string()), "{refused}");
        assert_eq!(
            c.decide(&bad).expect_err("refused").code,
            codes::INVALID_AMOUNT
        );
    }
    assert_eq!(c.account_count(), 0, "nothing refused reached the state");
}

#[test]
fn a_currency_other_than_kzt_is_refused_with_a_reason() {
    let mut c = centre();
    let usd = Transaction {
        currency: "USD".into(),
        ..tx("T1", 0, "A", "B", 100)
    };
    let refused = c
        .observe(&Event::Transaction(usd.clone()))
        .expect_err("refused");
    assert_eq!(refused.code, codes::UNSUPPORTED_CURRENCY);
    assert!(refused.message.contains("USD"));
    assert_eq!(
        c.decide(&usd).expect_err("refused").code,
        codes::UNSUPPORTED_CURRENCY
    );
    assert_eq!(c.stats().refused, 1);
}

#[test]
fn an_invalid_configuration_is_refused_whole_with_every_problem() {
    let text = r#"
        version = 1
        [dropper.weights]
        cycle = 1.5
        [decision]
        hold_at = 0.9
        block_at = 0.5
        [sim_box]
        min_calls = 0
    "#;
    let refused = FraudConfig::from_toml(text).expect_err("refused");
    let codes_found = refused.codes();
    assert!(codes_found.contains(&codes::INVALID_WEIGHT));
    assert!(codes_found.contains(&codes::INVALID_THRESHOLD));
    assert!(codes_found.contains(&codes::INVALID_RANGE));
    assert!(
        refused.to_string().contains("dropper.weights.cycle"),
        "{refused}"
    );
    // The live rules are kept by the caller: a centre keeps what it had.
    let c = centre();
    assert_eq!(c.rules(), &Rules::default());
}

#[test]
fn a_configuration_with_an_unknown_field_or_version_is_refused() {
    let unknown = FraudConfig::from_toml("[dropper]\nfan_in_form = 3\n").expect_err("refused");
    assert_eq!(unknown.codes(), vec![codes::INVALID_SYNTAX]);
    let future = FraudConfig::from_json(r#"{"version": 2}"#).expect_err("refused");
    assert_eq!(future.codes(), vec![codes::UNSUPPORTED_VERSION]);
    let fine = FraudConfig::from_json(r#"{"version": 1, "call_transfer": {"within_minutes": 10}}"#)
        .expect("valid");
    assert_eq!(fine.call_transfer.within_minutes, 10);
}
