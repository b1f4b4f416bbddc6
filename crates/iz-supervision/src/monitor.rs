//! The monitor: observations in, violation signals out, one state machine per restriction.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Duration, Utc};
use hashbrown::HashMap;
use iz_geo::Point;
use iz_model::Rejection;
use serde::{Deserialize, Serialize};

use crate::error::{InvalidOrder, OrderProblem, codes};
use crate::restriction::{
    Finding, Places, Restrictions, RestrictionsInput, Verdict, ViolationKind,
};
use crate::schedule::{Interval, local};

/// A supervised person's id, as the store numbers them.
pub type PersonId = i64;

/// When a state machine moves: after `pings` observations in a row or `seconds` between the
/// first and the latest of them, whichever comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grace {
    pub pings: u32,
    pub seconds: i64,
}

impl Grace {
    fn reached(&self, pings: u32, since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        pings >= self.pings || (now - since).num_seconds() >= self.seconds
    }
}

/// How cautious the monitor is; every figure is configurable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Breaking observations before a violation opens (a single stray fix opens nothing).
    pub open_after: Grace,
    /// Complying observations before an open violation ends (hysteresis: a person walking
    /// along a fence does not open and end violations with every ping).
    pub close_after: Grace,
    /// No ping from a device for this long is a signal loss.
    pub signal_loss_after_s: i64,
    /// A battery below this opens a low-battery alert …
    pub low_battery_below: f64,
    /// … which ends when the battery is back at this level.
    pub battery_recovered_at: f64,
    /// An observation is applied once the monitor's clock is this far past its event time, so
    /// that those arriving out of order within it are applied in event-time order. Observations
    /// already older than this (a bracelet's buffer, uploaded late) are applied at once, each
    /// batch sorted by time.
    pub reorder_hold_s: i64,
    /// How far ahead of the monitor's clock an observation's time may be (device clocks drift).
    pub max_clock_skew_s: i64,
    /// The accuracy given to a camera sighting and to an office check-in.
    pub camera_accuracy_m: f64,
    pub check_in_accuracy_m: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            open_after: Grace {
                pings: 2,
                seconds: 120,
            },
            close_after: Grace {
                pings: 3,
                seconds: 300,
            },
            signal_loss_after_s: 15 * 60,
            low_battery_below: 15.0,
            battery_recovered_at: 25.0,
            reorder_hold_s: 10,
            max_clock_skew_s: 300,
            camera_accuracy_m: 30.0,
            check_in_accuracy_m: 20.0,
        }
    }
}

/// A court decision's supervision as the monitor needs it.
#[derive(Debug, Clone)]
pub struct Supervision {
    pub person: PersonId,
    pub term: Interval,
    /// Bracelets and phones the person wears.
    pub devices: Vec<String>,
    pub restrictions: Restrictions,
}

/// A location ping from a bracelet or phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PingInput {
    pub device: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery: Option<f64>,
    /// The strap was opened or cut.
    #[serde(default)]
    pub tamper: bool,
    pub at: DateTime<Utc>,
}

/// A camera that recognised a supervised person's face, placing them at the camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SightingInput {
    pub person: PersonId,
    pub camera: String,
    pub lat: f64,
    pub lon: f64,
    pub at: DateTime<Utc>,
}

/// A person who reported at a probation office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    pub person: PersonId,
    pub office: String,
    pub lat: f64,
    pub lon: f64,
    pub at: DateTime<Utc>,
}

/// Where an observation came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Source {
    Device {
        device: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        battery: Option<f64>,
        tamper: bool,
    },
    Camera {
        camera: String,
    },
    CheckIn {
        office: String,
    },
}

/// One observation of where a person was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub at: DateTime<Utc>,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    #[serde(flatten)]
    pub source: Source,
}

/// What an officer sees first about a violation: the observation that began it and why it
/// broke the restriction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// For a signal loss, the last observation before the silence (if any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observation: Option<Observation>,
    /// The same instant on the Kazakh clock (curfews are stated in it).
    pub local_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<Finding>,
}

/// A violation as it opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    pub person: PersonId,
    #[serde(flatten)]
    pub kind: ViolationKind,
    /// When the breach began: the first breaking observation's time.
    pub started_at: DateTime<Utc>,
    /// When the grace ran out and the violation opened.
    pub opened_at: DateTime<Utc>,
    /// Breaking observations up to the opening.
    pub observations: u32,
    pub evidence: Evidence,
}

