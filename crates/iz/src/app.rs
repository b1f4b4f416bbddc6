//! Composition: which store, which matchers, which server. Adding a capability means adding its
//! matcher to [`engine_factory`].

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use iz_api::App;
use iz_ingest::{EngineFactory, Pipeline};
use iz_match::{Engine, Matcher};
use iz_model::{Actor, Clock, Region, Role, SystemClock};
use iz_store::{SqliteOptions, SqliteStore, Store};

use crate::config::{IzConfig, Settings, database_path};

/// Every capability's matchers, built from the live watch entries.
pub fn engine_factory(matching: crate::config::Matching) -> EngineFactory {
    Box::new(move |entries| {
        let live = || entries.iter().map(|e| e.as_ref());
        Engine::new(vec![
            Box::new(iz_wanted::WantedMatcher::build(live())) as Box<dyn Matcher>,
            Box::new(iz_wanted::NameMatcher::build(
                live(),
                iz_wanted::DEFAULT_NAME_THRESHOLD,
            )),
            Box::new(iz_wanted::PlateMatcher::build(
                live(),
                iz_wanted::PlateThresholds::default(),
            )),
            Box::new(iz_wanted::FaceMatcher::build(
                live(),
                matching.face_dimension,
                matching.face_thresholds.clone(),
            )),
        ])
    })
}

pub fn open_store(data: &Path, options: SqliteOptions) -> anyhow::Result<Arc<SqliteStore>> {
    std::fs::create_dir_all(data)
        .with_context(|| format!("cannot create the data folder {}", data.display()))?;
    let path = database_path(data);
    let store = SqliteStore::open(&path, options)
        .with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Arc::new(store))
}

/// Opens the store of an existing data folder (commands that only read or add to it).
fn open_existing(data: &Path) -> anyhow::Result<Arc<SqliteStore>> {
    let path = database_path(data);
    anyhow::ensure!(
        path.exists(),
        "{} has no Iz data (no {}); run `iz serve --data {}` or `iz demo` first",
        data.display(),
        path.display(),
        data.display()
    );
    open_store(data, SqliteOptions::default())
}

pub fn settings(config_file: Option<&Path>, addr: Option<String>) -> anyhow::Result<Settings> {
    let mut config = IzConfig::load(config_file)?;
    if let Some(addr) = addr {
        config.server.addr = addr;
    }
    config.build().map_err(|problems| {
        anyhow::anyhow!(
            "the configuration is not valid:\n  - {}",
            problems.join("\n  - ")
        )
    })
}

pub fn build_app(store: Arc<dyn Store>, settings: &Settings) -> anyhow::Result<App> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let pipeline = Pipeline::new(
        store,
        engine_factory(settings.matching.clone()),
        settings.ingest.clone(),
        clock,
    )?;
    Ok(App::new(
        Arc::new(pipeline),
        settings.api.clone(),
        iz_api::metrics_handle(),
    ))
}

pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

pub fn serve(data: &Path, addr: Option<String>, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let settings = settings(config, addr)?;
    let store = open_store(data, settings.sqlite.clone())?;
    let rt = runtime()?;
    rt.block_on(async {
        let app = build_app(store, &settings)?;
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.addr))?;
        tracing::info!(addr = %listener.local_addr()?, data = %data.display(), "iz serving");
        app.run(listener, shutdown_signal()).await?;
        tracing::info!("iz stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Issues a token into a store; returns the secret.
pub fn issue_into(
    store: &dyn Store,
    role: Role,
    region: Option<Region>,
    label: &str,
    actor: &Actor,
) -> anyhow::Result<String> {
    let (secret, hash) = iz_api::new_token();
    store.add_token(hash, role, region, label, actor, chrono::Utc::now())?;
    Ok(secret)
}

pub fn parse_role(role: &str, region: Option<&str>) -> anyhow::Result<(Role, Option<Region>)> {
    let role = Role::parse(role)
        .with_context(|| format!("role {role:?} is not one of {}", Role::names()))?;
    let region = region.map(Region::parse).transpose()?;
    if role.is_regional() && region.is_none() {
        anyhow::bail!("an {role} token needs --region (e.g. --region KZ-75)");
    }
    if !role.is_regional() && region.is_some() {
        anyhow::bail!("an {role} token has no region; drop --region");
    }
    Ok((role, region))
}

pub fn issue_token(
    data: &Path,
    role: &str,
    region: Option<&str>,
    label: &str,
) -> anyhow::Result<ExitCode> {
    let (role, region) = parse_role(role, region)?;
    let store = open_store(data, SqliteOptions::default())?;
    let secret = issue_into(store.as_ref(), role, region, label, &Actor::system("cli"))?;
    eprintln!(
        "Issued a {role} token{}. It is shown once; Iz keeps only its hash.",
        region.map(|r| format!(" for {r}")).unwrap_or_default()
    );
    println!("{secret}");
    Ok(ExitCode::SUCCESS)
}

pub fn verify_audit(data: &Path) -> anyhow::Result<ExitCode> {
    let store = open_existing(data)?;
    match iz_store::verify_audit(store.as_ref())? {
        Ok(n) => {
            println!("audit log intact: {n} records, chain verified");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("audit log BROKEN at record {}: {e}", e.seq());
            Ok(ExitCode::from(1))
        }
    }
}

pub fn print_stats(data: &Path) -> anyhow::Result<ExitCode> {
    let store = open_existing(data)?;
    let stats = store.stats(chrono::Utc::now())?;
    println!("{}", serde_json::to_string_pretty(&stats)?);
    Ok(ExitCode::SUCCESS)
}

pub fn add_user(
    data: &Path,
    name: &str,
    role: &str,
    region: Option<&str>,
) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead, IsTerminal};
    let (role, region) = parse_role(role, region)?;
    anyhow::ensure!(
        role != Role::Ingest,
        "ingest is for systems, never the console: use `iz token issue --role ingest`"
    );
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty() && !name.contains(char::is_whitespace),
        "a user name is one word, without spaces"
    );
    let (password, generated) = if std::io::stdin().is_terminal() {
        (iz_api::auth::random_secret(), true)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    };
    let problems = iz_api::password::password_problems(&password);
    anyhow::ensure!(
        problems.is_empty(),
        "the password needs {}",
        problems.join(" and ")
    );
    let hash = iz_api::password::hash_password(&password)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    let store = open_store(data, SqliteOptions::default())?;
    let user = store.add_user(
        name,
        &hash,
        role,
        region,
        &Actor::system("cli"),
        chrono::Utc::now(),
    )?;
    eprintln!(
        "Added {} as {}{}.",
        user.name,
        user.role,
        user.region.map(|r| format!(" for {r}")).unwrap_or_default()
    );
    if generated {
        eprintln!("The generated password is shown once:");
        println!("{password}");
    }
    Ok(ExitCode::SUCCESS)
}
