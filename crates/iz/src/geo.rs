//! `iz geo locate`: which zones contain each position of a CSV file, with `iz-geo`.

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use iz_geo::ZoneSet;

#[derive(Subcommand)]
pub enum GeoCommand {
    /// Which zones contain each point: CSV `id,lat,lon` in, CSV `id,zone_ids` out.
    #[command(
        long_about = "Reads zones from GeoJSON (a FeatureCollection of Polygon / MultiPolygon features with holes, \
each named by its `id` property; a Point feature with a `radius_m` property is a circle) and points from CSV with a \
header naming `id`, `lat` and `lon` (any order, more columns ignored). Writes `id,zone_ids` to standard output, one row \
per good input row in input order, `zone_ids` being the ids of the containing zones in file order joined by `;` \
(empty when none). A point on a zone's boundary is inside it.\n\n\
A bad row (not numbers, latitude outside -90..90, longitude outside -180..180) is left out of the output and named on \
standard error with its line number and reason; the exit status is still 0. A zones file with problems is refused whole \
(exit 2), every problem listed with its feature index and code (invalid_coordinate, ring_too_short, self_intersection, \
duplicate_id, missing_id, unsupported_geometry, invalid_geojson); repairs (ring_closed) and accepted touches \
(ring_touch) are noted on standard error.",
        after_help = "Example:\n  $ cat points.csv\n  id,lat,lon\n  p1,43.238,76.945\n  p2,51.128,71.430\n  p3,55.75,37.61\n  \
$ iz geo locate --zones regions.geojson --points points.csv\n  id,zone_ids\n  p1,KAZ004\n  p2,KAZ006\n  p3,\n\n\
  Points from standard input:  ... | iz geo locate --zones zones.geojson --points -"
    )]
    Locate(LocateArgs),
}