/// What the monitor tells the store: a violation opened, or the breach behind it ended. An
/// officer acknowledges and closes violations; the monitor only reports the facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Signal {
    Opened(Violation),
    Ended {
        person: PersonId,
        #[serde(flatten)]
        kind: ViolationKind,
        /// The first complying observation of the streak that ended it.
        ended_at: DateTime<Utc>,
    },
}

/// Counters for the dashboard and the bench.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub applied: u64,
    /// Arrived after a later observation of the same person had been applied; counted, not
    /// applied (see the crate docs).
    pub late: u64,
    /// The same device and time again.
    pub duplicates: u64,
    pub opened: u64,
    pub ended: u64,
}

/// Where one person stands now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub person: PersonId,
    /// The latest observation applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Observation>,
    /// Violations whose breach is ongoing.
    pub violating: Vec<ViolationKind>,
    /// Breaches still within their grace.
    pub suspected: Vec<ViolationKind>,
    /// Restrictions whose latest verdict was uncertain (the accuracy disc straddled a boundary).
    pub uncertain: Vec<ViolationKind>,
    pub pending: usize,
}

/// One rule's state machine.
#[derive(Debug, Clone, Default)]
enum Track {
    #[default]
    Quiet,
    Suspect {
        since: DateTime<Utc>,
        pings: u32,
        evidence: Box<Evidence>,
        /// The complying streak since the latest breaking observation: the suspicion is
        /// dropped only when it reaches the closing grace, so someone stepping in and out of
        /// a victim's yard is not forgiven by every step out.
        clearing: Option<(DateTime<Utc>, u32)>,
    },
    Violating {
        /// The complying streak so far, if the person is on their way back.
        leaving: Option<(DateTime<Utc>, u32)>,
    },
}

struct Tracked {
    track: Track,
    uncertain: bool,
}

struct Person {
    supervision: Supervision,
    tracks: Vec<Tracked>,
    /// Observations not yet applied, in arrival order.
    pending: Vec<Observation>,
    last_applied: Option<DateTime<Utc>>,
    last: Option<Observation>,
}

struct Device {
    person: PersonId,
    /// The latest event time observed (applied or waiting), or the enrolment.
    last_seen: DateTime<Utc>,
    /// The time of the latest ping applied, for duplicates.
    last_applied: Option<DateTime<Utc>>,
    lost: bool,
    tampered: bool,
    low_battery: bool,
}

/// The monitor of every supervised person. Synchronous and clock-free: the caller passes
/// `now`, so a fixture replays the same way every time.
pub struct Monitor {
    policy: Policy,
    places: Places,
    persons: HashMap<PersonId, Person>,
    devices: HashMap<String, Device>,
    /// (event time, person) for every observation waiting, earliest first.
    queue: BinaryHeap<Reverse<(DateTime<Utc>, PersonId)>>,
    last_loss_sweep: Option<DateTime<Utc>>,
    stats: Stats,
}

fn reject(code: &'static str, field: &'static str, message: String) -> Rejection {
    Rejection::new(code, message).at(field)
}

