use iz_geo::{Location, Point, PreparedPolygon, Shape, Zone, ZoneSet};
use proptest::prelude::*;

/// A star-shaped polygon around (cx, cy): vertex k in the k-th of n equal angular sectors, so
/// every gap between neighbours is under half a turn and the ring never crosses itself.
fn star() -> impl Strategy<Value = Vec<[f64; 2]>> {
    (4usize..40, -10.0f64..10.0, -10.0f64..10.0).prop_flat_map(|(n, cx, cy)| {
        (prop::collection::vec((0.0f64..0.9, 0.1f64..5.0), n)).prop_map(move |v| {
            v.iter()
                .enumerate()
                .map(|(k, &(t, r))| {
                    let a = (k as f64 + t) / n as f64 * std::f64::consts::TAU;
                    [cx + r * a.cos(), cy + r * a.sin()]
                })
                .collect()
        })
    })
}

proptest! {
    #[test]
    fn grid_agrees_with_ray_cast(ring in star(), pts in prop::collection::vec((-16.0f64..16.0, -16.0f64..16.0), 200)) {
        prop_assume!(ring.len() >= 3);
        let p = PreparedPolygon::new(std::slice::from_ref(&ring), 2.0);
        for (x, y) in pts {
            prop_assert_eq!(p.locate(x, y), p.ray_cast([x, y]), "at ({}, {})", x, y);
        }
        // Vertices and edge midpoints of axis-aligned edges are on the boundary.
        for v in &ring {
            prop_assert_eq!(p.locate(v[0], v[1]), Location::Boundary);
        }
    }

    #[test]
    fn square_interior_and_exterior(x0 in -170.0f64..170.0, y0 in -80.0f64..80.0, s in 0.001f64..5.0, u in -1.0f64..2.0, v in -1.0f64..2.0) {
        let ring = vec![[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s]];
        let p = PreparedPolygon::new(&[ring], 2.0);
        let (x, y) = (x0 + u * s, y0 + v * s);
        let strictly_in = x > x0 && x < x0 + s && y > y0 && y < y0 + s;
        let strictly_out = x < x0 || x > x0 + s || y < y0 || y > y0 + s;
        let got = p.locate(x, y);
        if strictly_in { prop_assert_eq!(got, Location::Inside); }
        if strictly_out { prop_assert_eq!(got, Location::Outside); }
        if !strictly_in && !strictly_out { prop_assert_eq!(got, Location::Boundary); }
    }

    #[test]
    fn repaired_ring_equals_closed_ring(ring in star(), pts in prop::collection::vec((-16.0f64..16.0, -16.0f64..16.0), 50)) {
        prop_assume!(ring.len() >= 3);
        let shift = |v: &[f64; 2]| [v[0] + 70.0, v[1] + 45.0];
        let open: Vec<_> = ring.iter().map(shift).collect();
        let mut closed = open.clone();
        closed.push(open[0]);
        let doc = |r: &Vec<[f64; 2]>| format!(r#"{{"type":"Feature","properties":{{"id":1}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#, serde_json_ring(r));
        let (a, notes_a) = ZoneSet::from_geojson(&doc(&open)).expect("repaired");
        let (b, notes_b) = ZoneSet::from_geojson(&doc(&closed)).expect("valid");
        prop_assert_eq!(notes_a.len(), 1);
        prop_assert!(notes_b.is_empty());
        for (x, y) in pts {
            let p = Point::new(y + 45.0, x + 70.0).expect("p");
            prop_assert_eq!(a.locate(p), b.locate(p));
        }
    }

    /// The zones' grid answers most cells itself (whole cells inside, a cell's few edges); a
    /// batch is visited in cell order. Both must agree with each polygon's exact ray cast, for
    /// overlapping zones of very different sizes and for points on their vertices.
    #[test]
    fn zone_grid_agrees_with_ray_cast(
        rings in prop::collection::vec((star(), 0.02f64..1.0), 1..8),
        pts in prop::collection::vec((-16.0f64..16.0, -16.0f64..16.0), 300),
    ) {
        let polys: Vec<PreparedPolygon> = rings
            .iter()
            .map(|(r, s)| PreparedPolygon::new(&[r.iter().map(|v| [v[0] * s, v[1] * s]).collect()], 2.0))
            .collect();
        let zones = polys
            .iter()
            .enumerate()
            .map(|(i, p)| Zone { id: i.to_string(), shape: Shape::Area(vec![p.clone()]) })
            .collect();
        let set = ZoneSet::new(zones);
        let mut probes: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| (y, x)).collect();
        for (r, s) in &rings {
            probes.extend(r.iter().map(|v| (v[1] * s, v[0] * s)));
        }
        let want = |lat: f64, lon: f64| -> Vec<u32> {
            (0..polys.len() as u32)
                .filter(|&k| polys[k as usize].ray_cast([lon, lat]) != Location::Outside)
                .collect()
        };
        let batch = set.locate_many(&probes);
        // Enough copies that the batch takes the cell-order path (a grid of 4096-odd cells here).
        let many: Vec<(f64, f64)> = probes.iter().cycle().take(8192).copied().collect();
        let sorted = set.locate_many(&many);
        for (i, &(lat, lon)) in probes.iter().enumerate() {
            let w = want(lat, lon);
            prop_assert_eq!(batch.zones_of(i), &w[..], "at ({}, {})", lon, lat);
            prop_assert_eq!(sorted.zones_of(i), &w[..], "sorted, at ({}, {})", lon, lat);
        }
    }

    #[test]
    fn classify_by_the_box_shortcut_agrees_with_contains_and_distance(
        ring in star(),
        pts in prop::collection::vec((-16.0f64..16.0, -16.0f64..16.0, 0.0f64..400_000.0), 100),
    ) {
        prop_assume!(ring.len() >= 3);
        let zone = Zone { id: "z".into(), shape: Shape::Area(vec![PreparedPolygon::new(&[ring], 2.0)]) };
        for (lon, lat, acc) in pts {
            let p = Point::new(lat, lon).expect("on Earth");
            let d = zone.distance_to_boundary_m(p);
            let slow = if d < acc || (d == 0.0 && acc > 0.0) {
                iz_geo::Containment::Uncertain
            } else if zone.contains(p) {
                iz_geo::Containment::Inside
            } else {
                iz_geo::Containment::Outside
            };
            prop_assert_eq!(zone.classify(p, acc), slow, "at ({}, {}) ± {} m", lat, lon, acc);
        }
    }

    #[test]
    fn star_polygons_are_valid(ring in star()) {
        prop_assume!(ring.len() >= 3);
        let p = PreparedPolygon::new(&[ring], 2.0);
        prop_assert!(p.self_intersections().iter().all(|c| !c.crossing));
    }
}

fn serde_json_ring(r: &[[f64; 2]]) -> String {
    let pts: Vec<String> = r
        .iter()
        .map(|p| format!("[{:?},{:?}]", p[0], p[1]))
        .collect();
    format!("[{}]", pts.join(","))
}
