//! When a restriction is in force: curfew windows on the local clock, and intervals (a banned
//! event, a travel permission) on the UTC one.

use chrono::{DateTime, Datelike, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{OrderProblem, codes};

/// The time zone in which court decisions state curfews. All of Kazakhstan has been on UTC+5
/// since 1 March 2024; before that Almaty was on UTC+6. The tz database knows both, so a ping
/// from February 2024 is judged by the clock that was on the wall then.
pub const LOCAL_TIME: Tz = chrono_tz::Asia::Almaty;

/// The wall-clock time in Kazakhstan at an instant.
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    LOCAL_TIME.from_utc_datetime(&at.naive_utc()).naive_local()
}

/// Days of the week as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days(u8);

impl Days {
    pub const EVERY_DAY: Days = Days(0b111_1111);

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    fn parse(names: &[String]) -> Result<Self, String> {
        if names.is_empty() {
            return Ok(Days::EVERY_DAY);
        }
        let mut set = 0u8;
        for name in names {
            let day: Weekday = name
                .parse()
                .map_err(|_| format!("{name:?} is not a day of the week (mon … sun)"))?;
            set |= 1 << day.num_days_from_monday();
        }
        Ok(Days(set))
    }

    fn names(self) -> Vec<String> {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        (0..7)
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| NAMES[i].to_string())
            .collect()
    }
}

/// A window of the local day, e.g. 22:00–06:00 on weekdays. A window whose end is not after
/// its start crosses midnight and belongs to the day it starts on: Friday's 22:00–06:00 runs
/// into Saturday morning even when Saturday is not one of its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyWindow {
    pub days: Days,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// A daily window as written in an order: `{"days": ["mon", …], "start": "22:00", "end": "06:00"}`
/// (no days: every day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DailyWindowInput {
    #[serde(default)]
    pub days: Vec<String>,
    pub start: String,
    pub end: String,
}

impl DailyWindow {
    pub fn from_input(input: &DailyWindowInput, at: &str) -> Result<Self, OrderProblem> {
        let bad = |message: String| OrderProblem::new(at, codes::INVALID_WINDOW, message);
        let days = Days::parse(&input.days).map_err(bad)?;
        let time = |s: &str| {
            NaiveTime::parse_from_str(s, "%H:%M")
                .map_err(|_| bad(format!("{s:?} is not a time of day (HH:MM)")))
        };
        let (start, end) = (time(&input.start)?, time(&input.end)?);
        if start == end {
            return Err(bad(format!(
                "the window starts and ends at {}: it would be empty",
                input.start
            )));
        }
        Ok(Self { days, start, end })
    }

    pub fn to_input(&self) -> DailyWindowInput {
        DailyWindowInput {
            days: self.days.names(),
            start: self.start.format("%H:%M").to_string(),
            end: self.end.format("%H:%M").to_string(),
        }
    }

    /// Whether the window is open at this local time.
    pub fn contains(&self, local: NaiveDateTime) -> bool {
        let (day, time) = (local.weekday(), local.time());
        if self.start < self.end {
            self.days.contains(day) && self.start <= time && time < self.end
        } else {
            (self.days.contains(day) && time >= self.start)
                || (self.days.contains(day.pred()) && time < self.end)
        }
    }
}

/// A span of time in UTC, start included, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Interval {
    pub fn checked(self, at: &str) -> Result<Self, OrderProblem> {
        if self.until <= self.from {
            return Err(OrderProblem::new(
                at,
                codes::INVALID_WINDOW,
                format!("ends ({}) before it starts ({})", self.until, self.from),
            ));
        }
        Ok(self)
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(days: &[&str], start: &str, end: &str) -> DailyWindow {
        let input = DailyWindowInput {
            days: days.iter().map(|d| d.to_string()).collect(),
            start: start.into(),
            end: end.into(),
        };
        DailyWindow::from_input(&input, "curfews[0]").expect("a valid window")
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a local time")
    }

    #[test]
    fn a_window_across_midnight_belongs_to_the_day_it_starts() {
        // 2026-12-04 is a Friday.
        let weekdays = window(&["mon", "tue", "wed", "thu", "fri"], "22:00", "06:00");
        assert!(weekdays.contains(at("2026-12-04 23:30")));
        assert!(
            weekdays.contains(at("2026-12-05 05:59")),
            "Friday's night runs into Saturday"
        );
        assert!(
            !weekdays.contains(at("2026-12-05 06:00")),
            "the end is excluded"
        );
        assert!(
            !weekdays.contains(at("2026-12-05 23:30")),
            "Saturday has no window"
        );
        assert!(
            !weekdays.contains(at("2026-12-07 05:00")),
            "Sunday night has none either"
        );
        assert!(
            weekdays.contains(at("2026-12-07 22:00")),
            "the start is included"
        );
    }

    #[test]
    fn a_window_within_a_day() {
        let evening = window(&[], "18:00", "21:00");
        assert!(evening.contains(at("2026-12-06 18:00")));
        assert!(!evening.contains(at("2026-12-06 21:00")));
        assert!(!evening.contains(at("2026-12-06 03:00")));
    }

    #[test]
    fn local_time_follows_the_tz_database_across_the_2024_change() {
        let utc = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("rfc3339")
                .with_timezone(&Utc)
        };
        assert_eq!(
            local(utc("2024-02-10T17:00:00Z")),
            at("2024-02-10 23:00"),
            "UTC+6 then"
        );
        assert_eq!(
            local(utc("2024-06-10T17:00:00Z")),
            at("2024-06-10 22:00"),
            "UTC+5 since"
        );
    }

    #[test]
    fn windows_that_cannot_be_read_are_refused_with_the_reason() {
        let input = |days: &[&str], start: &str, end: &str| DailyWindowInput {
            days: days.iter().map(|d| d.to_string()).collect(),
            start: start.into(),
            end: end.into(),
        };
        for (bad, says) in [
            (
                input(&["someday"], "22:00", "06:00"),
                "not a day of the week",
            ),
            (input(&[], "25:00", "06:00"), "not a time of day"),
            (input(&[], "22:00", "22:00"), "would be empty"),
        ] {
            let problem = DailyWindow::from_input(&bad, "curfews[0]").expect_err("refused");
            assert_eq!(problem.code, codes::INVALID_WINDOW);
            assert!(problem.message.contains(says), "{problem}");
        }
        let backwards = Interval {
            from: Utc
                .with_ymd_and_hms(2026, 12, 2, 10, 0, 0)
                .single()
                .expect("a time"),
            until: Utc
                .with_ymd_and_hms(2026, 12, 2, 9, 0, 0)
                .single()
                .expect("a time"),
        };
        assert!(backwards.checked("banned_events[0]").is_err());
    }
}
