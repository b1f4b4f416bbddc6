//! `iz demo`: the whole system on one machine, live. It serves the API, loads a generated
//! scenario (10,000 wanted entries with legal bases, some expired) on first run, streams
//! synthetic registry events into its own HTTP intake at a steady rate — the same path an
//! integrator uses — and prints each alert as it happens, with a progress line.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use iz_model::{Actor, Region, Role};
use iz_scenario::{Scenario, ScenarioConfig, StreamConfig};
use iz_store::{AlertChange, DroneStore, Store, SupervisionStore};
use serde::{Deserialize, Serialize};

use crate::app;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// The data folder; created on first run, reused after.
    #[arg(long, default_value = "iz-data", env = "IZ_DATA")]
    pub data: PathBuf,
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Events per second streamed in.
    #[arg(long, default_value_t = 2000.0)]
    pub rate: f64,
    /// Share of events that belong to live wanted persons.
    #[arg(long, default_value_t = 0.001)]
    pub hit_share: f64,
    /// Share of events that are number-plate camera reads.
    #[arg(long, default_value_t = 0.05)]
    pub plate_share: f64,
    /// Share of events that are face sightings at stations and airports.
    #[arg(long, default_value_t = 0.01)]
    pub face_share: f64,
    /// Share of camera events that belong to a wanted vehicle or a wanted person with enrolled
    /// face templates.
    #[arg(long, default_value_t = 0.005)]
    pub camera_hit_share: f64,
    /// Scenario seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// People on probation in the demo, each with a bracelet pinging every 10 s.
    #[arg(long, default_value_t = 300)]
    pub supervised: usize,
    /// Seconds between two drone flights over the licensed areas near Karaganda.
    #[arg(long, default_value_t = 60)]
    pub flight_every: u64,
    /// Stop after this many seconds (default: run until Ctrl-C).
    #[arg(long)]
    pub seconds: Option<u64>,
}

/// The demo's own tokens, kept in the data folder so a second run can reuse them.
#[derive(Serialize, Deserialize)]
struct DemoTokens {
    admin: String,
    ingest: String,
    operator_almaty: String,
    /// The password of the demo's console users (see [`DEMO_USERS`]).
    #[serde(default)]
    console_password: String,
}

/// The demo's console users: name, role, region.
/// The probation officer is named as the generated caseload names its officers, so the
/// caseload page shows the people of the first Almaty caseload.
const DEMO_USERS: [(&str, Role, Option<&str>); 5] = [
    ("admin", Role::Admin, None),
    ("almaty", Role::Operator, Some("KZ-75")),
    ("prosecutor", Role::Prosecutor, None),
    ("analyst", Role::Analyst, None),
    ("officer-KZ-75-000", Role::ProbationOfficer, Some("KZ-75")),
];

fn add_demo_users(store: &dyn Store, password: &str) -> anyhow::Result<()> {
    let hash = iz_api::password::hash_password(password)
        .map_err(|e| anyhow::anyhow!("cannot hash the demo password: {e}"))?;
    for (name, role, region) in DEMO_USERS {
        if store.find_user(name)?.is_none() {
            let region = region.and_then(|r| Region::parse(r).ok());
            store.add_user(
                name,
                &hash,
                role,
                region,
                &Actor::system("demo"),
                Utc::now(),
            )?;
        }
    }
    Ok(())
}

