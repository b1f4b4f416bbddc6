//! `iz geo locate` on a small file: two squares (one with a hole), a MultiPolygon, a bad row.

use std::process::Command;

const ZONES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"sq"},"geometry":{"type":"Polygon","coordinates":[[[70,45],[71,45],[71,46],[70,46],[70,45]]]}},
 {"type":"Feature","properties":{"id":"holed"},"geometry":{"type":"Polygon","coordinates":[[[70.5,45.5,0],[72.5,45.5,0],[72.5,47.5,0],[70.5,47.5,0],[70.5,45.5,0]],[[71.5,46.5,0],[72,46.5,0],[72,47,0],[71.5,47,0],[71.5,46.5,0]]]}},
 {"type":"Feature","properties":{"id":7},"geometry":{"type":"MultiPolygon","coordinates":[[[[80,50],[81,50],[81,51],[80,51],[80,50]]],[[[82,50],[83,50],[83,51],[82,51],[82,50]]]]}}
]}"#;

const POINTS: &str = "id,lat,lon\n\
a,45.2,70.2\n\
both,45.7,70.7\n\
hole,46.7,71.7\n\
ring,46.2,72.2\n\
m1,50.5,80.5\n\
m2,50.5,82.5\n\
gap,50.5,81.5\n\
bad,north,70\n\
far,91,70\n\
edge,45,70.5\n";

#[test]
fn locate_writes_zone_ids_and_names_bad_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zones = dir.path().join("zones.geojson");
    let points = dir.path().join("points.csv");
    std::fs::write(&zones, ZONES).expect("write");
    std::fs::write(&points, POINTS).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_iz"))
        .args(["geo", "locate", "--zones"])
        .arg(&zones)
        .arg("--points")
        .arg(&points)
        .output()
        .expect("iz runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "id,zone_ids\na,sq\nboth,sq;holed\nhole,\nring,holed\nm1,7\nm2,7\ngap,\nedge,sq\n"
    );
    assert!(
        stderr.contains("line 9: lat \"north\" is not a number"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 10: invalid_coordinate: latitude 91 is outside"),
        "{stderr}"
    );
}

#[test]
fn locate_refuses_an_invalid_zones_file_listing_every_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zones = dir.path().join("zones.geojson");
    std::fs::write(
        &zones,
        r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"bow"},"geometry":{"type":"Polygon","coordinates":[[[70,45],[72,47],[72,45],[70,47],[70,45]]]}},
 {"type":"Feature","properties":{"id":"bow"},"geometry":{"type":"Polygon","coordinates":[[[70,45],[200,45],[71,46],[70,45]]]}}]}"#,
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_iz"))
        .args(["geo", "locate", "--points", "-", "--zones"])
        .arg(&zones)
        .output()
        .expect("iz runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for code in [
        "feature 0: self_intersection",
        "feature 1: duplicate_id",
        "feature 1: invalid_coordinate",
    ] {
        assert!(stderr.contains(code), "{code} in {stderr}");
    }
    assert!(out.stdout.is_empty());
}
