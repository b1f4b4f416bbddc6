//! A server killed in the middle of a stream loses nothing it acknowledged, and a client that
//! sends everything again after the restart gets exactly one hit per event.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use iz_store::{AlertFilter, SqliteOptions, SqliteStore, Store};

use crate::cli::{data_arg, iz};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn serve(data: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_iz"))
        .args([
            "serve",
            "--data",
            data,
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("IZ_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("iz serve starts")
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("iz serve did not become healthy");
}

/// Hits in the store: all of them, and those of the exact identifier matcher, which the
/// scenario's generator counts. (Name hits on guest books come on top; how many of them are
/// found is tested in `iz-wanted`'s scenario test and measured in `eval/names`, not here.)
fn hits_in_store(data: &std::path::Path) -> (u64, u64) {
    let store = SqliteStore::open(&data.join("iz.sqlite"), SqliteOptions::default()).expect("open");
    let alerts = store
        .list_alerts(&AlertFilter {
            limit: 10_000,
            ..Default::default()
        })
        .expect("alerts");
    let mut counts = (0, 0);
    for alert in alerts {
        for hit in store.alert_hits(alert.id).expect("hits") {
            counts.0 += 1;
            if hit.hit["matcher"] == iz_wanted::NAME {
                counts.1 += 1;
            }
        }
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_stream_loses_nothing_it_acknowledged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = data_arg(dir.path());
    assert!(
        iz(&["gen", "watchlist", "--wanted", "300", "--load", &data])
            .status
            .success()
    );
    let token =
        String::from_utf8(iz(&["token", "issue", "--data", &data, "--role", "ingest"]).stdout)
            .expect("utf-8");
    let token = token.lines().last().expect("token").to_string();
    let events = dir.path().join("events.ndjson");
    let out = iz(&[
        "gen",
        "events",
        "--wanted",
        "300",
        "--count",
        "40000",
        "--hit-share",
        "0.02",
        "--out",
        events.to_str().expect("path"),
    ]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    // "…: 712 by an identifier, 31 by name and birth date alone, …": the exact matcher's share.
    let expected: u64 = said
        .split(" by an identifier")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("gen reports its hits by identifier");
    assert!(expected > 100, "{said}");
    let text = std::fs::read_to_string(&events).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    let batches: Vec<String> = lines.chunks(400).map(|c| c.join("\n")).collect();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = serve(&data, port);
    wait_healthy(&client, &base).await;

    // Post until the server dies under us: it is killed while the 31st batch is in flight.
    let killed = Arc::new(AtomicBool::new(false));
    let pid = server.id();
    let mut killer = None;
    let mut acknowledged_hits = 0;
    let mut acknowledged_batches = 0;
    for (i, batch) in batches.iter().enumerate() {
        if i == 30 {
            let killed = Arc::clone(&killed);
            killer = Some(tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(3)).await;
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                killed.store(true, Ordering::SeqCst);
            }));
        }
        match client
            .post(format!("{base}/v1/events"))
            .bearer_auth(&token)
            .body(batch.clone())
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => {
                let report: serde_json::Value = r.json().await.expect("report");
                acknowledged_hits += report["hits"].as_u64().expect("hits");
                acknowledged_batches += 1;
            }
            _ => break,
        }
    }
    let killer = killer.expect("the kill was started");
    killer.await.expect("killer");
    let _ = server.wait();
    assert!(killed.load(Ordering::SeqCst));
    assert!(
        acknowledged_batches > 0 && acknowledged_batches < batches.len(),
        "the kill came mid-stream ({acknowledged_batches} of {})",
        batches.len()
    );
    assert!(
        hits_in_store(dir.path()).0 >= acknowledged_hits,
        "every acknowledged hit survived a kill -9"
    );

    // Restart and send everything again, as a client that cannot know what arrived would.
    let mut server = serve(&data, port);
    wait_healthy(&client, &base).await;
    for batch in &batches {
        let r = client
            .post(format!("{base}/v1/events"))
            .bearer_auth(&token)
            .body(batch.clone())
            .send()
            .await
            .expect("post");
        assert!(r.status().is_success());
    }
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let status = server.wait().expect("exit");
    assert!(status.success(), "SIGTERM stops the server cleanly");
    assert_eq!(
        hits_in_store(dir.path()).1,
        expected,
        "exactly one hit per event that concerns a live wanted person"
    );
    let out = iz(&["audit", "verify", "--data", &data]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
