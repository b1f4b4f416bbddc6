//! In-process timing for `bench/geo.sh`: `locate_timed ZONES.geojson POINTS.csv` prints the
//! seconds to build the index and to locate every point (one thread, then two), and how many
//! (point, zone) pairs were found. Reading the files is not timed.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(zones), Some(points)) = (args.get(1), args.get(2)) else {
        return Err("usage: locate_timed ZONES.geojson POINTS.csv".into());
    };
    let text = std::fs::read_to_string(zones)?;
    let csv = std::fs::read_to_string(points)?;
    let pts: Vec<(f64, f64)> = csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',').skip(1);
            Some((f.next()?.parse().ok()?, f.next()?.parse().ok()?))
        })
        .collect();
    let t = Instant::now();
    let (set, _) = iz_geo::ZoneSet::from_geojson(&text)?;
    let build = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let one = set.locate_many(&pts);
    let locate1 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let two = set.locate_many_threads(&pts, 2);
    let locate2 = t.elapsed().as_secs_f64();
    let pairs: usize = (0..one.len()).map(|i| one.zones_of(i).len()).sum();
    if one != two {
        return Err("threads disagree".into());
    }
    println!(
        "{{\"points\":{},\"build_s\":{build:.4},\"locate_1t_s\":{locate1:.4},\"locate_2t_s\":{locate2:.4},\"pairs\":{pairs}}}",
        pts.len()
    );
    Ok(())
}
