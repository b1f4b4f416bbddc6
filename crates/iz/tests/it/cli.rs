//! Commands as a person types them.

use std::path::Path;
use std::process::{Command, Output};

pub fn iz(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iz"))
        .args(args)
        .env("IZ_LOG", "warn")
        .output()
        .expect("iz runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn data_arg(dir: &Path) -> String {
    dir.to_str().expect("utf-8 path").to_string()
}

#[test]
fn token_issue_prints_the_token_as_its_last_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = data_arg(dir.path());
    let out = iz(&[
        "token", "issue", "--data", &data, "--role", "operator", "--region", "KZ-75",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().expect("a line");
    assert!(last.starts_with("iz_") && last.len() > 40, "{stdout}");
    let out = iz(&["token", "issue", "--data", &data, "--role", "operator"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--region"),
        "the error says what is missing"
    );
    let out = iz(&["token", "issue", "--data", &data, "--role", "superuser"]);
    assert!(!out.status.success());
}

fn tamper(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(sql).expect("tamper");
}

/// A data folder with a short audit log: three tokens, twenty wanted persons and the two
/// wanted vehicles the scenario ties to them.
fn audited_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = data_arg(dir.path());
    for role in ["admin", "ingest", "admin"] {
        assert!(
            iz(&["token", "issue", "--data", &data, "--role", role])
                .status
                .success()
        );
    }
    let out = iz(&["gen", "watchlist", "--wanted", "20", "--load", &data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

fn verify(dir: &Path) -> (bool, String) {
    let out = iz(&["audit", "verify", "--data", &data_arg(dir)]);
    (out.status.success(), text(&out.stdout) + &text(&out.stderr))
}

#[test]
fn audit_verify_passes_an_intact_log_and_names_the_first_changed_record() {
    let dir = audited_folder();
    let (ok, said) = verify(dir.path());
    assert!(ok, "{said}");
    assert!(said.contains("25 records"), "{said}");
    tamper(
        &dir.path().join("iz.sqlite"),
        "UPDATE audit SET actor = 'someone else' WHERE seq = 5;",
    );
    let (ok, said) = verify(dir.path());
    assert!(!ok);
    assert!(said.contains("record 5"), "{said}");
}

#[test]
fn audit_verify_catches_a_removed_record() {
    let dir = audited_folder();
    tamper(
        &dir.path().join("iz.sqlite"),
        "DELETE FROM audit WHERE seq = 7;",
    );
    let (ok, said) = verify(dir.path());
    assert!(!ok);
    assert!(said.contains("record 7"), "{said}");
}

#[test]
fn audit_verify_catches_reordered_records() {
    let dir = audited_folder();
    tamper(
        &dir.path().join("iz.sqlite"),
        "UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -1;",
    );
    let (ok, said) = verify(dir.path());
    assert!(!ok);
    assert!(said.contains("record 3"), "{said}");
}

#[test]
fn audit_verify_catches_records_cut_off_the_end() {
    let dir = audited_folder();
    tamper(
        &dir.path().join("iz.sqlite"),
        "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit);",
    );
    let (ok, said) = verify(dir.path());
    assert!(!ok, "{said}");
}

#[test]
fn gen_is_seeded_and_deterministic() {
    let run = |seed: &str| {
        let out = iz(&[
            "gen",
            "events",
            "--seed",
            seed,
            "--count",
            "2000",
            "--start",
            "2026-11-25T00:00:00Z",
            "--hit-share",
            "0.01",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        out.stdout
    };
    let a = run("7");
    assert_eq!(a, run("7"));
    assert_ne!(a, run("8"));
    assert_eq!(a.iter().filter(|b| **b == b'\n').count(), 2000);
}

#[test]
fn demo_finds_wanted_persons_live_and_reuses_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = data_arg(dir.path());
    let args = [
        "demo",
        "--data",
        &data,
        "--addr",
        "127.0.0.1:0",
        "--seconds",
        "4",
        "--rate",
        "3000",
        "--hit-share",
        "0.01",
    ];
    let out = iz(&args);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout.contains("Loaded a scenario of 10000 wanted persons and 1009 wanted vehicles"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ALERT #") || stdout.contains("MISSING PERSON FOUND"),
        "alerts are printed live:\n{stdout}"
    );
    assert!(stdout.contains("Stopped cleanly"), "{stdout}");
    let again = iz(&args);
    let stdout = text(&again.stdout);
    assert!(again.status.success());
    assert!(stdout.contains("Reusing the data"), "{stdout}");
    let (ok, said) = verify(dir.path());
    assert!(ok, "{said}");
}

fn user_add(data: &str, args: &[&str], password: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_iz"))
        .args(["user", "add", "--data", data])
        .args(args)
        .env("IZ_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("iz runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write");
    child.wait_with_output().expect("output")
}

#[test]
fn user_add_takes_the_password_from_stdin_and_refuses_what_it_must() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = data_arg(dir.path());
    let ok = user_add(
        &data,
        &[
            "--name", "aigerim", "--role", "operator", "--region", "KZ-75",
        ],
        "a long enough passphrase",
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let again = user_add(
        &data,
        &["--name", "aigerim", "--role", "admin"],
        "a long enough passphrase",
    );
    assert!(!again.status.success(), "a taken name");
    let short = user_add(&data, &["--name", "bolat", "--role", "admin"], "short");
    assert!(!short.status.success());
    assert!(
        text(&short.stderr).contains("12 characters"),
        "{}",
        text(&short.stderr)
    );
    let ingest = user_add(
        &data,
        &["--name", "bank", "--role", "ingest"],
        "a long enough passphrase",
    );
    assert!(!ingest.status.success());
    assert!(
        text(&ingest.stderr).contains("token"),
        "{}",
        text(&ingest.stderr)
    );
    let (ok, said) = verify(dir.path());
    assert!(ok, "{said}");
}
