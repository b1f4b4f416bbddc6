//! Configuration in two halves: [`IzConfig`], what a person writes (defaults, then a TOML file,
//! then `IZ_SECTION__KEY` environment variables, then command-line flags), and [`Settings`],
//! the checked runtime values that [`IzConfig::build`] makes after collecting every problem,
//! not just the first.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct IzConfig {
    pub server: ServerConfig,
    pub ingest: IngestConfig,
    pub store: StoreConfig,
    pub faces: FacesConfig,
    pub supervision: SupervisionConfig,
    pub fraud: FraudSettings,
}

/// The anti-fraud centre.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FraudSettings {
    /// The detectors' configuration (TOML: thresholds, windows, weights), watched and
    /// reloaded when it changes; an invalid file is refused whole and the live one kept. None:
    /// the store's latest (changed through `PUT /v1/fraud/config`), or the defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<PathBuf>,
    /// Seconds between two passes of propagation over the transaction graph.
    pub propagate_every_s: u64,
    /// NATS with JetStream (`nats://host:4222`): events are consumed from `nats_subject` as
    /// well as taken over HTTP; refused lines are published on `nats_refusals`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nats_url: Option<String>,
    pub nats_stream: String,
    pub nats_subject: String,
    pub nats_refusals: String,
}

impl Default for FraudSettings {
    fn default() -> Self {
        let nats = iz_api::fraud_stream::FraudStreamConfig::new("");
        FraudSettings {
            config: None,
            propagate_every_s: 30,
            nats_url: None,
            nats_stream: nats.stream,
            nats_subject: nats.subject,
            nats_refusals: nats.refusals,
        }
    }
}

/// Probation supervision: how cautious the monitor is, and where sent referrals go.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SupervisionConfig {
    /// The social-services platform's webhook (`http://` or `https://`); none: sent referrals
    /// wait, queued, until one is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral_webhook: Option<String>,
    /// Points of interest for orders that ban a category of place (bars, schools, casinos):
    /// a file of JSON lines `{"id", "name", "category", "lat", "lon"}`. None: an order with
    /// `banned_places` is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub places: Option<PathBuf>,
    /// Grace, hysteresis, signal loss, battery, reordering: see `iz_supervision::Policy`.
    pub policy: iz_supervision::Policy,
}

/// When a face sighting is a hit: the cosine similarity it must reach, by default, per camera
/// group and per camera (a camera's own beats its group's, which beats the default).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FacesConfig {
    pub threshold: f32,
    pub groups: std::collections::BTreeMap<String, f32>,
    pub cameras: std::collections::BTreeMap<String, f32>,
}

impl Default for FacesConfig {
    fn default() -> Self {
        FacesConfig {
            threshold: iz_wanted::DEFAULT_FACE_THRESHOLD,
            groups: Default::default(),
            cameras: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on.
    pub addr: String,
    /// Largest request body in bytes (413 beyond it).
    pub body_limit_bytes: usize,
    /// Batches processed in parallel (0: one per core).
    pub workers: usize,
    /// Hours an alert may wait for its review before it counts as overdue.
    pub review_deadline_hours: i64,
    /// The two-person rule: an alert raised by a face alone needs two people's confirmations.
    pub two_person_faces: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:8080".into(),
            body_limit_bytes: 32 * 1024 * 1024,
            workers: 0,
            review_deadline_hours: 24,
            two_person_faces: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// Hits on one entry from one source within this many minutes fold into one alert.
    pub dedup_window_minutes: i64,
    /// How far in the future an event's time may be (clock skew), in seconds.
    pub max_ahead_seconds: i64,
    /// How many recent event ids to remember for accepting a resent event once.
    pub seen_ids: usize,
    /// Components of a face template, as the cameras' analytics model makes them.
    pub face_dimension: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            dedup_window_minutes: 30,
            max_ahead_seconds: 300,
            seen_ids: 4_000_000,
            face_dimension: 512,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// `sqlite` (embedded, default). `postgres` comes with the scaled-out deployment.
    pub backend: String,
    /// fsync at every commit (survives power loss), not only at checkpoints.
    pub sync_every_commit: bool,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            backend: "sqlite".into(),
            sync_every_commit: true,
        }
    }
}

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    pub api: iz_api::ApiConfig,
    pub ingest: iz_ingest::IngestConfig,
    pub sqlite: iz_store::SqliteOptions,
    pub matching: Matching,
}

