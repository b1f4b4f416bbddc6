//! Zones from GeoJSON: a FeatureCollection, one Feature, or a bare Polygon / MultiPolygon;
//! every problem collected with its feature index, repairs noted.

use std::collections::HashMap;

use serde_json::Value;

use crate::polygon::PreparedPolygon;
use crate::{Circle, GeoError, Problem, Shape, Zone};

/// What loading found: the zones and the repairs or accepted oddities, each with its reason.
#[derive(Debug)]
pub struct Loaded {
    pub zones: Vec<Zone>,
    /// Repairs (`ring_closed`) and accepted oddities (`ring_touch`), for a person to see.
    pub notes: Vec<Problem>,
}

/// How fine the per-polygon grid is: cells per edge.
pub(crate) const CELLS_PER_EDGE: f64 = 2.0;

/// A polygon with this many edges or fewer gets a grid of one cell: the zones' grid answers
/// for it (see the crate docs), and its own grid would only serve the rare cell the zones'
/// grid hands over, or [`crate::Zone::contains`] — a count over a few dozen edges either way.
/// Building a finer grid that is hardly read was a quarter of loading ten thousand stars.
const FEW_EDGES: usize = 64;

pub(crate) fn load(text: &str) -> Result<Loaded, GeoError> {
    let root: Value = serde_json::from_str(text)?;
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let features: Vec<&Value> = match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match root.get("features").and_then(Value::as_array) {
            Some(f) => f.iter().collect(),
            None => {
                return Err(GeoError::Invalid(vec![Problem::new(
                    None,
                    "invalid_geojson",
                    "a FeatureCollection needs a `features` array",
                )]));
            }
        },
        Some("Feature") | Some("Polygon") | Some("MultiPolygon") => vec![&root],
        other => {
            return Err(GeoError::Invalid(vec![Problem::new(
                None,
                "invalid_geojson",
                format!(
                    "expected a FeatureCollection, Feature, Polygon or MultiPolygon, found type {other:?}"
                ),
            )]));
        }
    };
    let mut zones = Vec::with_capacity(features.len());
    let mut ids: HashMap<String, usize> = HashMap::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let before = problems.len();
        let (geometry, props) = if f.get("type").and_then(Value::as_str) == Some("Feature") {
            (
                f.get("geometry").unwrap_or(&Value::Null),
                f.get("properties"),
            )
        } else {
            (*f, None)
        };
        let id = match props.and_then(|p| p.get("id")).or_else(|| f.get("id")) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ if features.len() == 1 && props.is_none() => Some("0".to_string()),
            _ => {
                problems.push(Problem::new(
                    Some(i),
                    "missing_id",
                    "the feature needs an `id` property (a string or a number) to name its zone",
                ));
                None
            }
        };
        if let Some(id) = &id
            && let Some(first) = ids.insert(id.clone(), i)
        {
            problems.push(Problem::new(
                Some(i),
                "duplicate_id",
                format!("id {id:?} is already the id of feature {first}"),
            ));
        }
        let shape = shape(i, geometry, props, &mut problems, &mut notes);
        if let (Some(id), Some(shape), true) = (id, shape, problems.len() == before) {
            zones.push(Zone { id, shape });
        }
    }
    if problems.is_empty() {
        Ok(Loaded { zones, notes })
    } else {
        Err(GeoError::Invalid(problems))
    }
}

