//! `iz gen`: a seeded scenario as NDJSON. The same seed gives the same wanted persons in
//! `iz gen watchlist` and the same people in `iz gen events`, so a generated stream hits a
//! generated list at the configured share.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use iz_model::{Actor, PersonInput, WatchEntryInput};
use iz_scenario::supervision::{Caseload, CaseloadConfig};
use iz_scenario::{Scenario, ScenarioConfig, StreamConfig};
use iz_store::SupervisionStore;
use iz_store::supervision::NewSupervised;

#[derive(Args, Debug)]
pub struct GenArgs {
    #[command(subcommand)]
    pub what: GenWhat,
}

#[derive(Subcommand, Debug)]
pub enum GenWhat {
    /// Registry events: service requests, tickets, hotel registrations, border crossings,
    /// document checks.
    Events {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Size of the scenario's wanted list (as given to `iz gen watchlist`).
        #[arg(long, default_value_t = 10_000)]
        wanted: usize,
        /// How many events.
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// Share of events that belong to live wanted persons.
        #[arg(long, default_value_t = 0.001)]
        hit_share: f64,
        /// Events per second of event time (spacing of occurred_at).
        #[arg(long, default_value_t = 1000.0)]
        rate: f64,
        /// Share of events that are number-plate camera reads (`plate_read`).
        #[arg(long, default_value_t = 0.0)]
        plate_share: f64,
        /// Share of events that are face sightings (`face_sighting`, 512-d templates).
        #[arg(long, default_value_t = 0.0)]
        face_share: f64,
        /// Share of camera events that belong to a wanted vehicle or to a wanted person with
        /// enrolled templates.
        #[arg(long, default_value_t = 0.01)]
        camera_hit_share: f64,
        /// A run number that goes into every event id, so runs do not repeat ids.
        #[arg(long, default_value_t = 1)]
        run: u64,
        /// Time of the first event (RFC 3339); by default the stream ends now.
        #[arg(long)]
        start: Option<DateTime<Utc>>,
        /// Write here instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// The wanted list of the scenario: 10,000 entries by default, each with its legal basis.
    Watchlist {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 10_000)]
        wanted: usize,
        /// Load the entries (expired ones too, as history) straight into this data folder
        /// instead of writing NDJSON.
        #[arg(long)]
        load: Option<PathBuf>,
        /// Write here instead of standard output (live entries only, as `POST /v1/watchlist` bodies).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// A probation caseload and its bracelets' pings: persons in Almaty, Astana and Shymkent,
    /// each with a home zone, three exclusion zones and a night curfew. Orders go into a data
    /// folder (`--load`) or out as `POST /v1/supervision/persons` bodies (`--orders`); pings,
    /// `--interval-s` apart per bracelet and ending now, go out as NDJSON for
    /// `iz ingest --endpoint /v1/supervision/pings`.
    Supervision {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 25_000)]
        persons: usize,
        /// How many pings (0: orders only).
        #[arg(long, default_value_t = 0)]
        pings: usize,
        /// Seconds between two pings of one bracelet.
        #[arg(long, default_value_t = 30)]
        interval_s: i64,
        /// Share of four-ping episodes a person spends inside the victim's street.
        #[arg(long, default_value_t = 0.001)]
        breach_share: f64,
        /// Enrol the persons straight into this data folder.
        #[arg(long)]
        load: Option<PathBuf>,
        /// Write the orders here as NDJSON.
        #[arg(long)]
        orders: Option<PathBuf>,
        /// Write the pings here instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// A fraud wave among ordinary bank traffic, as NDJSON for
    /// `iz ingest --endpoint /v1/fraud/events`: customers paying each other, money mules fed by
    /// victims just called from a SIP gateway, SIM boxes. The truth (mules, SIM boxes) goes to
    /// standard error.
    Fraud {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 20_000)]
        customers: usize,
        /// Ordinary transfers.
        #[arg(long, default_value_t = 40_000)]
        transfers: usize,
        #[arg(long, default_value_t = 20)]
        mules: usize,
        #[arg(long, default_value_t = 2)]
        sim_boxes: usize,
        /// Hours the events span, ending now.
        #[arg(long, default_value_t = 6)]
        hours: i64,
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

fn output(out: &Option<PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match out {
        Some(path) => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::io::stdout().lock(),
        )),
    })
}