/// What the matchers need beyond the watch entries.
#[derive(Debug, Clone)]
pub struct Matching {
    pub face_dimension: usize,
    pub face_thresholds: iz_wanted::FaceThresholds,
}

const SECTIONS: [&str; 6] = ["server", "ingest", "store", "faces", "supervision", "fraud"];

impl IzConfig {
    /// Defaults, then the file (if given), then `IZ_SECTION__KEY` variables.
    pub fn load(file: Option<&Path>) -> anyhow::Result<IzConfig> {
        let mut figment = Figment::from(Serialized::defaults(IzConfig::default()));
        if let Some(file) = file {
            anyhow::ensure!(
                file.exists(),
                "the configuration file {} does not exist",
                file.display()
            );
            figment = figment.merge(Toml::file(file));
        }
        // Only variables naming a known section: IZ_TEST_PG_URL and the like are not ours.
        let env = Env::prefixed("IZ_").split("__").filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            SECTIONS.iter().any(|s| key.starts_with(&format!("{s}.")))
        });
        Ok(figment.merge(env).extract()?)
    }

    /// Checks every value; reports all problems together.
    pub fn build(&self) -> Result<Settings, Vec<String>> {
        let mut problems = Vec::new();
        let addr = self
            .server
            .addr
            .parse::<SocketAddr>()
            .map_err(|e| problems.push(format!("server.addr {:?}: {e}", self.server.addr)))
            .ok();
        if self.server.body_limit_bytes < 1024 {
            problems.push(format!(
                "server.body_limit_bytes {} is below 1024",
                self.server.body_limit_bytes
            ));
        }
        if !(1..=24 * 365).contains(&self.server.review_deadline_hours) {
            problems.push(format!(
                "server.review_deadline_hours {} is not between 1 and 8760 (a year)",
                self.server.review_deadline_hours
            ));
        }
        if self.ingest.dedup_window_minutes < 0 {
            problems.push(format!(
                "ingest.dedup_window_minutes {} is negative",
                self.ingest.dedup_window_minutes
            ));
        }
        if self.ingest.max_ahead_seconds < 0 {
            problems.push(format!(
                "ingest.max_ahead_seconds {} is negative",
                self.ingest.max_ahead_seconds
            ));
        }
        if self.ingest.seen_ids < 2 {
            problems.push("ingest.seen_ids must be at least 2".to_string());
        }
        if !(8..=4096).contains(&self.ingest.face_dimension) {
            problems.push(format!(
                "ingest.face_dimension {} is not between 8 and 4096",
                self.ingest.face_dimension
            ));
        }
        let face_thresholds = iz_wanted::FaceThresholdsConfig {
            default: self.faces.threshold,
            cameras: self.faces.cameras.clone(),
            groups: self.faces.groups.clone(),
        }
        .build()
        .map_err(|e| problems.extend(e.problems.into_iter().map(|p| format!("faces: {p}"))))
        .ok();
        if let Some(url) = &self.supervision.referral_webhook
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            problems.push(format!(
                "supervision.referral_webhook {url:?}: an http:// or https:// address is needed"
            ));
        }
        let places = match &self.supervision.places {
            Some(file) => read_places(file).unwrap_or_else(|found| {
                problems.extend(found);
                Vec::new()
            }),
            None => Vec::new(),
        };
        let grace = [
            ("open_after", self.supervision.policy.open_after),
            ("close_after", self.supervision.policy.close_after),
        ];
        for (name, g) in grace {
            if g.pings == 0 || g.seconds <= 0 {
                problems.push(format!(
                    "supervision.policy.{name}: pings and seconds must both be above 0"
                ));
            }
        }
        if self.fraud.propagate_every_s == 0 {
            problems.push("fraud.propagate_every_s must be above 0".into());
        }
        if let Some(file) = &self.fraud.config {
            match std::fs::read_to_string(file) {
                Ok(text) => {
                    if let Err(e) = iz_fraud::FraudConfig::from_toml(&text) {
                        problems.push(format!("fraud.config {}: {e}", file.display()));
                    }
                }
                Err(e) => problems.push(format!("fraud.config {}: {e}", file.display())),
            }
        }
        if self.store.backend != "sqlite" {
            problems.push(format!(
                "store.backend {:?}: only \"sqlite\" is available in this build",
                self.store.backend
            ));
        }
        let (Some(addr), Some(face_thresholds), true) =
            (addr, face_thresholds, problems.is_empty())
        else {
            return Err(problems);
        };
        let mut api = iz_api::ApiConfig {
            body_limit: self.server.body_limit_bytes,
            review_deadline: chrono::Duration::hours(self.server.review_deadline_hours),
            two_person_faces: self.server.two_person_faces,
            supervision: self.supervision.policy.clone(),
            referral_webhook: self.supervision.referral_webhook.clone(),
            places,
            fraud_config: self.fraud.config.clone(),
            fraud_propagate_every: std::time::Duration::from_secs(self.fraud.propagate_every_s),
            fraud_stream: self.fraud.nats_url.as_ref().map(|url| {
                iz_api::fraud_stream::FraudStreamConfig {
                    url: url.clone(),
                    stream: self.fraud.nats_stream.clone(),
                    subject: self.fraud.nats_subject.clone(),
                    refusals: self.fraud.nats_refusals.clone(),
                    consumer: iz_api::fraud_stream::FraudStreamConfig::new("").consumer,
                }
            }),
            ..iz_api::ApiConfig::default()
        };
        if self.server.workers > 0 {
            api.workers = self.server.workers;
            api.queue = self.server.workers * 2;
        }
        let ingest = iz_ingest::IngestConfig {
            time: iz_model::EventPolicy {
                max_ahead: chrono::Duration::seconds(self.ingest.max_ahead_seconds),
                face_dimension: self.ingest.face_dimension,
                ..iz_model::EventPolicy::default()
            },
            fold: iz_model::FoldPolicy {
                window: chrono::Duration::minutes(self.ingest.dedup_window_minutes),
            },
            seen_ids: self.ingest.seen_ids,
        };
        let sqlite = iz_store::SqliteOptions {
            synchronous_full: self.store.sync_every_commit,
            ..iz_store::SqliteOptions::default()
        };
        Ok(Settings {
            addr,
            api,
            ingest,
            sqlite,
            matching: Matching {
                face_dimension: self.ingest.face_dimension,
                face_thresholds,
            },
        })
    }
}

