//! The domain and the matchers stay free of I/O: no async runtime, HTTP, SQL or bus client may
//! enter their dependency tree.

use std::process::Command;

const FORBIDDEN: [&str; 9] = [
    "tokio",
    "hyper",
    "axum",
    "reqwest",
    "rusqlite",
    "libsqlite3-sys",
    "async-nats",
    "postgres",
    "sqlx",
];

#[test]
fn domain_crates_depend_on_no_io() {
    for krate in [
        "iz-model",
        "iz-match",
        "iz-wanted",
        "iz-audit",
        "iz-scenario",
        "iz-names",
        "iz-plates",
        "iz-faces",
        "iz-geo",
        "iz-supervision",
        "iz-drones",
        "iz-fraud",
    ] {
        let out = Command::new(env!("CARGO"))
            .args([
                "tree",
                "--offline",
                "-p",
                krate,
                "-e",
                "normal",
                "--prefix",
                "none",
                "--format",
                "{p}",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "cargo tree -p {krate}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tree = String::from_utf8_lossy(&out.stdout);
        assert!(tree.lines().count() > 1, "{krate} has a dependency tree");
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            assert!(
                !FORBIDDEN.contains(&name),
                "{krate} depends on {name}: the domain must stay pure"
            );
        }
    }
}