fn demo_tokens(data: &Path, store: &dyn Store) -> anyhow::Result<DemoTokens> {
    let path = data.join("demo-tokens.json");
    if let Ok(text) = std::fs::read_to_string(&path)
        && let Ok(mut tokens) = serde_json::from_str::<DemoTokens>(&text)
    {
        if tokens.console_password.is_empty() {
            // A data folder from before the console: give it its users.
            tokens.console_password = iz_api::auth::random_secret();
            add_demo_users(store, &tokens.console_password)?;
            std::fs::write(&path, serde_json::to_string_pretty(&tokens)?)?;
        }
        return Ok(tokens);
    }
    let actor = Actor::system("demo");
    let console_password = iz_api::auth::random_secret();
    add_demo_users(store, &console_password)?;
    let tokens = DemoTokens {
        console_password,
        admin: app::issue_into(store, Role::Admin, None, "demo admin", &actor)?,
        ingest: app::issue_into(store, Role::Ingest, None, "demo streamer", &actor)?,
        operator_almaty: app::issue_into(
            store,
            Role::Operator,
            Region::parse("KZ-75").ok(),
            "demo operator, Almaty",
            &actor,
        )?,
    };
    std::fs::write(&path, serde_json::to_string_pretty(&tokens)?)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(tokens)
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.rate > 0.0, "--rate must be positive");
    for (flag, share) in [
        ("--hit-share", args.hit_share),
        ("--plate-share", args.plate_share),
        ("--face-share", args.face_share),
        ("--camera-hit-share", args.camera_hit_share),
    ] {
        anyhow::ensure!(
            (0.0..=1.0).contains(&share),
            "{flag} is a share between 0 and 1, not {share}"
        );
    }
    let settings = app::settings(None, Some(args.addr.clone()))?;
    let store = app::open_store(&args.data, settings.sqlite.clone())?;
    let now = Utc::now();
    let scenario = Scenario::new(ScenarioConfig {
        seed: args.seed,
        ..ScenarioConfig::default()
    });
    let first_run = store
        .list_watch(&iz_store::WatchFilter {
            limit: 1,
            ..Default::default()
        })?
        .is_empty();
    if first_run {
        let (persons, vehicles) =
            crate::generate::load_scenario(&scenario, store.as_ref(), now, "demo")?;
        println!(
            "Loaded a scenario of {persons} wanted persons and {vehicles} wanted vehicles into {} (seed {}).",
            args.data.display(),
            args.seed
        );
        if args.supervised > 0 {
            let actor = Actor::system("demo");
            for p in &demo_caseload(&args, now).persons {
                let order: iz_store::supervision::NewSupervised =
                    serde_json::from_value(p.order.clone())
                        .context("a generated order does not fit the API's shape")?;
                store.add_supervised(order, &actor, now)?;
            }
            println!(
                "Enrolled {} people on probation, each with a home zone, three exclusion zones and a night curfew.",
                args.supervised
            );
        }
        let licences = iz_scenario::drones::licences().to_string();
        store.put_licences(&licences, 6, &Actor::system("demo"), now)?;
        println!(
            "Loaded six subsoil-use licences near Karaganda (one expired) for the drone flights."
        );
    } else {
        println!("Reusing the data in {}.", args.data.display());
    }
    let tokens = demo_tokens(&args.data, store.as_ref())?;
    let rt = app::runtime()?;
    rt.block_on(async move {
        let app = app::build_app(store.clone(), &settings)?;
        let pipeline = Arc::clone(&app.state.pipeline);
        let mut alerts = app.subscribe();
        let listener = tokio::net::TcpListener::bind(settings.addr).await.with_context(|| format!("cannot listen on {} (is another Iz running? try --addr)", settings.addr))?;
        let base = format!("http://{}", listener.local_addr()?);
        println!("Iz is serving on {base}  (data: {})", args.data.display());
        println!("  console:        {base}/  (sign in as admin, almaty, prosecutor, analyst or officer-KZ-75-000; password {})", tokens.console_password);
        println!("  admin token:    {}", tokens.admin);
        println!("  operator KZ-75: {}", tokens.operator_almaty);
        println!("  try: curl -s -H 'Authorization: Bearer {}' '{base}/v1/alerts?status=open'", tokens.admin);
        println!("Streaming {} events/s, {:.2} % by wanted persons. Ctrl-C stops.\n", args.rate, args.hit_share * 100.0);

        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let seconds = args.seconds;
        let mut stop_for_server = stop_rx.clone();
        let server = tokio::spawn(app.run(listener, async move {
            let _ = stop_for_server.wait_for(|s| *s).await;
        }));
        let stats = Arc::new(Counters::default());

        // The streamer: the same HTTP intake an integrator uses.
        let streamer = {
            let stats = Arc::clone(&stats);
            let url = format!("{base}/v1/events");
            let token = tokens.ingest.clone();
            let mut stop = stop_rx.clone();
            let run_id = Utc::now().timestamp() as u64;
            let mut stream = scenario.events(StreamConfig {
                plate_share: args.plate_share,
                face_share: args.face_share,
                camera_hit_share: args.camera_hit_share,
                ..StreamConfig::registry(run_id, Utc::now(), args.rate, args.hit_share, Utc::now())
            });
            let rate = args.rate;
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let tick = Duration::from_millis(200);
                let mut interval = tokio::time::interval(tick);
                let mut owed = 0.0;
                let mut buf = Vec::new();
                loop {
                    tokio::select! {
                        _ = interval.tick() => {}
                        _ = stop.changed() => return,
                    }
                    owed += rate * tick.as_secs_f64();
                    let n = owed.floor() as usize;
                    owed -= n as f64;
                    buf.clear();
                    stream.write_ndjson(n, &mut buf);
                    match client.post(&url).bearer_auth(&token).body(buf.clone()).send().await {
                        Ok(r) if r.status().is_success() => {
                            if let Ok(report) = r.json::<serde_json::Value>().await {
                                stats.events.fetch_add(report["accepted"].as_u64().unwrap_or(0), Ordering::Relaxed);
                            }
                        }
                        Ok(r) => tracing::warn!(status = %r.status(), "the server refused a batch"),
                        Err(e) => tracing::warn!(error = %e, "could not post a batch"),
                    }
                }
            })
        };

        // The bracelets: a round of pings every 10 s, the persons' turns spread over it.
        let bracelets = {
            let caseload = demo_caseload(&args, Utc::now());
            let url = format!("{base}/v1/supervision/pings");
            let token = tokens.ingest.clone();
            let mut stop = stop_rx.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let persons = caseload.persons.len();
                let mut interval = tokio::time::interval(Duration::from_secs(10));
                for round in 0.. {
                    tokio::select! {
                        _ = interval.tick() => {}
                        _ = stop.changed() => return,
                    }
                    if persons == 0 {
                        continue;
                    }
                    let mut body = Vec::new();
                    let count = (round + 1) * persons;
                    for n in round * persons..count {
                        let ping = caseload.ping(n, count, chrono::Duration::seconds(10), Utc::now());
                        let _ = serde_json::to_writer(&mut body, &ping);
                        body.push(b'\n');
                    }
                    if let Err(e) = client.post(&url).bearer_auth(&token).body(body).send().await {
                        tracing::warn!(error = %e, "could not post the pings");
                    }
                }
            })
        };

        // The drone: a flight over the licensed areas every `flight_every` seconds.
        let drone = {
            let url = format!("{base}/v1/drones/detections");
            let token = tokens.ingest.clone();
            let every = Duration::from_secs(args.flight_every.max(1));
            let mut stop = stop_rx.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut interval = tokio::time::interval(every);
                let first = Utc::now().timestamp() as u64 / 60;
                for n in first.. {
                    tokio::select! {
                        _ = interval.tick() => {}
                        _ = stop.changed() => return,
                    }
                    let lines: Vec<String> = iz_scenario::drones::flight(n, Utc::now()).iter().map(|d| d.to_string()).collect();
                    let report = match client.post(&url).bearer_auth(&token).body(lines.join("\n")).send().await {
                        Ok(r) => r.json::<serde_json::Value>().await.unwrap_or_default(),
                        Err(e) => {
                            tracing::warn!(error = %e, "could not post the flight");
                            continue;
                        }
                    };
                    let judged = report["judged"].as_array().cloned().unwrap_or_default();
                    let count = |what: &str| judged.iter().filter(|j| j["outcome"] == what).count();
                    clear_progress();
                    println!(
                        "drone flight FL-{n:04}: {} detections, {} licensed or unsure, {} new incident(s), {} seen again at open incidents",
                        judged.len(), count("noted"), count("opened"), count("folded")
                    );
                }
            })
        };

        // The fraud wave: a bank's and an operator's last six hours (customers, money mules fed
        // by victims just called from a SIP gateway, SIM boxes) streamed to the anti-fraud
        // centre, then every ten seconds a victim's transfer to a mule asked about, as a bank
        // asks before it executes one.
        let fraud = {
            let base = base.clone();
            let token = tokens.ingest.clone();
            let seed = args.seed;
            let mut stop = stop_rx.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let config = iz_scenario::fraud::FraudWaveConfig {
                    seed,
                    customers: 5_000,
                    transfers: 10_000,
                    mules: 8,
                    sim_boxes: 1,
                    hours: 6,
                };
                let wave = iz_scenario::fraud::FraudWave::generate(&config, Utc::now());
                let mut cases = 0;
                for chunk in wave.events.chunks(5_000) {
                    let body: Vec<String> = chunk.iter().map(|(_, e)| e.to_string()).collect();
                    match client.post(format!("{base}/v1/fraud/events")).bearer_auth(&token).body(body.join("\n")).send().await {
                        Ok(r) => cases += r.json::<serde_json::Value>().await.ok().and_then(|v| v["cases_opened"].as_u64()).unwrap_or(0),
                        Err(e) => tracing::warn!(error = %e, "could not post the fraud wave"),
                    }
                }
                clear_progress();
                println!(
                    "fraud wave: {} events ({} transactions) from banks and operators; {cases} case(s) for the analysts (the wave has {} mules and {} SIM box)",
                    wave.events.len(), wave.transactions(), wave.mules.len(), wave.sim_boxes.len()
                );
                let mut interval = tokio::time::interval(Duration::from_secs(10));
                for n in 0u64.. {
                    tokio::select! {
                        _ = interval.tick() => {}
                        _ = stop.changed() => return,
                    }
                    let mule = &wave.mules[n as usize % wave.mules.len()];
                    let (bank, account) = mule.split_once('/').unwrap_or(("KASPI", mule));
                    let tx = serde_json::json!({ "id": format!("DEMO-PAY-{n}"), "at": Utc::now().to_rfc3339(),
                        "from": { "bank": "HALYK", "account": format!("KZ{:016}", 1_000_000 + n % 5_000) },
                        "to": { "bank": bank, "account": account }, "amount_tiyn": 15_000_000, "currency": "KZT", "channel": "phone_transfer" });
                    let Ok(r) = client.post(format!("{base}/v1/fraud/decide")).bearer_auth(&token).json(&tx).send().await else { continue };
                    let d: serde_json::Value = r.json().await.unwrap_or_default();
                    let top = d["reasons"].as_array().and_then(|rs| {
                        rs.iter().max_by(|a, b| a["contribution"].as_f64().partial_cmp(&b["contribution"].as_f64()).unwrap_or(std::cmp::Ordering::Equal))
                    });
                    clear_progress();
                    println!(
                        "fraud: transfer of 150,000 ₸ to {mule}: {} (score {:.2}; {})",
                        d["decision"].as_str().unwrap_or("?").to_uppercase(),
                        d["score"].as_f64().unwrap_or(0.0),
                        top.and_then(|r| r["detail"].as_str()).unwrap_or("no reason")
                    );
                }
            })
        };

        // Violations as the monitor opens them, read back from the API as an officer would.
        let violations = {
            let url = format!("{base}/v1/supervision/violations?limit=50");
            let token = tokens.admin.clone();
            let mut stop = stop_rx.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut seen = std::collections::HashSet::new();
                let mut interval = tokio::time::interval(Duration::from_secs(5));
                loop {
                    tokio::select! {
                        _ = interval.tick() => {}
                        _ = stop.changed() => return,
                    }
                    let Ok(r) = client.get(&url).bearer_auth(&token).send().await else { continue };
                    let found: Vec<serde_json::Value> = r.json().await.unwrap_or_default();
                    for v in found.iter().rev() {
                        if seen.insert(v["id"].as_i64().unwrap_or(0)) {
                            let what = v["zone"].as_str().or(v["device"].as_str()).unwrap_or("");
                            clear_progress();
                            println!(
                                "probation: person {} broke {} {what} at {} (Almaty time), {} fixes in a row",
                                v["person"], v["kind"].as_str().unwrap_or("?"), v["evidence"]["local_time"].as_str().unwrap_or("?"), v["observations"]
                            );
                        }
                    }
                }
            })
        };

        // The printer: each alert as it happens, and a progress line.
        let printer = {
            let stats = Arc::clone(&stats);
            let mut stop = stop_rx.clone();
            tokio::spawn(async move {
                let tty = std::io::stderr().is_terminal();
                let started = Instant::now();
                let mut last = (Instant::now(), 0u64);
                let mut progress = tokio::time::interval(Duration::from_secs(if tty { 1 } else { 5 }));
                loop {
                    tokio::select! {
                        change = alerts.recv() => match change {
                            Ok(change) => {
                                stats.hits.fetch_add(1, Ordering::Relaxed);
                                if let AlertChange::Created(_) = change.as_ref() {
                                    stats.alerts.fetch_add(1, Ordering::Relaxed);
                                }
                                let line = describe(&change, &pipeline);
                                if tty { eprint!("\r\x1b[K"); }
                                println!("{line}");
                            }
                            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => println!("({n} alerts not shown: the terminal is slower than Iz)"),
                            Err(_) => return,
                        },
                        _ = progress.tick() => {
                            let events = stats.events.load(Ordering::Relaxed);
                            let rate = (events - last.1) as f64 / last.0.elapsed().as_secs_f64().max(1e-3);
                            last = (Instant::now(), events);
                            let line = format!(
                                "[{:>5}s] events {events} ({rate:.0}/s) · hits {} · alerts {}",
                                started.elapsed().as_secs(), stats.hits.load(Ordering::Relaxed), stats.alerts.load(Ordering::Relaxed)
                            );
                            if tty { eprint!("\r\x1b[K{line}"); let _ = std::io::stderr().flush(); } else { eprintln!("{line}"); }
                        }
                        _ = stop.changed() => return,
                    }
                }
            })
        };

        match seconds {
            Some(s) => tokio::select! { _ = tokio::time::sleep(Duration::from_secs(s)) => {}, _ = app::shutdown_signal() => {} },
            None => app::shutdown_signal().await,
        }
        eprintln!("\nStopping: finishing the batches in flight…");
        let _ = stop_tx.send(true);
        let _ = streamer.await;
        let _ = printer.await;
        let _ = bracelets.await;
        let _ = drone.await;
        let _ = fraud.await;
        let _ = violations.await;
        server.await??;
        let stats = store.stats(Utc::now())?;
        println!(
            "Stopped cleanly. In store: {} events counted, {} hits, alerts open {} / confirmed {} / rejected {}. Run `iz demo` again to continue.",
            stats.events_total, stats.hits_total, stats.alerts.open, stats.alerts.confirmed, stats.alerts.rejected
        );
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Wipes the progress line (on a terminal) so that a printed line starts clean.
fn clear_progress() {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[K");
    }
}

