//! A server on port 0 with a manual clock, tokens for each role, and a small client.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use iz_api::{ApiConfig, App};
use iz_ingest::{IngestConfig, Pipeline};
use iz_match::{Engine, Matcher};
use iz_model::{Actor, ManualClock, Region, Role};
use iz_store::{SqliteOptions, SqliteStore, Store};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const IIN: &str = "900514300121";
pub const OTHER_IIN: &str = "881122400450";

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

pub struct Server {
    pub base: String,
    pub store: Arc<SqliteStore>,
    pub clock: Arc<ManualClock>,
    pub admin: String,
    pub ingest: String,
    pub almaty: String,
    pub astana: String,
    pub prosecutor: String,
    pub analyst: String,
    pub probation: String,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

fn factory() -> iz_ingest::EngineFactory {
    Box::new(|entries| {
        let live = || entries.iter().map(|e| e.as_ref());
        Engine::new(vec![
            Box::new(iz_wanted::WantedMatcher::build(live())) as Box<dyn Matcher>,
            Box::new(iz_wanted::PlateMatcher::build(
                live(),
                iz_wanted::PlateThresholds::default(),
            )) as Box<dyn Matcher>,
            Box::new(iz_wanted::FaceMatcher::build(
                live(),
                512,
                iz_wanted::FaceThresholds::uniform(iz_wanted::DEFAULT_FACE_THRESHOLD)
                    .expect("a valid threshold"),
            )) as Box<dyn Matcher>,
        ])
    })
}

impl Server {
    pub async fn start() -> Server {
        Self::start_with(ApiConfig {
            workers: 2,
            queue: 4,
            ..ApiConfig::default()
        })
        .await
    }

    pub async fn start_with(config: ApiConfig) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(
            SqliteStore::open(&dir.path().join("iz.sqlite"), SqliteOptions::default())
                .expect("store"),
        );
        let clock = Arc::new(ManualClock::at(t0()));
        let token = |role: Role, region: Option<&str>| {
            let (secret, hash) = iz_api::new_token();
            store
                .add_token(
                    hash,
                    role,
                    region.map(|r| Region::parse(r).expect("region")),
                    "test",
                    &Actor::system("test"),
                    t0(),
                )
                .expect("token");
            secret
        };
        let (admin, ingest, almaty, astana) = (
            token(Role::Admin, None),
            token(Role::Ingest, None),
            token(Role::Operator, Some("KZ-75")),
            token(Role::Operator, Some("KZ-71")),
        );
        let (prosecutor, analyst) = (token(Role::Prosecutor, None), token(Role::Analyst, None));
        let probation = token(Role::ProbationOfficer, Some("KZ-75"));
        let pipeline = Pipeline::new(
            store.clone(),
            factory(),
            IngestConfig {
                seen_ids: 10_000,
                ..IngestConfig::default()
            },
            clock.clone(),
        )
        .expect("pipeline");
        let app = App::new(Arc::new(pipeline), config, iz_api::metrics_handle());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(app.run(listener, async move {
            let _ = stopped.await;
        }));
        Server {
            base,
            store,
            clock,
            admin,
            ingest,
            almaty,
            astana,
            prosecutor,
            analyst,
            probation,
            client: reqwest::Client::new(),
            stop: Some(stop),
            task: Some(task),
            _dir: dir,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &str) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body.to_string()))
            .await
    }

    /// Adds the standard wanted entry (IIN 900514300121, region KZ-75) and returns its id.
    pub async fn add_wanted(&self, iin: &str, category: &str) -> i64 {
        let (status, body) = self
            .post("/v1/watchlist", &self.admin, &entry_json(iin, category))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().expect("id")
    }

    pub async fn post_events(&self, lines: &[String]) -> (StatusCode, Value) {
        self.post("/v1/events", &self.ingest, &lines.join("\n"))
            .await
    }

    pub fn store_path(&self) -> std::path::PathBuf {
        self._dir.path().join("iz.sqlite")
    }

    pub async fn stop(mut self) -> Arc<SqliteStore> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("join").expect("server ran");
        }
        self.store.clone()
    }
}

pub fn entry_json(iin: &str, category: &str) -> String {
    json!({
        "kind": "wanted",
        "person": {"iin": iin, "names": ["Асанов Ерлан Серікұлы"], "documents": [{"type": "passport", "number": "N12345678"}]},
        "legal_basis": {"kind": "warrant", "reference": "W-2026-0001", "authority": "Almaty city court", "issued_on": "2026-10-01"},
        "expires_at": "2027-10-01T00:00:00Z",
        "region": "KZ-75",
        "priority": "high",
        "category": category,
    })
    .to_string()
}

/// One event line: `id`, source, minutes after t0, region, subject JSON.
pub fn event(id: &str, source: &str, minutes: i64, region: &str, subject: Value) -> String {
    json!({
        "id": id, "kind": "service_request", "source": source,
        "occurred_at": (t0() + chrono::Duration::minutes(minutes)).to_rfc3339(),
        "place": {"region": region, "lat": 43.238, "lon": 76.945, "office": "CON-12"},
        "subject": subject,
    })
    .to_string()
}

pub fn by_iin(iin: &str) -> Value {
    json!({"iin": iin})
}
