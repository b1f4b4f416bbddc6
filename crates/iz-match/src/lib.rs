//! # iz-match: how a capability looks at events
//!
//! A capability of Iz (wanted persons, supervision, anti-fraud …) is, at its core, a
//! [`Matcher`]: plain synchronous code that looks at one [`Event`] with the state it holds and
//! pushes zero or more [`Hit`]s into a [`HitSink`]. A matcher does no I/O and reads no clock —
//! the event carries its times — so it can be tested with a list of events and benchmarked on
//! one core, and the same code runs behind HTTP, files or a message bus.
//!
//! The [`Engine`] routes each event only to the matchers that declared interest in its kind, so
//! adding a capability means adding a matcher, not touching the others. An engine is immutable:
//! when a watch-list changes, the owner builds a new engine from the new entries and swaps it in
//! (see `iz-ingest`); events in flight finish against the snapshot they started with. Matchers
//! that keep per-key state between events (later capabilities) hold it behind their own
//! synchronisation, partitioned by key.

#![deny(clippy::unwrap_used)]

use iz_model::{Event, EventKind, Hit};

/// Where a matcher puts its hits. Push-style, so a matcher never allocates a result list.
pub trait HitSink {
    fn hit(&mut self, hit: Hit);
}

impl HitSink for Vec<Hit> {
    fn hit(&mut self, hit: Hit) {
        self.push(hit);
    }
}

/// Counts hits and drops them; for benchmarks.
#[derive(Debug, Default)]
pub struct CountingSink(pub u64);

impl HitSink for CountingSink {
    fn hit(&mut self, _hit: Hit) {
        self.0 += 1;
    }
}

/// One capability's matching logic.
pub trait Matcher: Send + Sync {
    /// A short stable name, recorded on every hit (e.g. `wanted`).
    fn name(&self) -> &'static str;
    /// Whether events of this kind can concern this matcher.
    fn wants(&self, kind: EventKind) -> bool;
    /// Looks at one event; pushes a hit for each watch entry it concerns.
    fn observe(&self, event: &Event, sink: &mut dyn HitSink);
}

/// The matchers of a deployment, with each event kind routed to those that want it.
pub struct Engine {
    matchers: Vec<Box<dyn Matcher>>,
    routes: Vec<Vec<usize>>,
}

impl Engine {
    pub fn new(matchers: Vec<Box<dyn Matcher>>) -> Self {
        let routes = EventKind::ALL
            .iter()
            .map(|kind| {
                (0..matchers.len())
                    .filter(|&i| matchers[i].wants(*kind))
                    .collect()
            })
            .collect();
        Engine { matchers, routes }
    }

    /// Runs the event through every matcher that wants its kind.
    pub fn observe(&self, event: &Event, sink: &mut dyn HitSink) {
        if let Some(route) = self.routes.get(event.kind.index()) {
            for &i in route {
                self.matchers[i].observe(event, sink);
            }
        }
    }

    pub fn matcher_names(&self) -> Vec<&'static str> {
        self.matchers.iter().map(|m| m.name()).collect()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("matchers", &self.matcher_names())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iz_model::{EventPolicy, Person, parse_event};

    struct Echo(EventKind);
    impl Matcher for Echo {
        fn name(&self) -> &'static str {
            "echo"
        }
        fn wants(&self, kind: EventKind) -> bool {
            kind == self.0
        }
        fn observe(&self, _event: &Event, sink: &mut dyn HitSink) {
            sink.hit(Hit {
                explanation: None,
                watch_id: self.0.index() as i64,
                matcher: "echo".into(),
                score: 1.0,
                matched: vec![],
            });
        }
    }

    fn event(kind: &str) -> Event {
        let now = chrono::Utc::now();
        let json = format!(
            r#"{{"id":"1","kind":"{kind}","source":"s","occurred_at":"{}"}}"#,
            now.to_rfc3339()
        );
        let e = parse_event(&json, now, &EventPolicy::default()).expect("valid");
        assert_eq!(e.subject, Person::default());
        e
    }

    #[test]
    fn each_event_reaches_only_the_matchers_that_want_its_kind() {
        let engine = Engine::new(vec![
            Box::new(Echo(EventKind::Ticket)),
            Box::new(Echo(EventKind::BorderCrossing)),
        ]);
        let mut hits = Vec::new();
        engine.observe(&event("ticket"), &mut hits);
        engine.observe(&event("hotel_registration"), &mut hits);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].watch_id, EventKind::Ticket.index() as i64);
    }
}
