//! Camera traffic: number-plate reads on the roads and face sightings at stations and airports.
//!
//! Cameras report what their analytics saw, never an image: a plate read (text, confidence,
//! sometimes only part of the plate) or a face template (an L2-normalised embedding). A small
//! share of the wanted persons has a wanted vehicle ([`VehicleSpec`], its own watch entry tied
//! to the person's) and a small share has enrolled face templates; a configured share of camera
//! events belongs to them, the rest to passers-by.
//!
//! Faces are simulated the way embedding models behave: each person has an *identity* vector
//! (seeded Gaussian, normalised), and every photograph of them — an enrolment or a camera frame
//! — is that vector plus noise of its own, normalised. Two frames of one person then have a
//! cosine similarity of about 1 / sqrt((1 + σ₁²)(1 + σ₂²)) (0.55 to 0.9 for the noise used
//! here), two different people about 0 ± 1/sqrt(dimension). Camera frames vary in quality, so
//! some sightings of wanted persons fall below a cautious threshold, as they do in life.

use iz_model::{EventInput, FaceReading, Place, PlateReading, REGIONS};

use crate::Inner;
use crate::places::{PlaceKind, e4_to_f64};
use crate::rng::Rng;
use crate::stream::StreamConfig;

const CAMERAS: u64 = 0x6361_6d73;
const FACE: u64 = 0x6661_6365;
const STRANGER: u64 = 0x7374_7267;
const VEHICLE: u64 = 0x7665_6869;

/// The 2012 plate region code (01–20) of each region, in the order of [`REGIONS`].
const PLATE_CODES: [u8; 20] = [
    18, 3, 4, 5, 6, 7, 8, 19, 9, 10, 11, 12, 14, 15, 13, 20, 16, 1, 2, 17,
];

/// Letters as they appear on plates (I, O and Q are left out: too like 1 and 0).
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

const DESCRIPTIONS: [&str; 8] = [
    "Toyota Camry, white",
    "Lada Granta, grey",
    "Hyundai Accent, silver",
    "Chevrolet Cobalt, white",
    "Toyota Land Cruiser Prado, black",
    "Kia Rio, blue",
    "Volkswagen Polo, red",
    "Lexus RX, black",
];

/// How much a frame differs from the person's identity, as the norm of the noise added:
/// enrolment photographs are good, camera frames anything from good to poor.
const ENROLMENT_NOISE: f64 = 0.35;
const SIGHTING_NOISE: (f64, f64) = (0.3, 1.4);

/// A wanted vehicle, drawn for the wanted person `wanted` (an index into the scenario's specs).
#[derive(Debug, Clone)]
pub(crate) struct VehicleSpec {
    pub wanted: u32,
    pub plate: String,
    pub description: &'static str,
}

/// A 2012-format plate of a private car or an organisation, registered in `region` (an index
/// into [`REGIONS`]): `123 ABC 02`, `777 AB 17`.
pub(crate) fn draw_plate(r: &mut Rng, region: usize) -> String {
    let digits = r.range(1, 999);
    let count = if r.chance(0.8) { 3 } else { 2 };
    loop {
        let letters: String = (0..count)
            .map(|_| char::from(PLATE_LETTERS[r.index(PLATE_LETTERS.len())]))
            .collect();
        // Two letters KP are a police car's.
        if letters != "KP" {
            let code = PLATE_CODES[region % PLATE_CODES.len()];
            return format!("{digits:03} {letters} {code:02}");
        }
    }
}

/// The wanted vehicles of the scenario: for about `share` of the specs, one vehicle each.
pub(crate) fn draw_vehicles(seed: u64, owners: &[(u32, u8)], share: f64) -> Vec<VehicleSpec> {
    let mut r = Rng::new(&[seed, VEHICLE]);
    let mut seen = std::collections::HashSet::new();
    let mut vehicles = Vec::new();
    for &(wanted, region) in owners {
        if !r.chance(share) {
            continue;
        }
        let mut plate = draw_plate(&mut r, usize::from(region));
        while !seen.insert(compact(&plate)) {
            plate = draw_plate(&mut r, usize::from(region));
        }
        vehicles.push(VehicleSpec {
            wanted,
            plate,
            description: DESCRIPTIONS[r.index(DESCRIPTIONS.len())],
        });
    }
    vehicles
}

