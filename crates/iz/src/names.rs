//! `iz names`: scoring and explaining name pairs with `iz-names`, for evaluation files and for a
//! person checking one pair by hand.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use iz_names::{How, Person, Score, explain, score_value};

#[derive(Subcommand)]
pub enum NamesCommand {
    /// Score name pairs: reads CSV with a header `a,b` (more columns are ignored) and writes
    /// `a,b,score` to standard output, one row per input row. A bad row is reported on standard
    /// error with its line number and written with an empty score.
    Score {
        /// The CSV file, or - for standard input.
        #[arg(long)]
        input: PathBuf,
    },
    /// Explain the score of two names: which words aligned with which, and how.
    Explain {
        a: String,
        b: String,
        /// Print the explanation as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: NamesCommand) -> anyhow::Result<ExitCode> {
    match command {
        NamesCommand::Score { input } => score(&input),
        NamesCommand::Explain { a, b, json } => {
            let s = explain(&Person::new(&a, None, None), &Person::new(&b, None, None));
            let mut out = io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &s)?;
                writeln!(out)?;
            } else {
                write_explanation(&mut out, &a, &b, &s)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn score(input: &PathBuf) -> anyhow::Result<ExitCode> {
    let reader: Box<dyn Read> = if input.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(input)
                .with_context(|| format!("cannot open {}", input.display()))?,
        )
    };
    let mut csv_in = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let headers = csv_in
        .headers()
        .context("cannot read the CSV header")?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
    };
    let (Some(ia), Some(ib)) = (col("a"), col("b")) else {
        anyhow::bail!("the CSV header must name the columns a and b, it is {headers:?}");
    };
    let mut out = csv::Writer::from_writer(io::stdout().lock());
    out.write_record(["a", "b", "score"])?;
    let mut bad = 0usize;
    let mut record = csv::ByteRecord::new();
    loop {
        let line = csv_in.position().line();
        match csv_in.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                let field = |i: usize| record.get(i).map(|f| std::str::from_utf8(f));
                match (field(ia), field(ib)) {
                    (Some(Ok(a)), Some(Ok(b))) => {
                        let s =
                            score_value(&Person::new(a, None, None), &Person::new(b, None, None));
                        out.write_record([a, b, &format!("{s:.4}")])?;
                    }
                    (fa, fb) => {
                        bad += 1;
                        let why = if fa.is_none() || fb.is_none() {
                            "the row has no column a or b"
                        } else {
                            "the row is not UTF-8"
                        };
                        eprintln!("line {line}: {why}");
                        let lossy = |i: usize| {
                            record
                                .get(i)
                                .map(|f| String::from_utf8_lossy(f).into_owned())
                                .unwrap_or_default()
                        };
                        out.write_record([lossy(ia), lossy(ib), String::new()])?;
                    }
                }
            }
            Err(e) => {
                bad += 1;
                let line = e.position().map_or(line, |p| p.line());
                eprintln!("line {line}: {e}");
                out.write_record(["", "", ""])?;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
    out.flush()?;
    if bad > 0 {
        eprintln!("{bad} bad rows written with an empty score");
    }
    Ok(ExitCode::SUCCESS)
}

fn how(h: How) -> &'static str {
    match h {
        How::Exact => "exact",
        How::SameKey => "same transliteration key",
        How::Fuzzy => "fuzzy",
        How::Initial => "initial",
        How::Patronymic => "patronymic",
        How::GenderEnding => "gender ending only",
        How::NameVariant => "one name in two languages",
        How::Weak => "weakly alike (not aligned)",
    }
}

fn write_explanation(out: &mut impl Write, a: &str, b: &str, s: &Score) -> io::Result<()> {
    writeln!(out, "score {:.3}  ({a} / {b})", s.score)?;
    writeln!(out, "names {:.3}", s.name_score)?;
    for al in &s.aligned {
        writeln!(
            out,
            "  {:<20} ~ {:<20} {} ({:.2})",
            al.a,
            al.b,
            how(al.how),
            al.similarity
        )?;
    }
    for t in &s.unmatched_a {
        writeln!(out, "  {t:<20} ~ {:<20} unmatched", "-")?;
    }
    for t in &s.unmatched_b {
        writeln!(out, "  {:<20} ~ {t:<20} unmatched", "-")?;
    }
    Ok(())
}