/// The demo's caseload: always the same persons for one seed (their devices must match the
/// enrolled orders on a second run).
fn demo_caseload(
    args: &DemoArgs,
    now: chrono::DateTime<Utc>,
) -> iz_scenario::supervision::Caseload {
    iz_scenario::supervision::Caseload::generate(
        iz_scenario::supervision::CaseloadConfig {
            seed: args.seed,
            persons: args.supervised,
            breach_share: 0.02,
        },
        now,
    )
}

#[derive(Default)]
struct Counters {
    events: AtomicU64,
    hits: AtomicU64,
    alerts: AtomicU64,
}

/// One line for the operator: who, where, how matched, under which legal basis.
fn describe(change: &AlertChange, pipeline: &iz_ingest::Pipeline) -> String {
    let alert = change.alert();
    let snapshot = pipeline.snapshot();
    let entry = snapshot.entries.get(&alert.watch_id);
    let name = entry
        .and_then(|e| {
            e.vehicle
                .as_ref()
                .map(|v| format!("vehicle {}", v.plate))
                .or_else(|| e.person.names.first().cloned())
        })
        .unwrap_or_else(|| format!("entry {}", alert.watch_id));
    let basis = entry
        .map(|e| format!("{:?} {}", e.legal_basis.kind, e.legal_basis.reference))
        .unwrap_or_default();
    let place = alert
        .last_place
        .as_ref()
        .map(|p| {
            format!(
                "{} {}",
                p.region.map(|r| r.code()).unwrap_or(""),
                p.office.as_deref().or(p.address.as_deref()).unwrap_or("")
            )
        })
        .unwrap_or_else(|| alert.region.code().to_string());
    let how: Vec<_> = alert
        .matched
        .iter()
        .map(|m| match m.field.as_str() {
            // Scored matches say how well they matched.
            "names" | "plate" | "face" => format!("{}={} ({})", m.field, m.value, m.how),
            _ => format!("{}={}", m.field, m.value),
        })
        .collect();
    // Shown in Kazakhstan's time (tz database, Asia/Almaty: UTC+5 since March 2024).
    let local = alert
        .last_seen
        .with_timezone(&chrono_tz::Asia::Almaty)
        .format("%H:%M:%S");
    let seen = format!(
        "{} at {} via {} {} [{}] {}",
        name,
        place.trim(),
        alert.source,
        alert.last_event_kind.as_str(),
        how.join(", "),
        basis
    );
    match change {
        AlertChange::Created(_) if alert.missing_person => {
            format!(
                "MISSING PERSON FOUND (help, not arrest) #{} {local} — {seen}",
                alert.id
            )
        }
        AlertChange::Created(_) => format!(
            "ALERT #{} {local} [{}] {} — {seen}",
            alert.id,
            alert.priority.as_str(),
            alert.category.as_str()
        ),
        AlertChange::Folded(_) => format!(
            "  seen again: alert #{} ({} hits), now at {} via {}",
            alert.id,
            alert.count,
            place.trim(),
            alert.source
        ),
    }
}
