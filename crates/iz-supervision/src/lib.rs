//! # iz-supervision: court-ordered restrictions, checked as people move
//!
//! About 25,500 people in Kazakhstan are on probation. A court decision restricts where and
//! when each may be; a bracelet or phone reports where they are. An officer supervising sixty
//! of them needs one thing from software: a signal they can trust when a restriction is
//! broken, and silence otherwise. This crate is that judgement, pure and synchronous — no
//! clock reads, no I/O. The store, the API and the console sit around it.
//!
//! ## Restrictions
//!
//! A [`RestrictionsInput`] is a decision's restrictions as data (JSON, zones in GeoJSON):
//!
//! | restriction | broken when |
//! |---|---|
//! | `home` — a polygon or a circle around an address | the person is outside it |
//! | `curfews` — daily windows in local time, each with a zone (the home zone by default) | the person is outside the zone during the window |
//! | `exclusions` — a victim's address, a school | the person is inside one |
//! | `banned_places` — a category of the place catalogue with a radius (bars, 200 m) | the person is within the radius of such a place |
//! | `banned_events` — an area and a time window (a match, a rally) | the person is inside it during the window |
//! | `region` — the region, with travel permissions | the person is outside it with no permission in force |
//!
//! [`Restrictions::compile`] prepares every zone through `iz-geo`'s loader, so an order is held
//! to the same checks as a zone file (unclosed rings closed, self-intersections refused with
//! the segments named), and returns every problem at once, each with where it is in the order
//! (`exclusions[1]`) and a stable code.
//!
//! **Time.** Curfews are stated on the wall clock and evaluated in `Asia/Almaty` with the tz
//! database, so a ping from February 2024 (UTC+6) and one from June 2024 (UTC+5, since the
//! change of 1 March 2024) are each judged by the clock of their day. A window whose end is
//! not after its start crosses midnight and belongs to the day it starts on.
//!
//! ## Violations an officer can trust
//!
//! Each restriction has a small state machine (`Quiet → Suspect → Violating → Quiet`):
//!
//! - **Accuracy.** A position comes with an accuracy radius. A restriction is broken only
//!   when the whole accuracy disc is on the forbidden side; a disc that straddles a boundary
//!   is *uncertain*, and an uncertain observation neither counts towards a violation nor
//!   towards its end, nor breaks a streak.
//! - **Grace.** A violation opens after [`Policy::open_after`] breaking observations in a row
//!   or that many seconds between the first and the latest (2 pings or 120 s by default). One
//!   stray fix opens nothing. A complying fix does not forgive a suspicion at once: it is
//!   dropped only after the closing grace (below), so someone stepping in and out of a
//!   victim's yard is caught by the second step in. The violation's `started_at` is the first
//!   breaking observation; `opened_at` the one that used up the grace.
//! - **Hysteresis.** An open violation ends after [`Policy::close_after`] complying
//!   observations (3 pings or 300 s), and its end is dated at the first of them: someone
//!   walking along a fence produces one violation, not one per ping.
//! - **One signal per violation.** The monitor emits [`Signal::Opened`] once and
//!   [`Signal::Ended`] once. Acknowledging and closing (`open → acknowledged → closed`) is the
//!   officer's act, kept by the store; the monitor never decides anything about a person.
//! - **Order.** Pings reach the monitor out of order (a bracelet uploads what it buffered
//!   when it finds a network again). An observation is applied once the caller's clock is
//!   [`Policy::reorder_hold_s`] past its event time (10 s by default); until then it waits, and
//!   a person's waiting observations are applied in event-time order. Older observations (the
//!   uploaded buffer) are applied at once, each batch sorted by time. One that arrives after a
//!   later observation of the same person was applied is *late*: counted in [`Stats::late`],
//!   not applied, because replaying a state machine would retract signals an officer may
//!   already have acted on. Only the last few seconds of pings are ever held in memory.
//! - **Devices.** No ping from a device for [`Policy::signal_loss_after_s`] (15 min) is a
//!   signal loss; an opened strap is tampering; a battery below 15 % is low until it is back
//!   at 25 %. Each is a violation of its own, opened and ended like the others, with the last
//!   position known as evidence.
//!
//! Camera sightings (a face hit for a supervised person places them at the camera, 30 m) and
//! office check-ins (20 m) are observations like pings, without the device's signals.
//!
//! ## Referrals to social help
//!
//! Supervision is also help. Each person has a needs profile ([`referral::Need`]: employment,
//! housing, health, addiction treatment, debts, education, children in the family,
//! disability). A [`referral::RulesTable`] — data (`data/referral-rules.json`), with the law
//! behind each row — maps needs to the responsible agency and service; Iz proposes a
//! referral for every row that answers a need, the officer accepts (it is then *sent*) or
//! declines it, and the agency's updates move it on: `proposed → sent → in progress →
//! provided | declined`, each change dated and signed, a decline always with its reason. What
//! is delivered to the social-services platform ([`referral::Referral::delivery`]) says which
//! service is asked for and for whom — never the offence or the restrictions — and carries an
//! idempotency key, so a retried delivery ([`referral::retry_after`]) is never a second
//! referral.
//!
//! ## Inputs refused
//!
//! Observations that cannot be judged are refused with a stable code (see [`codes`]):
//! impossible coordinates, an accuracy of zero or below, a time ahead of the monitor's clock by
//! more than the allowed skew, a device no supervised person wears, a time outside the term.
#![deny(clippy::unwrap_used)]

pub mod error;
pub mod monitor;
pub mod referral;
pub mod restriction;
pub mod schedule;

pub use error::{InvalidOrder, OrderProblem, codes};
pub use monitor::{
    CheckInInput, Evidence, Grace, Monitor, Observation, PersonId, PingInput, Policy,
    SightingInput, Signal, Source, Stats, Status, Supervision, Violation,
};
pub use restriction::{
    BannedEventInput, CurfewInput, Finding, Place, PlaceBanInput, Places, RegionRuleInput,
    Restrictions, RestrictionsInput, Verdict, ViolationKind, ZoneInput,
};
pub use schedule::{DailyWindow, DailyWindowInput, Interval, LOCAL_TIME, local};
