use std::collections::BTreeMap;

use iz_faces::{Match, ThresholdSource, Thresholds, ThresholdsConfig};

fn m(person: u64, row: u32, score: f32) -> Match {
    Match {
        person,
        template_index: row % 2,
        row,
        score,
    }
}

fn config() -> Thresholds {
    ThresholdsConfig {
        default: 0.6,
        cameras: BTreeMap::from([("gate-1".into(), 0.8)]),
        groups: BTreeMap::from([("metro".into(), 0.5)]),
    }
    .build()
    .expect("valid")
}

#[test]
fn camera_beats_group_beats_default() {
    let t = config();
    assert_eq!(
        t.threshold_for("gate-1", Some("metro")),
        (
            0.8,
            ThresholdSource::Camera {
                camera: "gate-1".into()
            }
        )
    );
    assert_eq!(
        t.threshold_for("cam-9", Some("metro")),
        (
            0.5,
            ThresholdSource::Group {
                group: "metro".into()
            }
        )
    );
    assert_eq!(
        t.threshold_for("cam-9", Some("unknown")),
        (0.6, ThresholdSource::Default)
    );
    assert_eq!(
        t.threshold_for("cam-9", None),
        (0.6, ThresholdSource::Default)
    );
}

#[test]
fn below_threshold_is_no_hit() {
    let t = config();
    let scores = [m(1, 0, 0.7), m(2, 1, 0.3)];
    assert_eq!(t.decide("gate-1", None, &scores), None);
    assert!(t.decide("cam-9", None, &scores).is_some());
    assert_eq!(t.decide("cam-9", None, &[]), None);
}

#[test]
fn score_equal_to_threshold_is_a_hit() {
    let t = Thresholds::uniform(0.5).expect("valid");
    assert!(t.decide("c", None, &[m(1, 0, 0.5)]).is_some());
}

#[test]
fn hit_explains_itself() {
    let t = config();
    let scores = [m(2, 4, 0.55), m(1, 3, 0.9), m(1, 0, 0.85), m(3, 1, 0.6)];
    let hit = t.decide("cam-9", Some("metro"), &scores).expect("hit");
    assert_eq!((hit.person, hit.template_index, hit.score), (1, 1, 0.9));
    assert_eq!(hit.second_person, Some(3));
    assert!((hit.margin_to_second.unwrap_or(0.0) - 0.3).abs() < 1e-6);
    let json = serde_json::to_value(&hit).expect("serialise");
    assert_eq!(
        json["threshold_source"],
        serde_json::json!({"from": "group", "group": "metro"})
    );
    assert_eq!(json["person"], 1);
    assert_eq!(json["second_person"], 3);
}

#[test]
fn a_lone_person_has_no_margin() {
    let hit =
        Thresholds::uniform(0.1)
            .expect("valid")
            .decide("c", None, &[m(5, 0, 0.4), m(5, 1, 0.2)]);
    let hit = hit.expect("hit");
    assert_eq!((hit.margin_to_second, hit.second_person), (None, None));
    assert_eq!(hit.threshold_source, ThresholdSource::Default);
}

#[test]
fn config_refuses_unknown_fields_and_reports_every_bad_value() {
    let e = serde_json::from_str::<ThresholdsConfig>(r#"{"default":0.5,"camera":{}}"#);
    assert!(e.is_err());
    let cfg: ThresholdsConfig =
        serde_json::from_str(r#"{"default":2,"cameras":{"a":-3},"groups":{"g":0.4}}"#)
            .expect("parses");
    let problems = cfg.build().err().map(|e| e.problems).unwrap_or_default();
    assert_eq!(problems.len(), 2, "{problems:?}");
}
