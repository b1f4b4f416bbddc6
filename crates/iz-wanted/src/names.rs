//! Wanted persons found by name, where a trace carries no IIN: a hotel book filled in by hand,
//! a ticket bought with a foreign passport. [`NameMatcher`] indexes the names of live wanted
//! entries (every spelling, with the birth date and sex from the entry or its IIN) with
//! `iz-names`, and scores an event's names, birth date and sex against the few candidates the
//! index gives. A hit carries the alignment of name tokens for the operator to check.
//!
//! An event with an IIN is left to the exact matcher: the IIN says who the person is, and a
//! namesake with another IIN is another person. And a name is never enough on its own: the
//! trace must give a birth date that agrees with the entry's (equal, day and month swapped, or
//! a year apart), since a list of thousands shares its names with many passers-by. Both rules
//! also keep name scoring, which costs microseconds, off the bulk of the traffic.

use chrono::{DateTime, Utc};
use iz_match::{HitSink, Matcher};
use iz_model::{
    Event, EventKind, Hit, MatchedField, Person, Sex, WatchEntry, WatchId, WatchKind, WatchStatus,
};
use iz_names::{BirthDates, NameIndex};

pub const NAME_MATCHER: &str = "names";

/// The score a name match must reach by default.
pub const DEFAULT_NAME_THRESHOLD: f64 = iz_names::DEFAULT_THRESHOLD;

#[derive(Debug)]
struct Target {
    id: WatchId,
    expires_at: DateTime<Utc>,
}

/// Live wanted entries, indexed by the names they are known by.
pub struct NameMatcher {
    index: NameIndex,
    targets: Vec<Target>,
    threshold: f64,
}

impl std::fmt::Debug for NameMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameMatcher")
            .field("entries", &self.targets.len())
            .field("threshold", &self.threshold)
            .finish()
    }
}

/// The sex a person record states, else the one its IIN encodes.
fn sex_of(person: &Person) -> Option<Sex> {
    person.sex.or_else(|| person.iin.map(|iin| iin.sex()))
}

fn birth_of(person: &Person) -> Option<chrono::NaiveDate> {
    person
        .birth_date
        .or_else(|| person.iin.map(|iin| iin.birth_date()))
}

impl NameMatcher {
    pub fn build<'a>(entries: impl IntoIterator<Item = &'a WatchEntry>, threshold: f64) -> Self {
        let mut targets = Vec::new();
        let mut named = Vec::new();
        for entry in entries {
            if entry.kind != WatchKind::Wanted
                || entry.status != WatchStatus::Active
                || entry.person.names.is_empty()
            {
                continue;
            }
            named.push((
                targets.len() as u32,
                entry.person.names.as_slice(),
                birth_of(&entry.person),
                sex_of(&entry.person),
            ));
            targets.push(Target {
                id: entry.id,
                expires_at: entry.expires_at,
            });
        }
        NameMatcher {
            index: NameIndex::build(named),
            targets,
            threshold,
        }
    }

    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