/// The SQLite file inside a data folder.
/// The place catalogue: one JSON object per line; every bad line is named, none is dropped
/// silently.
fn read_places(file: &Path) -> Result<Vec<iz_supervision::Place>, Vec<String>> {
    let name = file.display();
    let text = std::fs::read_to_string(file)
        .map_err(|e| vec![format!("supervision.places {name}: {e}")])?;
    let mut places = Vec::new();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<iz_supervision::Place>(line) {
            Ok(p) => {
                places.push(p);
                lines.push(n + 1);
            }
            Err(e) => problems.push(format!("supervision.places {name} line {}: {e}", n + 1)),
        }
    }
    // The catalogue checks positions and names each bad one by its index among the places.
    let (_, invalid) = iz_supervision::Places::new(places.clone());
    for p in invalid {
        let line =
            p.at.strip_prefix("places[")
                .and_then(|i| i.strip_suffix(']'))
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| lines.get(i));
        match line {
            Some(line) => problems.push(format!(
                "supervision.places {name} line {line}: {}: {}",
                p.code, p.message
            )),
            None => problems.push(format!("supervision.places {name}: {p}")),
        }
    }
    if problems.is_empty() {
        Ok(places)
    } else {
        Err(problems)
    }
}

pub fn database_path(data: &Path) -> PathBuf {
    data.join("iz.sqlite")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_build() {
        let settings = IzConfig::default().build().expect("defaults are valid");
        assert_eq!(settings.ingest.fold.window, chrono::Duration::minutes(30));
        assert_eq!(settings.addr.port(), 8080);
        assert_eq!(settings.api.review_deadline, chrono::Duration::hours(24));
    }

    #[test]
    fn the_review_deadline_is_configured_in_hours_and_checked() {
        let mut config = IzConfig::default();
        config.server.review_deadline_hours = 4;
        let settings = config.build().expect("valid");
        assert_eq!(settings.api.review_deadline, chrono::Duration::hours(4));
        config.server.review_deadline_hours = 0;
        let problems = config.build().expect_err("no deadline is no deadline");
        assert!(
            problems[0].contains("server.review_deadline_hours"),
            "{problems:?}"
        );
    }

    #[test]
    fn supervision_settings_come_from_the_file_and_a_bad_one_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("iz.toml");
        std::fs::write(
            &file,
            "[supervision]\nreferral_webhook = \"http://social.example/referrals\"\n[supervision.policy]\nopen_after = { pings = 3, seconds = 60 }\n",
        )
        .expect("write");
        let settings = IzConfig::load(Some(&file))
            .expect("loads")
            .build()
            .expect("valid");
        assert_eq!(
            settings.api.referral_webhook.as_deref(),
            Some("http://social.example/referrals")
        );
        assert_eq!(settings.api.supervision.open_after.pings, 3);
        assert_eq!(
            settings.api.supervision.close_after.pings, 3,
            "the rest keep their defaults"
        );

        let mut config = IzConfig::default();
        config.supervision.referral_webhook = Some("social.example".into());
        config.supervision.policy.close_after.pings = 0;
        let problems = config.build().expect_err("two problems");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("supervision.referral_webhook")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("supervision.policy.close_after")),
            "{problems:?}"
        );
    }

    #[test]
    fn every_section_of_the_file_can_be_set_from_the_environment() {
        let value = serde_json::to_value(IzConfig::default()).expect("serialises");
        let mut sections: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        sections.sort();
        let mut known = SECTIONS.to_vec();
        known.sort();
        assert_eq!(
            sections, known,
            "IZ_SECTION__KEY reaches only the sections listed"
        );
    }

    #[test]
    fn the_place_catalogue_is_read_from_json_lines_and_each_bad_line_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let places = dir.path().join("places.jsonl");
        std::fs::write(
            &places,
            concat!(
                r#"{"id": "bar-1", "name": "Bar on Abay", "category": "bar", "lat": 43.24, "lon": 76.95}"#,
                "\n\n",
                r#"{"id": "school-12", "category": "school", "lat": 43.25, "lon": 76.93}"#,
                "\n",
            ),
        )
        .expect("write");
        let mut config = IzConfig::default();
        config.supervision.places = Some(places.clone());
        let settings = config.build().expect("valid");
        let ids: Vec<&str> = settings.api.places.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["bar-1", "school-12"]);

        std::fs::write(
            &places,
            concat!(
                r#"{"id": "bar-1", "category": "bar", "lat": 43.24, "lon": 76.95}"#,
                "\n",
                r#"{"id": "bar-2", "category": "bar", "lat": 143.0, "lon": 76.95}"#,
                "\n",
                r#"{"id": "bar-3", "category": "bar"}"#,
                "\n",
            ),
        )
        .expect("write");
        let problems = config.build().expect_err("two bad lines");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("line 3"), "{problems:?}");
        assert!(problems[1].contains("line 2"), "{problems:?}");
        config.supervision.places = Some(dir.path().join("no-such-file"));
        let problems = config.build().expect_err("missing file");
        assert!(problems[0].contains("no-such-file"), "{problems:?}");
    }

    #[test]
    fn face_thresholds_come_from_the_file_and_a_bad_one_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("iz.toml");
        std::fs::write(
            &file,
            "[faces]\nthreshold = 0.55\ngroups = { airport = 0.7 }\ncameras = { \"AST-GATE-1\" = 0.8 }\n",
        )
        .expect("write");
        let settings = IzConfig::load(Some(&file))
            .expect("loads")
            .build()
            .expect("valid");
        let t = &settings.matching.face_thresholds;
        assert_eq!(t.threshold_for("AST-3", None).0, 0.55);
        assert_eq!(t.threshold_for("AST-3", Some("airport")).0, 0.7);
        assert_eq!(t.threshold_for("AST-GATE-1", Some("airport")).0, 0.8);

        let mut config = IzConfig::default();
        config.faces.cameras.insert("C-1".into(), 1.5);
        let problems = config.build().expect_err("out of range");
        assert!(problems[0].contains("\"C-1\""), "{problems:?}");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut config = IzConfig::default();
        config.server.addr = "nowhere".into();
        config.ingest.dedup_window_minutes = -1;
        config.store.backend = "oracle".into();
        let problems = config.build().expect_err("invalid");
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn a_file_and_the_environment_override_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("iz.toml");
        std::fs::write(&file, "[ingest]\ndedup_window_minutes = 10\n").expect("write");
        let config = IzConfig::load(Some(&file)).expect("loads");
        assert_eq!(config.ingest.dedup_window_minutes, 10);
        std::fs::write(&file, "[ingest]\ndedup_windw_minutes = 10\n").expect("write");
        assert!(
            IzConfig::load(Some(&file)).is_err(),
            "a misspelt key is an error"
        );
    }
}
