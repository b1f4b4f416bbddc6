//! Signal loss, tampering and low battery: alerts of their own.

use super::*;

#[test]
fn no_ping_for_fifteen_minutes_is_a_signal_loss_ended_by_the_next_ping() {
    let mut m = monitor(order());
    feed(&mut m, &[ping(t(0), HOME, 10.0)]);
    assert!(
        m.advance(t(14 * 60)).is_empty(),
        "fourteen minutes of silence is not yet a loss"
    );
    let lost = m.advance(t(15 * 60));
    assert_eq!(lines(&lost), ["opened signal_loss:BR-1001@0/900"]);
    let Signal::Opened(v) = &lost[0] else {
        unreachable!()
    };
    assert_eq!(
        v.evidence.observation.as_ref().map(|o| (o.lat, o.lon)),
        Some(HOME),
        "the last position known is the evidence"
    );
    assert!(
        m.advance(t(20 * 60)).is_empty(),
        "one loss, not one per sweep"
    );
    let back = feed(&mut m, &[ping(t(25 * 60), HOME, 10.0)]);
    assert_eq!(lines(&back), ["ended signal_loss:BR-1001@1500"]);
}

#[test]
fn a_device_that_never_pinged_is_lost_fifteen_minutes_after_enrolment() {
    let mut m = monitor(order());
    assert_eq!(
        lines(&m.advance(t(15 * 60))),
        ["opened signal_loss:BR-1001@0/900"]
    );
}

#[test]
fn an_opened_strap_is_tampering_until_it_is_closed_again() {
    let mut m = monitor(order());
    let mut opened = ping(t(30), HOME, 10.0);
    opened.tamper = true;
    let mut still = ping(t(60), HOME, 10.0);
    still.tamper = true;
    let signals = feed(
        &mut m,
        &[
            ping(t(0), HOME, 10.0),
            opened,
            still,
            ping(t(90), HOME, 10.0),
        ],
    );
    assert_eq!(
        lines(&signals),
        ["opened tamper:BR-1001@30/30", "ended tamper:BR-1001@90"]
    );
}

#[test]
fn a_low_battery_opens_below_fifteen_and_ends_only_back_at_twenty_five() {
    let mut m = monitor(order());
    let at = |s: i64, battery: f64| PingInput {
        battery: Some(battery),
        ..ping(t(s), HOME, 10.0)
    };
    let signals = feed(
        &mut m,
        &[
            at(0, 30.0),
            at(30, 14.0),
            at(60, 18.0),
            at(90, 24.9),
            at(120, 25.0),
            at(150, 16.0),
        ],
    );
    assert_eq!(
        lines(&signals),
        [
            "opened low_battery:BR-1001@30/30",
            "ended low_battery:BR-1001@120"
        ],
        "18 % and 24.9 % do not end it; 16 % after the recovery does not open a new one"
    );
    let status = m.status(PERSON).expect("supervised");
    assert!(status.violating.is_empty(), "{status:?}");
}