fn shape(
    i: usize,
    g: &Value,
    props: Option<&Value>,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<Problem>,
) -> Option<Shape> {
    let kind = g.get("type").and_then(Value::as_str);
    let coords = g.get("coordinates");
    let polys: Vec<&Value> = match (kind, coords) {
        (Some("Polygon"), Some(c)) => vec![c],
        (Some("MultiPolygon"), Some(Value::Array(ps))) => ps.iter().collect(),
        (Some("Point"), Some(c)) => {
            let r = props
                .and_then(|p| p.get("radius_m"))
                .and_then(Value::as_f64);
            let centre = position(i, c, || "the point".to_string(), problems)?;
            return match r {
                Some(r) if r.is_finite() && r > 0.0 => Some(Shape::Circle(Circle {
                    lat: centre[1],
                    lon: centre[0],
                    radius_m: r,
                })),
                _ => {
                    problems.push(Problem::new(
                        Some(i),
                        "invalid_radius",
                        "a Point zone is a circle and needs a `radius_m` property above 0",
                    ));
                    None
                }
            };
        }
        (Some(k), _) if !matches!(k, "Polygon" | "MultiPolygon") => {
            problems.push(Problem::new(
                Some(i),
                "unsupported_geometry",
                format!("geometry type {k} is not a zone; use Polygon, MultiPolygon or a Point with radius_m"),
            ));
            return None;
        }
        _ => {
            problems.push(Problem::new(
                Some(i),
                "invalid_geojson",
                "the geometry needs a `type` and `coordinates` (an array)",
            ));
            return None;
        }
    };
    let before = problems.len();
    let mut parts = Vec::with_capacity(polys.len());
    for (pi, p) in polys.iter().enumerate() {
        let Some(rings) = p.as_array() else {
            problems.push(Problem::new(
                Some(i),
                "invalid_geojson",
                format!("polygon {pi} is not an array of rings"),
            ));
            continue;
        };
        if rings.is_empty() {
            problems.push(Problem::new(
                Some(i),
                "invalid_geojson",
                format!("polygon {pi} has no rings"),
            ));
            continue;
        }
        let mut out = Vec::with_capacity(rings.len());
        for (ri, r) in rings.iter().enumerate() {
            let what = format!("polygon {pi} ring {ri}");
            if let Some(ring) = ring(i, r, &what, problems, notes) {
                out.push(ring);
            }
        }
        if out.len() == rings.len() {
            let edges: usize = out.iter().map(Vec::len).sum();
            let fineness = if edges <= FEW_EDGES {
                0.0
            } else {
                CELLS_PER_EDGE
            };
            let poly = PreparedPolygon::new(&out, fineness);
            let mut touched: Vec<[f64; 2]> = Vec::new();
            for c in poly.self_intersections() {
                if !c.crossing {
                    if touched.contains(&c.at) {
                        continue;
                    }
                    touched.push(c.at);
                }
                let name = |(r, e): (usize, usize)| format!("ring {r} segment {e}");
                let msg = format!(
                    "polygon {pi}: {} and {} {} at ({:.7}, {:.7}) [lon, lat]",
                    name(c.a),
                    name(c.b),
                    if c.crossing { "cross" } else { "touch" },
                    c.at[0],
                    c.at[1]
                );
                if c.crossing {
                    problems.push(Problem::new(Some(i), "self_intersection", msg));
                } else {
                    notes.push(Problem::new(
                        Some(i),
                        "ring_touch",
                        format!("{msg}; accepted (the rings do not cross)"),
                    ));
                }
            }
            parts.push(poly);
        }
    }
    if parts.is_empty() && problems.len() == before {
        problems.push(Problem::new(
            Some(i),
            "invalid_geojson",
            "the MultiPolygon has no polygons",
        ));
    }
    (problems.len() == before).then_some(Shape::Area(parts))
}

/// A `[lon, lat]` position; `what` names it in a problem (only then: a file has many).
fn position(
    i: usize,
    v: &Value,
    what: impl Fn() -> String,
    problems: &mut Vec<Problem>,
) -> Option<[f64; 2]> {
    let a = v.as_array().filter(|a| a.len() >= 2);
    let (Some(x), Some(y)) = (a.and_then(|a| a[0].as_f64()), a.and_then(|a| a[1].as_f64())) else {
        problems.push(Problem::new(
            Some(i),
            "invalid_coordinate",
            format!(
                "{}: a position must be [lon, lat] (or [lon, lat, alt]) numbers, found {v}",
                what()
            ),
        ));
        return None;
    };
    if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
        problems.push(Problem::new(
            Some(i),
            "invalid_coordinate",
            format!(
                "{}: [{x}, {y}] is not on Earth (longitude −180..180, latitude −90..90; GeoJSON is [lon, lat])",
                what()
            ),
        ));
        return None;
    }
    Some([x, y])
}

fn ring(
    i: usize,
    v: &Value,
    what: &str,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<Problem>,
) -> Option<Vec<[f64; 2]>> {
    let Some(arr) = v.as_array() else {
        problems.push(Problem::new(
            Some(i),
            "invalid_geojson",
            format!("{what} is not an array of positions"),
        ));
        return None;
    };
    let mut pts = Vec::with_capacity(arr.len());
    let mut bad = false;
    for (k, p) in arr.iter().enumerate() {
        match position(i, p, || format!("{what} position {k}"), problems) {
            Some(p) => pts.push(p),
            None => bad = true,
        }
    }
    if bad {
        return None;
    }
    let closed = pts.len() >= 2 && pts.first() == pts.last();
    if !closed && let Some(&first) = pts.first() {
        pts.push(first);
    }
    if pts.len() < 4 {
        problems.push(Problem::new(
            Some(i),
            "ring_too_short",
            format!(
                "{what} has {} positions; a ring needs at least 4 (the last equal to the first)",
                arr.len()
            ),
        ));
        return None;
    }
    if !closed {
        notes.push(Problem::new(
            Some(i),
            "ring_closed",
            format!("{what} was not closed (its last position differs from its first); repaired by closing it"),
        ));
    }
    pts.pop();
    pts.dedup();
    while pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    if pts.len() < 3 {
        problems.push(Problem::new(
            Some(i),
            "ring_too_short",
            format!("{what} has fewer than 3 distinct positions; it encloses nothing"),
        ));
        return None;
    }
    Some(pts)
}