impl Matcher for NameMatcher {
    fn name(&self) -> &'static str {
        NAME_MATCHER
    }

    fn wants(&self, kind: EventKind) -> bool {
        kind.carries_papers()
    }

    fn observe(&self, event: &Event, sink: &mut dyn HitSink) {
        let subject = &event.subject;
        // A name alone finds namesakes: a trace is compared only when it also gives a birth date.
        let Some(birth) = subject.birth_date else {
            return;
        };
        if subject.iin.is_some() || subject.names.is_empty() || self.targets.is_empty() {
            return;
        }
        let sex = subject.sex;
        // The best score per entry over the event's spellings, among the entries whose birth
        // dates agree (equal, day and month swapped, or a year apart): the index looks those up
        // by date, so this is the fast path as well as the rule.
        let mut best: Vec<(u32, iz_names::Score, &str)> = Vec::new();
        for written in &subject.names {
            let query = iz_names::Person::new(written, Some(birth), sex);
            let found = self
                .index
                .matches(&query, self.threshold, BirthDates::MustAgree);
            for (slot, score) in found {
                match best.iter_mut().find(|(s, _, _)| *s == slot) {
                    Some(found) if found.1.score >= score.score => {}
                    Some(found) => *found = (slot, score, written),
                    None => best.push((slot, score, written)),
                }
            }
        }
        for (slot, score, written) in best {
            if !iz_names::dates_agree(score.birth_date) {
                continue;
            }
            let target = &self.targets[slot as usize];
            if event.received_at >= target.expires_at {
                continue;
            }
            let mut how = format!("name {:.2}", score.name_score);
            if !matches!(score.birth_date, iz_names::DateEvidence::Unknown) {
                how.push_str(&format!(
                    ", birth date {}",
                    serde_json::to_value(score.birth_date)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                ));
            }
            sink.hit(Hit {
                watch_id: target.id,
                matcher: NAME_MATCHER.into(),
                score: score.score as f32,
                matched: vec![MatchedField {
                    field: "names".into(),
                    value: written.to_string(),
                    how,
                }],
                explanation: serde_json::to_value(&score).ok(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_entries::{entry, t};
    use iz_model::{EventPolicy, Iin, parse_event};

    fn wanted(id: WatchId, iin: &str, names: &[&str]) -> WatchEntry {
        WatchEntry {
            person: Person {
                iin: Some(Iin::parse(iin).expect("iin")),
                names: names.iter().map(|n| n.to_string()).collect(),
                ..Person::default()
            },
            ..entry(id, WatchKind::Wanted)
        }
    }

    fn hits(subject: serde_json::Value) -> Vec<Hit> {
        let json = serde_json::json!({
            "id": "h-1", "kind": "hotel_registration", "source": "hotels",
            "occurred_at": "2026-11-25T10:00:00Z", "subject": subject,
        });
        let event = parse_event(
            &json.to_string(),
            t("2026-11-25T10:00:01Z"),
            &EventPolicy::default(),
        )
        .expect("event");
        let entries = [
            // Born 1985-07-15, male (from the IIN).
            wanted(1, "850715300122", &["Жұмабаев Серік Қайратұлы"]),
            wanted(2, "920302400347", &["Қасымова Айгүл"]),
        ];
        let m = NameMatcher::build(&entries, DEFAULT_NAME_THRESHOLD);
        let mut found = Vec::new();
        m.observe(&event, &mut found);
        found
    }

    #[test]
    fn a_hand_written_latin_name_with_the_birth_date_finds_the_cyrillic_entry() {
        let found =
            hits(serde_json::json!({"names": ["ZHUMABAYEV SERIK"], "birth_date": "1985-07-15"}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].watch_id, 1);
        assert_eq!(found[0].matcher, NAME_MATCHER);
        assert!(
            found[0].matched[0].how.contains("birth date equal"),
            "{:?}",
            found[0].matched
        );
        let explained = found[0].explanation.as_ref().expect("explanation");
        assert!(
            explained["aligned"]
                .as_array()
                .is_some_and(|a| a.len() >= 2)
        );
    }

    #[test]
    fn an_event_with_an_iin_is_left_to_the_exact_matcher() {
        let found = hits(serde_json::json!({"iin": "900514300121", "names": ["Жұмабаев Серік"]}));
        assert!(found.is_empty());
    }

    #[test]
    fn a_name_without_a_birth_date_or_with_another_one_finds_nothing() {
        assert!(hits(serde_json::json!({"names": ["ZHUMABAYEV SERIK"]})).is_empty());
        let other_year =
            hits(serde_json::json!({"names": ["ZHUMABAYEV SERIK"], "birth_date": "1979-03-02"}));
        assert!(other_year.is_empty(), "{other_year:?}");
    }

    #[test]
    fn a_swapped_date_or_one_a_year_apart_agrees_and_the_same_year_alone_does_not() {
        let swapped =
            hits(serde_json::json!({"names": ["QASYMOVA AIGUL"], "birth_date": "1992-02-03"}));
        assert_eq!(swapped.len(), 1, "{swapped:?}");
        assert_eq!(swapped[0].watch_id, 2);
        let year_apart =
            hits(serde_json::json!({"names": ["ZHUMABAYEV SERIK"], "birth_date": "1986-07-15"}));
        assert_eq!(year_apart.len(), 1, "{year_apart:?}");
        assert_eq!(year_apart[0].watch_id, 1);
        // The full name scores enough with only the year in common, but a name is never enough:
        // the date must agree.
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let score = iz_names::score_value(
            &iz_names::Person::new("ZHUMABAYEV SERIK KAIRATULY", d("1985-01-01"), None),
            &iz_names::Person::new("Жұмабаев Серік Қайратұлы", d("1985-07-15"), Some(Sex::Male)),
        );
        assert!(score >= DEFAULT_NAME_THRESHOLD, "{score}");
        let same_year = hits(serde_json::json!({
            "names": ["ZHUMABAYEV SERIK KAIRATULY"], "birth_date": "1985-01-01"
        }));
        assert!(same_year.is_empty(), "{same_year:?}");
    }

    #[test]
    fn a_different_name_finds_nothing() {
        let found = hits(serde_json::json!({"names": ["Петров Иван"], "birth_date": "1985-07-15"}));
        assert!(found.is_empty(), "{found:?}");
    }
}