#[derive(Args)]
pub struct LocateArgs {
    /// The zones, GeoJSON.
    #[arg(long)]
    zones: PathBuf,
    /// The points, CSV with header `id,lat,lon`; - for standard input.
    #[arg(long)]
    points: PathBuf,
    /// Threads to locate with (1: this thread only, as measured in BENCHMARKS.md).
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

pub fn run(command: GeoCommand) -> anyhow::Result<ExitCode> {
    match command {
        GeoCommand::Locate(args) => locate(&args),
    }
}

fn read_all(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        Ok(buf)
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

/// One CSV field at `pos` (RFC 4180 quoting); returns the field's bytes (unquoted, with
/// doubled quotes left doubled), whether it was quoted, and where the next field starts, or
/// `None` at the end of the record.
fn field(buf: &[u8], pos: &mut usize) -> (std::ops::Range<usize>, bool) {
    let start = *pos;
    if buf.get(start) == Some(&b'"') {
        let mut i = start + 1;
        while i < buf.len() {
            if buf[i] == b'"' {
                if buf.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        let end = i.min(buf.len());
        let mut j = (end + 1).min(buf.len());
        while j < buf.len() && buf[j] != b',' && buf[j] != b'\n' {
            j += 1;
        }
        *pos = j;
        (start + 1..end, true)
    } else {
        let mut i = start;
        while i < buf.len() && buf[i] != b',' && buf[i] != b'\n' {
            i += 1;
        }
        *pos = i;
        let mut end = i;
        if end > start && buf[end - 1] == b'\r' {
            end -= 1;
        }
        (start..end, false)
    }
}

/// Splits one record starting at `pos` into `fields`; returns the start of the next record and
/// how many newlines the record spanned.
fn record(
    buf: &[u8],
    mut pos: usize,
    fields: &mut Vec<(std::ops::Range<usize>, bool)>,
) -> (usize, usize) {
    fields.clear();
    let start = pos;
    loop {
        let f = field(buf, &mut pos);
        fields.push(f);
        match buf.get(pos) {
            Some(b',') => pos += 1,
            Some(b'\n') => {
                pos += 1;
                break;
            }
            _ => break,
        }
    }
    let lines = buf[start..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .max(1);
    (pos, lines)
}

fn number(bytes: &[u8]) -> Option<f64> {
    std::str::from_utf8(bytes).ok()?.trim().parse::<f64>().ok()
}

/// Writes a field, quoting it when it holds a comma, quote or line break.
fn write_field(out: &mut impl Write, bytes: &[u8], was_quoted: bool) -> io::Result<()> {
    if was_quoted
        || bytes
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.write_all(b"\"")?;
        if was_quoted {
            out.write_all(bytes)?; // doubled quotes are still doubled
        } else {
            for &b in bytes {
                if b == b'"' {
                    out.write_all(b"\"\"")?;
                } else {
                    out.write_all(&[b])?;
                }
            }
        }
        out.write_all(b"\"")
    } else {
        out.write_all(bytes)
    }
}

fn locate(args: &LocateArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.zones)
        .with_context(|| format!("cannot read the zones file {}", args.zones.display()))?;
    let (set, notes) = match ZoneSet::from_geojson(&text) {
        Ok(x) => x,
        Err(e) => {
            eprintln!(
                "error: the zones file {} is refused ({}): {e}",
                args.zones.display(),
                e.code()
            );
            return Ok(ExitCode::from(2));
        }
    };
    drop(text);
    for n in &notes {
        eprintln!("note: {n}");
    }
    // Each zone's id as a CSV-ready field, then `;`-joined per point.
    let ids: Vec<String> = set.zones().iter().map(|z| z.id.clone()).collect();
    let needs_quotes = ids
        .iter()
        .any(|id| id.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')));

    let buf = read_all(&args.points)?;
    let mut pos = if buf.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let mut fields = Vec::with_capacity(8);
    let (next, mut line) = record(&buf, pos, &mut fields);
    let col = |name: &str| {
        fields
            .iter()
            .position(|(r, _)| std::str::from_utf8(&buf[r.clone()]).is_ok_and(|h| h.trim() == name))
    };
    let (Some(iid), Some(ilat), Some(ilon)) = (col("id"), col("lat"), col("lon")) else {
        anyhow::bail!(
            "the CSV header must name the columns id, lat and lon; it is {:?}",
            String::from_utf8_lossy(&buf[pos..next]).trim_end()
        );
    };
    pos = next;
    line += 1;
    let need = iid.max(ilat).max(ilon);
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(buf.len() / 32);
    let mut id_of: Vec<(std::ops::Range<usize>, bool)> = Vec::with_capacity(buf.len() / 32);
    let mut bad = 0usize;
    while pos < buf.len() {
        let (next, lines) = record(&buf, pos, &mut fields);
        let this_line = line;
        line += lines;
        pos = next;
        if fields.len() == 1 && fields[0].0.is_empty() {
            continue; // a blank line
        }
        let why = if fields.len() <= need {
            Some(format!(
                "{} columns, the header has at least {}",
                fields.len(),
                need + 1
            ))
        } else {
            match (
                number(&buf[fields[ilat].0.clone()]),
                number(&buf[fields[ilon].0.clone()]),
            ) {
                (Some(lat), Some(lon)) => match iz_geo::Point::new(lat, lon) {
                    Ok(_) => {
                        points.push((lat, lon));
                        id_of.push(fields[iid].clone());
                        None
                    }
                    Err(e) => Some(e.to_string()),
                },
                (lat, _) => Some(format!(
                    "{} {:?} is not a number",
                    if lat.is_none() { "lat" } else { "lon" },
                    String::from_utf8_lossy(
                        &buf[fields[if lat.is_none() { ilat } else { ilon }].0.clone()]
                    )
                )),
            }
        };
        if let Some(why) = why {
            bad += 1;
            eprintln!("line {this_line}: {why}");
        }
    }
    let located = set.locate_many_threads(&points, args.threads);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    out.write_all(b"id,zone_ids\n")?;
    for (i, (r, quoted)) in id_of.iter().enumerate() {
        write_field(&mut out, &buf[r.clone()], *quoted)?;
        out.write_all(b",")?;
        let zs = located.zones_of(i);
        if needs_quotes && !zs.is_empty() {
            let joined: Vec<&str> = zs.iter().map(|&z| ids[z as usize].as_str()).collect();
            write_field(&mut out, joined.join(";").as_bytes(), false)?;
        } else {
            for (k, &z) in zs.iter().enumerate() {
                if k > 0 {
                    out.write_all(b";")?;
                }
                out.write_all(ids[z as usize].as_bytes())?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if bad > 0 {
        eprintln!("{bad} bad rows left out of the output");
    }
    Ok(ExitCode::SUCCESS)
}