impl Monitor {
    pub fn new(policy: Policy, places: Places) -> Self {
        Self {
            policy,
            places,
            persons: HashMap::new(),
            devices: HashMap::new(),
            queue: BinaryHeap::new(),
            last_loss_sweep: None,
            stats: Stats::default(),
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    pub fn len(&self) -> usize {
        self.persons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    /// Checks an order's restrictions against this monitor's place catalogue.
    pub fn compile(&mut self, input: RestrictionsInput) -> Result<Restrictions, InvalidOrder> {
        Restrictions::compile(input, &mut self.places)
    }

    /// Puts a person under supervision, or replaces their order. A violation in progress of a
    /// restriction the new order keeps stays open; one whose restriction is gone is dropped.
    pub fn enrol(
        &mut self,
        supervision: Supervision,
        now: DateTime<Utc>,
    ) -> Result<(), InvalidOrder> {
        let id = supervision.person;
        let mut problems = Vec::new();
        if supervision.term.until <= supervision.term.from {
            problems.push(OrderProblem::new(
                "term",
                codes::INVALID_TERM,
                "the term ends before it starts",
            ));
        }
        for (i, d) in supervision.devices.iter().enumerate() {
            if let Some(other) = self.devices.get(d).filter(|dev| dev.person != id) {
                problems.push(OrderProblem::new(
                    &format!("devices[{i}]"),
                    codes::DEVICE_TAKEN,
                    format!("device {d} is worn by supervised person {}", other.person),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(InvalidOrder(problems));
        }
        let old = self.persons.remove(&id);
        let mut kept: HashMap<ViolationKind, Tracked> = HashMap::new();
        let (pending, last_applied, last) = match old {
            Some(old) => {
                for (rule, tracked) in old.supervision.restrictions.rules.iter().zip(old.tracks) {
                    kept.insert(rule.kind.clone(), tracked);
                }
                for d in &old.supervision.devices {
                    if !supervision.devices.contains(d) {
                        self.devices.remove(d);
                    }
                }
                (old.pending, old.last_applied, old.last)
            }
            None => (Vec::new(), None, None),
        };
        let tracks = supervision
            .restrictions
            .rules
            .iter()
            .map(|r| {
                kept.remove(&r.kind).unwrap_or(Tracked {
                    track: Track::Quiet,
                    uncertain: false,
                })
            })
            .collect();
        for d in &supervision.devices {
            self.devices.entry(d.clone()).or_insert(Device {
                person: id,
                last_seen: now,
                last_applied: None,
                lost: false,
                tampered: false,
                low_battery: false,
            });
        }
        self.persons.insert(
            id,
            Person {
                supervision,
                tracks,
                pending,
                last_applied,
                last,
            },
        );
        Ok(())
    }

    /// Marks a violation found before a restart as ongoing, so that the monitor ends it when
    /// the breach ends and does not open it again. `false` when the person or the restriction
    /// is no longer monitored.
    pub fn resume(&mut self, person: PersonId, kind: &ViolationKind) -> bool {
        let Some(p) = self.persons.get_mut(&person) else {
            return false;
        };
        let device = |d: &str| p.supervision.devices.iter().any(|x| x == d);
        let flag = match kind {
            ViolationKind::SignalLoss { device: d } if device(d) => {
                self.devices.get_mut(d).map(|dev| &mut dev.lost)
            }
            ViolationKind::Tamper { device: d } if device(d) => {
                self.devices.get_mut(d).map(|dev| &mut dev.tampered)
            }
            ViolationKind::LowBattery { device: d } if device(d) => {
                self.devices.get_mut(d).map(|dev| &mut dev.low_battery)
            }
            _ => None,
        };
        if let Some(flag) = flag {
            *flag = true;
            return true;
        }
        let rules = &p.supervision.restrictions.rules;
        match rules.iter().position(|r| &r.kind == kind) {
            Some(i) => {
                p.tracks[i].track = Track::Violating { leaving: None };
                true
            }
            None => false,
        }
    }

    /// Ends a person's supervision: their devices and state are forgotten.
    pub fn release(&mut self, person: PersonId) -> bool {
        match self.persons.remove(&person) {
            Some(p) => {
                for d in &p.supervision.devices {
                    self.devices.remove(d);
                }
                true
            }
            None => false,
        }
    }

    fn checked_position(lat: f64, lon: f64) -> Result<(), Rejection> {
        Point::new(lat, lon)
            .map(|_| ())
            .map_err(|e| reject(codes::INVALID_POSITION, "lat", e.to_string()))
    }

    fn checked_time(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Rejection> {
        if at > now + Duration::seconds(self.policy.max_clock_skew_s) {
            return Err(reject(
                codes::TIME_IN_FUTURE,
                "at",
                format!(
                    "{at} is ahead of the monitor's clock ({now}) by more than {} s",
                    self.policy.max_clock_skew_s
                ),
            ));
        }
        Ok(())
    }

    /// Takes a ping; it is applied by a later [`Monitor::advance`]. Refused with a stable code
    /// when it cannot be judged.
    pub fn ping(&mut self, ping: &PingInput, now: DateTime<Utc>) -> Result<PersonId, Rejection> {
        Self::checked_position(ping.lat, ping.lon)?;
        if !(ping.accuracy_m.is_finite() && ping.accuracy_m > 0.0) {
            return Err(reject(
                codes::INVALID_ACCURACY,
                "accuracy_m",
                format!("accuracy must be above 0 metres, not {}", ping.accuracy_m),
            ));
        }
        if let Some(b) = ping.battery.filter(|b| !(0.0..=100.0).contains(b)) {
            return Err(reject(
                codes::INVALID_BATTERY,
                "battery",
                format!("battery is a percentage 0..100, not {b}"),
            ));
        }
        self.checked_time(ping.at, now)?;
        let Some(device) = self.devices.get_mut(&ping.device) else {
            return Err(reject(
                codes::UNKNOWN_DEVICE,
                "device",
                format!("no supervised person wears device {:?}", ping.device),
            ));
        };
        let person = device.person;
        let observation = Observation {
            at: ping.at,
            lat: ping.lat,
            lon: ping.lon,
            accuracy_m: ping.accuracy_m,
            source: Source::Device {
                device: ping.device.clone(),
                battery: ping.battery,
                tamper: ping.tamper,
            },
        };
        self.queue_for(person, observation)?;
        if let Some(device) = self.devices.get_mut(&ping.device) {
            device.last_seen = device.last_seen.max(ping.at);
        }
        Ok(person)
    }

    /// Takes a camera sighting of a supervised person.
    pub fn sighting(&mut self, s: &SightingInput, now: DateTime<Utc>) -> Result<(), Rejection> {
        let source = Source::Camera {
            camera: s.camera.clone(),
        };
        let accuracy_m = self.policy.camera_accuracy_m;
        self.placed(s.person, (s.lat, s.lon, s.at), accuracy_m, source, now)
    }

    /// Takes an office check-in.
    pub fn check_in(&mut self, c: &CheckInInput, now: DateTime<Utc>) -> Result<(), Rejection> {
        let source = Source::CheckIn {
            office: c.office.clone(),
        };
        let accuracy_m = self.policy.check_in_accuracy_m;
        self.placed(c.person, (c.lat, c.lon, c.at), accuracy_m, source, now)
    }

    /// An observation that names its person (a sighting, a check-in), checked and queued.
    fn placed(
        &mut self,
        person: PersonId,
        (lat, lon, at): (f64, f64, DateTime<Utc>),
        accuracy_m: f64,
        source: Source,
        now: DateTime<Utc>,
    ) -> Result<(), Rejection> {
        Self::checked_position(lat, lon)?;
        self.checked_time(at, now)?;
        self.queue_for(
            person,
            Observation {
                at,
                lat,
                lon,
                accuracy_m,
                source,
            },
        )
    }

    fn queue_for(&mut self, person: PersonId, observation: Observation) -> Result<(), Rejection> {
        let Some(p) = self.persons.get_mut(&person) else {
            return Err(reject(
                codes::UNKNOWN_PERSON,
                "person",
                format!("person {person} is not under supervision"),
            ));
        };
        if !p.supervision.term.contains(observation.at) {
            let term = &p.supervision.term;
            return Err(reject(
                codes::OUTSIDE_TERM,
                "at",
                format!(
                    "{} is outside the term of supervision ({} – {})",
                    observation.at, term.from, term.until
                ),
            ));
        }
        self.queue.push(Reverse((observation.at, person)));
        p.pending.push(observation);
        Ok(())
    }

    /// Applies what has waited long enough, in event-time order per person, and looks for
    /// devices gone silent. Returns the signals, in the order they happened per person.
    pub fn advance(&mut self, now: DateTime<Utc>) -> Vec<Signal> {
        let mut signals = Vec::new();
        let due = now - Duration::seconds(self.policy.reorder_hold_s);
        while let Some(&Reverse((at, person))) = self.queue.peek() {
            if at > due {
                break;
            }
            self.queue.pop();
            self.release_due(person, due, &mut signals);
        }
        let sweep = self
            .last_loss_sweep
            .is_none_or(|last| (now - last).num_seconds() >= 1);
        if sweep {
            self.last_loss_sweep = Some(now);
            let after = Duration::seconds(self.policy.signal_loss_after_s);
            for (name, d) in self.devices.iter_mut() {
                if !d.lost && now - d.last_seen >= after {
                    d.lost = true;
                    self.stats.opened += 1;
                    let last = self.persons.get(&d.person).and_then(|p| p.last.clone());
                    signals.push(Signal::Opened(Violation {
                        person: d.person,
                        kind: ViolationKind::SignalLoss {
                            device: name.clone(),
                        },
                        started_at: d.last_seen,
                        opened_at: d.last_seen + after,
                        observations: 0,
                        evidence: Evidence {
                            observation: last,
                            local_time: wall_clock(d.last_seen),
                            finding: None,
                        },
                    }));
                }
            }
        }
        signals
    }

    /// Applies a person's observations that happened before `due`, in event-time order.
    fn release_due(&mut self, id: PersonId, due: DateTime<Utc>, signals: &mut Vec<Signal>) {
        let Some(p) = self.persons.get_mut(&id) else {
            return;
        };
        let (mut ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut p.pending)
            .into_iter()
            .partition(|o| o.at <= due);
        p.pending = waiting;
        // Stable: observations with the same time keep their arrival order.
        ready.sort_by_key(|o| o.at);
        for o in ready {
            self.apply(id, o, signals);
        }
    }

    fn apply(&mut self, id: PersonId, o: Observation, signals: &mut Vec<Signal>) {
        let Some(p) = self.persons.get_mut(&id) else {
            return;
        };
        if p.last_applied.is_some_and(|last| o.at < last) {
            self.stats.late += 1;
            return;
        }
        // The device is looked up once per observation: at 200,000 pings a second the
        // string hashing and comparing shows in a profile.
        let worn = match &o.source {
            Source::Device { device, .. } => self.devices.get_mut(device),
            _ => None,
        };
        if worn.as_ref().is_some_and(|d| d.last_applied == Some(o.at)) {
            self.stats.duplicates += 1;
            return;
        }
        self.stats.applied += 1;
        p.last_applied = Some(o.at);
        let point = Point {
            lat: o.lat,
            lon: o.lon,
        };
        let wall = local(o.at);
        let policy = &self.policy;
        for (rule, tracked) in p
            .supervision
            .restrictions
            .rules
            .iter()
            .zip(p.tracks.iter_mut())
        {
            let verdict = rule.judge(
                point,
                o.accuracy_m,
                o.at,
                wall,
                &p.supervision.restrictions.labels,
                &self.places,
            );
            tracked.uncertain = verdict == Verdict::Uncertain;
            if let Some(signal) = step(&mut tracked.track, verdict, &o, id, &rule.kind, policy) {
                match signal {
                    Signal::Opened(_) => self.stats.opened += 1,
                    Signal::Ended { .. } => self.stats.ended += 1,
                }
                signals.push(signal);
            }
        }
        if let Source::Device {
            device,
            battery,
            tamper,
        } = &o.source
            && let Some(d) = worn
        {
            d.last_applied = Some(o.at);
            let mut toggle = |open: &mut bool, now_open: bool, kind: ViolationKind| {
                if now_open == *open {
                    return;
                }
                *open = now_open;
                if now_open {
                    self.stats.opened += 1;
                    signals.push(Signal::Opened(Violation {
                        person: id,
                        kind,
                        started_at: o.at,
                        opened_at: o.at,
                        observations: 1,
                        evidence: Evidence {
                            observation: Some(o.clone()),
                            local_time: wall_clock(o.at),
                            finding: None,
                        },
                    }));
                } else {
                    self.stats.ended += 1;
                    signals.push(Signal::Ended {
                        person: id,
                        kind,
                        ended_at: o.at,
                    });
                }
            };
            let name = || device.clone();
            if d.lost {
                toggle(
                    &mut d.lost,
                    false,
                    ViolationKind::SignalLoss { device: name() },
                );
            }
            toggle(
                &mut d.tampered,
                *tamper,
                ViolationKind::Tamper { device: name() },
            );
            if let Some(b) = *battery {
                let low = if d.low_battery {
                    b < policy.battery_recovered_at
                } else {
                    b < policy.low_battery_below
                };
                toggle(
                    &mut d.low_battery,
                    low,
                    ViolationKind::LowBattery { device: name() },
                );
            }
        }
        p.last = Some(o);
    }

    /// Where a person stands now, or `None` when they are not under supervision.
    pub fn status(&self, id: PersonId) -> Option<Status> {
        let p = self.persons.get(&id)?;
        let mut status = Status {
            person: id,
            last: p.last.clone(),
            violating: Vec::new(),
            suspected: Vec::new(),
            uncertain: Vec::new(),
            pending: p.pending.len(),
        };
        for (rule, tracked) in p.supervision.restrictions.rules.iter().zip(&p.tracks) {
            match tracked.track {
                Track::Violating { .. } => status.violating.push(rule.kind.clone()),
                Track::Suspect { .. } => status.suspected.push(rule.kind.clone()),
                Track::Quiet => {}
            }
            if tracked.uncertain {
                status.uncertain.push(rule.kind.clone());
            }
        }
        for d in &p.supervision.devices {
            if let Some(dev) = self.devices.get(d) {
                let device = || d.clone();
                if dev.lost {
                    status
                        .violating
                        .push(ViolationKind::SignalLoss { device: device() });
                }
                if dev.tampered {
                    status
                        .violating
                        .push(ViolationKind::Tamper { device: device() });
                }
                if dev.low_battery {
                    status
                        .violating
                        .push(ViolationKind::LowBattery { device: device() });
                }
            }
        }
        Some(status)
    }
}

/// One rule's state machine taking one verdict. Uncertain verdicts neither count towards a
/// breach nor towards its end, and break no streak.
fn step(
    track: &mut Track,
    verdict: Verdict,
    o: &Observation,
    person: PersonId,
    kind: &ViolationKind,
    policy: &Policy,
) -> Option<Signal> {
    match (std::mem::take(track), verdict) {
        (t, Verdict::Uncertain) => {
            *track = t;
            None
        }
        (Track::Quiet, Verdict::Complies) => None,
        (Track::Quiet, Verdict::Breaks(finding)) => {
            let evidence = Box::new(Evidence {
                observation: Some(o.clone()),
                local_time: wall_clock(o.at),
                finding: Some(finding),
            });
            *track = Track::Suspect {
                since: o.at,
                pings: 1,
                evidence,
                clearing: None,
            };
            open_if_due(track, o, person, kind, policy)
        }
        (
            Track::Suspect {
                since,
                pings,
                evidence,
                clearing,
            },
            Verdict::Complies,
        ) => {
            let clearing = streak(clearing, o.at);
            if !policy.close_after.reached(clearing.1, clearing.0, o.at) {
                *track = Track::Suspect {
                    since,
                    pings,
                    evidence,
                    clearing: Some(clearing),
                };
            }
            None
        }
        (
            Track::Suspect {
                since,
                pings,
                evidence,
                ..
            },
            Verdict::Breaks(_),
        ) => {
            *track = Track::Suspect {
                since,
                pings: pings + 1,
                evidence,
                clearing: None,
            };
            open_if_due(track, o, person, kind, policy)
        }
        (Track::Violating { .. }, Verdict::Breaks(_)) => {
            *track = Track::Violating { leaving: None };
            None
        }
        (Track::Violating { leaving }, Verdict::Complies) => {
            let (since, pings) = streak(leaving, o.at);
            if policy.close_after.reached(pings, since, o.at) {
                *track = Track::Quiet;
                Some(Signal::Ended {
                    person,
                    kind: kind.clone(),
                    ended_at: since,
                })
            } else {
                *track = Track::Violating {
                    leaving: Some((since, pings)),
                };
                None
            }
        }
    }
}

/// A complying streak, one observation longer.
fn streak(so_far: Option<(DateTime<Utc>, u32)>, at: DateTime<Utc>) -> (DateTime<Utc>, u32) {
    match so_far {
        Some((since, pings)) => (since, pings + 1),
        None => (at, 1),
    }
}

fn open_if_due(
    track: &mut Track,
    o: &Observation,
    person: PersonId,
    kind: &ViolationKind,
    policy: &Policy,
) -> Option<Signal> {
    let Track::Suspect {
        since,
        pings,
        evidence,
        ..
    } = track
    else {
        return None;
    };
    if !policy.open_after.reached(*pings, *since, o.at) {
        return None;
    }
    let violation = Violation {
        person,
        kind: kind.clone(),
        started_at: *since,
        opened_at: o.at,
        observations: *pings,
        evidence: (**evidence).clone(),
    };
    *track = Track::Violating { leaving: None };
    Some(Signal::Opened(violation))
}

/// An instant as the Kazakh wall clock showed it, for the officer.
fn wall_clock(at: DateTime<Utc>) -> String {
    local(at).format("%Y-%m-%d %H:%M").to_string()
}