pub fn run(args: GenArgs) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    match args.what {
        GenWhat::Fraud {
            seed,
            customers,
            transfers,
            mules,
            sim_boxes,
            hours,
            out,
        } => {
            anyhow::ensure!(hours > 0, "--hours must be positive");
            let wave = iz_scenario::fraud::FraudWave::generate(
                &iz_scenario::fraud::FraudWaveConfig {
                    seed,
                    customers,
                    transfers,
                    mules,
                    sim_boxes,
                    hours,
                },
                now,
            );
            let mut w = output(&out)?;
            for (_, event) in &wave.events {
                serde_json::to_writer(&mut w, event)?;
                w.write_all(b"\n")?;
            }
            w.flush()?;
            eprintln!(
                "{} events ({} transactions, {} of them victims paying mules); mules: {}; SIM boxes: {}",
                wave.events.len(),
                wave.transactions(),
                wave.fraud_transfers,
                wave.mules.join(" "),
                wave.sim_boxes.join(" ")
            );
        }
        GenWhat::Events {
            seed,
            wanted,
            count,
            hit_share,
            rate,
            plate_share,
            face_share,
            camera_hit_share,
            run,
            start,
            out,
        } => {
            anyhow::ensure!(rate > 0.0, "--rate must be positive");
            for (flag, share) in [
                ("--hit-share", hit_share),
                ("--plate-share", plate_share),
                ("--face-share", face_share),
                ("--camera-hit-share", camera_hit_share),
            ] {
                anyhow::ensure!(
                    (0.0..=1.0).contains(&share),
                    "{flag} is a share between 0 and 1, not {share}"
                );
            }
            anyhow::ensure!(
                plate_share + face_share <= 1.0,
                "--plate-share and --face-share together are at most 1"
            );
            let scenario = Scenario::new(ScenarioConfig {
                seed,
                wanted,
                ..ScenarioConfig::default()
            });
            let span = chrono::Duration::milliseconds((count as f64 / rate * 1000.0) as i64);
            let start = start.unwrap_or(now - span);
            let mut stream = scenario.events(StreamConfig {
                plate_share,
                face_share,
                camera_hit_share,
                ..StreamConfig::registry(run, start, rate, hit_share, now)
            });
            let mut out = output(&out)?;
            let mut buf = Vec::with_capacity(4 << 20);
            let (mut left, mut tally) = (count, iz_scenario::Tally::default());
            while left > 0 {
                let n = left.min(10_000);
                buf.clear();
                tally += stream.write_ndjson(n, &mut buf);
                out.write_all(&buf)?;
                left -= n;
            }
            out.flush()?;
            eprintln!(
                "wrote {count} events, {} of them by live wanted persons or vehicles: {} by an identifier, {} by name and birth date alone, {} plate reads, {} face sightings (seed {seed}, run {run})",
                tally.hits(),
                tally.by_identifier,
                tally.by_name,
                tally.by_plate,
                tally.by_face
            );
        }
        GenWhat::Watchlist {
            seed,
            wanted,
            load,
            out,
        } => {
            let scenario = Scenario::new(ScenarioConfig {
                seed,
                wanted,
                ..ScenarioConfig::default()
            });
            if let Some(data) = load {
                let store = crate::app::open_store(&data, iz_store::SqliteOptions::default())?;
                let (persons, vehicles) = load_scenario(&scenario, store.as_ref(), now, "gen")?;
                eprintln!(
                    "loaded {persons} wanted persons and {vehicles} wanted vehicles into {}",
                    data.display()
                );
            } else {
                let entries = scenario
                    .watch_entries(now)
                    .into_iter()
                    .chain(scenario.vehicle_entries(now, None));
                let mut out = output(&out)?;
                let mut written = 0;
                for entry in entries.into_iter().filter(|e| e.expires_at > now) {
                    let input = WatchEntryInput {
                        kind: entry.kind,
                        person: PersonInput::from(entry.person),
                        legal_basis: Some(entry.legal_basis),
                        expires_at: Some(entry.expires_at),
                        region: entry.region,
                        priority: entry.priority,
                        category: entry.category,
                        vehicle: entry.vehicle,
                        link: entry.link,
                        faces: entry.faces.iter().map(|f| f.to_vec()).collect(),
                    };
                    serde_json::to_writer(&mut out, &input)?;
                    out.write_all(b"\n")?;
                    written += 1;
                }
                out.flush()?;
                eprintln!("wrote {written} live watch entries (seed {seed})");
            }
        }
        GenWhat::Supervision {
            seed,
            persons,
            pings,
            interval_s,
            breach_share,
            load,
            orders,
            out,
        } => {
            anyhow::ensure!(interval_s > 0, "--interval-s must be positive");
            anyhow::ensure!(
                (0.0..=1.0).contains(&breach_share),
                "--breach-share is a share between 0 and 1, not {breach_share}"
            );
            anyhow::ensure!(persons > 0, "--persons must be at least 1");
            let caseload = Caseload::generate(
                CaseloadConfig {
                    seed,
                    persons,
                    breach_share,
                },
                now,
            );
            if let Some(data) = load {
                let store = crate::app::open_store(&data, iz_store::SqliteOptions::default())?;
                let actor = Actor::system("gen");
                for p in &caseload.persons {
                    let order: NewSupervised = serde_json::from_value(p.order.clone())
                        .context("a generated order does not fit the API's shape")?;
                    store.add_supervised(order, &actor, now)?;
                }
                eprintln!(
                    "enrolled {persons} supervised persons into {}",
                    data.display()
                );
            }
            if let Some(path) = orders {
                let mut file = output(&Some(path))?;
                for p in &caseload.persons {
                    serde_json::to_writer(&mut file, &p.order)?;
                    file.write_all(b"\n")?;
                }
                file.flush()?;
            }
            if pings > 0 {
                let mut file = output(&out)?;
                let interval = chrono::Duration::seconds(interval_s);
                for n in 0..pings {
                    serde_json::to_writer(&mut file, &caseload.ping(n, pings, interval, now))?;
                    file.write_all(b"\n")?;
                }
                file.flush()?;
                eprintln!(
                    "wrote {pings} pings of {persons} bracelets, {interval_s} s apart (seed {seed})"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the scenario's wanted persons (expired ones too, as history) and then their vehicles,
/// each tied to its person's stored entry; returns how many of each.
pub fn load_scenario(
    scenario: &Scenario,
    store: &dyn iz_store::Store,
    now: DateTime<Utc>,
    actor: &str,
) -> anyhow::Result<(usize, usize)> {
    let actor = Actor::system(actor);
    let persons = store.add_watch_many(scenario.watch_entries(now), &actor, now)?;
    let ids: Vec<_> = persons.iter().map(|e| e.id).collect();
    let vehicles = store.add_watch_many(scenario.vehicle_entries(now, Some(&ids)), &actor, now)?;
    Ok((persons.len(), vehicles.len()))
}
