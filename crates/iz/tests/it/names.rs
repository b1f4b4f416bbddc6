//! `iz names`: scoring CSV pairs and explaining one pair.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::cli::iz;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn names_score_writes_one_scored_row_per_input_row_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("pairs.csv");
    std::fs::write(
        &input,
        "a,b,label\n\
         Тоқаев Қасым-Жомарт,\"TOKAYEV, KASSYM-ZHOMART\",1\n\
         only one column\n\
         Иванов Иван,Смирнов Пётр,0\n",
    )
    .expect("write");
    let out = iz(&["names", "score", "--input", input.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let header = rows.headers().expect("header").clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), ["a", "b", "score"]);
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][1], "TOKAYEV, KASSYM-ZHOMART");
    let first: f64 = rows[0][2].parse().expect("a score");
    assert!(first >= 0.9, "{first}");
    assert_eq!(&rows[1][2], "", "a bad row gets an empty score");
    let third: f64 = rows[2][2].parse().expect("a score");
    assert!(third < 0.5, "{third}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 3"),
        "the bad row is named by its line: {stderr}"
    );
}

#[test]
fn names_score_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iz"))
        .args(["names", "score", "--input", "-"])
        .env("IZ_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("iz runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("a,b\nTokajew Kassym,Токаев Қасым\n".as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("iz ends");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let last = stdout.lines().nth(1).expect("a row");
    assert!(
        last.starts_with("Tokajew Kassym,Токаев Қасым,0.9"),
        "{stdout}"
    );
}

#[test]
fn names_explain_prints_the_alignment_and_json() {
    let out = iz(&["names", "explain", "Е. Тоқаев Кемелұлы", "Tokayev Yerlan"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("score "), "{stdout}");
    assert!(stdout.contains("same transliteration key"), "{stdout}");
    assert!(stdout.contains("initial"), "{stdout}");
    assert!(stdout.contains("unmatched"), "{stdout}");
    let out = iz(&["names", "explain", "--json", "Тоқаев", "Tokayev"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["score"].as_f64().is_some_and(|s| s > 0.9), "{v}");
    assert_eq!(v["aligned"][0]["how"], "same_key");
}