/// A plate without its spaces, the way the scenario compares plates.
pub(crate) fn compact(plate: &str) -> String {
    plate.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A standard normal draw (Box–Muller).
fn gaussian(r: &mut Rng) -> f64 {
    let u = 1.0 - r.unit();
    let v = r.unit();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn normalised(v: Vec<f64>) -> Vec<f32> {
    let norm = v
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    v.into_iter().map(|x| (x / norm) as f32).collect()
}

/// Person `k`'s identity plus noise of norm about `noise` drawn from `frame`, normalised.
fn photograph(seed: u64, k: u64, frame: &[u64], noise: f64, dimension: usize) -> Vec<f32> {
    let mut identity = Rng::new(&[seed, FACE, k]);
    let mut keys = vec![seed, FACE, k];
    keys.extend_from_slice(frame);
    let mut jitter = Rng::new(&keys);
    let scale = noise / (dimension.max(1) as f64).sqrt();
    normalised(
        (0..dimension)
            .map(|_| {
                let id = gaussian(&mut identity) / (dimension.max(1) as f64).sqrt();
                id + scale * gaussian(&mut jitter)
            })
            .collect(),
    )
}

/// The templates enrolled for person `k`: three photographs from the case file.
pub(crate) fn enrolled_templates(seed: u64, k: u64, dimension: usize) -> Vec<Vec<f32>> {
    (0..3)
        .map(|i| photograph(seed, k, &[u64::MAX - i], ENROLMENT_NOISE, dimension))
        .collect()
}

/// What a camera event is about, for [`crate::GeneratedEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A passer-by or a car that is not wanted.
    Nobody,
    /// A wanted vehicle: an index into the scenario's vehicles.
    Vehicle(u32),
    /// A wanted person with enrolled templates: an index into the specs.
    Person(u32),
}

/// One camera event, already in its input form (camera events are a small share of the stream,
/// so they are written with serde rather than by hand).
#[derive(Debug, Clone)]
pub(crate) struct CameraEvent {
    pub input: EventInput,
    pub subject: Subject,
}

/// The live wanted vehicles and the live wanted persons with faces, for drawing hits.
#[derive(Debug, Clone, Default)]
pub(crate) struct Targets {
    pub vehicles: Vec<u32>,
    pub faces: Vec<u32>,
}

/// Event `n` if it is a camera's, else `None` (then the stream draws a registry event).
pub(crate) fn camera_event(
    inner: &Inner,
    config: &StreamConfig,
    targets: &Targets,
    n: u64,
    t_us: i64,
) -> Option<CameraEvent> {
    if config.plate_share <= 0.0 && config.face_share <= 0.0 {
        return None;
    }
    let mut r = Rng::new(&[inner.config.seed, CAMERAS, config.run, n]);
    let u = r.unit();
    let occurred_at = chrono::DateTime::from_timestamp_micros(t_us)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if u < config.plate_share {
        Some(plate_read(inner, config, targets, &mut r, n, occurred_at))
    } else if u < config.plate_share + config.face_share {
        Some(face_sighting(
            inner,
            config,
            targets,
            &mut r,
            n,
            occurred_at,
        ))
    } else {
        None
    }
}

/// A camera post: a place of `kind` in `region`, else anywhere.
fn post(inner: &Inner, r: &mut Rng, kind: PlaceKind, region: usize) -> usize {
    let local = inner.places.in_region(kind, region);
    let list = if local.is_empty() {
        inner.places.of_kind(kind)
    } else {
        local
    };
    usize::from(list[r.index(list.len())])
}

fn plate_read(
    inner: &Inner,
    config: &StreamConfig,
    targets: &Targets,
    r: &mut Rng,
    n: u64,
    occurred_at: String,
) -> CameraEvent {
    let wanted = (r.chance(config.camera_hit_share) && !targets.vehicles.is_empty())
        .then(|| targets.vehicles[r.index(targets.vehicles.len())]);
    let region = match wanted {
        // Wanted cars are mostly seen near home; any car anywhere.
        Some(v) => {
            let owner = inner.vehicles[v as usize].wanted as usize;
            if r.chance(0.7) {
                usize::from(inner.wanted[owner].region)
            } else {
                r.index(REGIONS.len())
            }
        }
        None => r.index(REGIONS.len()),
    };
    let plate = match wanted {
        Some(v) => inner.vehicles[v as usize].plate.clone(),
        None => loop {
            let registered = if r.chance(0.8) { region } else { r.index(20) };
            let plate = draw_plate(r, registered);
            if !inner.wanted_plates.contains(&compact(&plate)) {
                break plate;
            }
        },
    };
    // What the camera made of it: usually right, sometimes an OCR confusion, sometimes only
    // part of the plate (dirt, a tow bar, the edge of the frame).
    let mut chars: Vec<char> = plate.chars().collect();
    let mut confidence = 0.85 + 0.14 * r.unit();
    let mut partial = false;
    match r.weighted(&[0.7, 0.22, 0.08]) {
        1 => {
            let positions: Vec<usize> = (0..chars.len())
                .filter(|&i| confusion(chars[i]).is_some())
                .collect();
            if !positions.is_empty() {
                let i = positions[r.index(positions.len())];
                chars[i] = confusion(chars[i]).unwrap_or(chars[i]);
                confidence -= 0.15;
            }
        }
        2 => {
            let cut = 1 + r.index(2);
            chars.truncate(chars.len().saturating_sub(cut));
            partial = true;
            confidence -= 0.1;
        }
        _ => {}
    }
    let text: String = chars.into_iter().collect::<String>().trim().to_string();
    let i = post(inner, r, PlaceKind::Con, region);
    let (lat, lon) = inner.places.e4[i];
    // A road camera a few kilometres out of town.
    let (lat, lon) = (
        e4_to_f64(lat) + r.range(-300, 300) as f64 / 10_000.0,
        e4_to_f64(lon) + r.range(-400, 400) as f64 / 10_000.0,
    );
    let camera = format!(
        "ANPR-{:02}-{:03}",
        PLATE_CODES[region % 20],
        1 + (i * 7 + r.index(5)) % 400
    );
    let id = format!("anpr-{}-{n}", config.run);
    CameraEvent {
        input: EventInput {
            id: Some(id.clone()),
            kind: Some("plate_read".into()),
            source: Some("anpr".into()),
            occurred_at: Some(occurred_at),
            place: Some(Place {
                region: Some(inner.regions[region]),
                lat: Some((lat * 10_000.0).round() / 10_000.0),
                lon: Some((lon * 10_000.0).round() / 10_000.0),
                office: None,
                address: None,
            }),
            subject: None,
            plate: Some(PlateReading {
                camera: camera.clone(),
                plate: text,
                confidence: ((confidence * 100.0).round() / 100.0) as f32,
                partial,
                image_ref: Some(format!("anpr://{camera}/{id}.jpg")),
            }),
            face: None,
            payload: None,
        },
        subject: wanted.map_or(Subject::Nobody, Subject::Vehicle),
    }
}

/// The look-alike a plate reader is known to mistake a character for.
fn confusion(c: char) -> Option<char> {
    Some(match c {
        '0' => 'O',
        'D' => '0',
        '1' => 'I',
        '7' => '1',
        '8' => 'B',
        'B' => '8',
        '5' => 'S',
        'S' => '5',
        '2' => 'Z',
        'Z' => '2',
        '6' => 'G',
        'G' => '6',
        _ => return None,
    })
}

fn face_sighting(
    inner: &Inner,
    config: &StreamConfig,
    targets: &Targets,
    r: &mut Rng,
    n: u64,
    occurred_at: String,
) -> CameraEvent {
    let wanted = (r.chance(config.camera_hit_share) && !targets.faces.is_empty())
        .then(|| targets.faces[r.index(targets.faces.len())]);
    let dimension = inner.config.face_dimension;
    let template = match wanted {
        Some(w) => {
            let (lo, hi) = SIGHTING_NOISE;
            let noise = lo + (hi - lo) * r.unit();
            photograph(
                inner.config.seed,
                inner.wanted[w as usize].k,
                &[config.run, n],
                noise,
                dimension,
            )
        }
        None => {
            let mut s = Rng::new(&[inner.config.seed, STRANGER, config.run, n]);
            normalised((0..dimension).map(|_| gaussian(&mut s)).collect())
        }
    };
    let region = match wanted {
        Some(w) if r.chance(0.6) => usize::from(inner.wanted[w as usize].region),
        _ => r.index(REGIONS.len()),
    };
    let (kind, group) = if r.chance(0.3) {
        (PlaceKind::Airport, "airport")
    } else {
        (PlaceKind::Station, "station")
    };
    let i = post(inner, r, kind, region);
    let (lat, lon) = inner.places.e4[i];
    let camera = format!(
        "CAM-{}-{:02}",
        inner.places.info[i]
            .iata()
            .map_or_else(|| format!("ST{i:03}"), str::to_string),
        1 + r.index(24)
    );
    let id = format!("cams-{}-{n}", config.run);
    CameraEvent {
        input: EventInput {
            id: Some(id.clone()),
            kind: Some("face_sighting".into()),
            source: Some("cams".into()),
            occurred_at: Some(occurred_at),
            place: Some(Place {
                region: Some(inner.regions[usize::from(inner.places.region_index[i])]),
                lat: Some(e4_to_f64(lat)),
                lon: Some(e4_to_f64(lon)),
                office: Some(inner.places.info[i].name.to_string()),
                address: None,
            }),
            subject: None,
            plate: None,
            face: Some(FaceReading {
                camera: camera.clone(),
                camera_group: Some(group.to_string()),
                template,
                image_ref: Some(format!("vms://{camera}/{id}")),
            }),
            payload: None,
        },
        subject: wanted.map_or(Subject::Nobody, Subject::Person),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(a: &[f32], b: &[f32]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| f64::from(*x) * f64::from(*y))
            .sum()
    }

    #[test]
    fn photographs_of_one_person_are_alike_and_of_two_people_are_not() {
        let enrolled = enrolled_templates(7, 1234, 512);
        assert_eq!(enrolled.len(), 3);
        for t in &enrolled {
            let norm = t.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>();
            assert!((norm - 1.0).abs() < 1e-4, "norm² {norm}");
        }
        let good = photograph(7, 1234, &[1, 1], 0.3, 512);
        let poor = photograph(7, 1234, &[1, 2], 1.1, 512);
        let other = photograph(7, 999, &[1, 1], 0.3, 512);
        assert!(cosine(&good, &enrolled[0]) > 0.85);
        assert!((0.5..0.75).contains(&cosine(&poor, &enrolled[0])));
        assert!(cosine(&other, &enrolled[0]).abs() < 0.2);
    }

    #[test]
    fn plates_are_2012_format_with_the_region_code() {
        let mut r = Rng::new(&[1]);
        for _ in 0..200 {
            let plate = draw_plate(&mut r, 18);
            let parts: Vec<&str> = plate.split(' ').collect();
            assert_eq!(parts.len(), 3, "{plate}");
            assert!(parts[0].len() == 3 && parts[0].bytes().all(|b| b.is_ascii_digit()));
            assert!((2..=3).contains(&parts[1].len()) && parts[1] != "KP");
            assert_eq!(parts[2], "02", "Almaty's code");
        }
    }
}
