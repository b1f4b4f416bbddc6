//! `iz fraud score-accounts`: replay an AMLSim sample through `iz-fraud`'s detectors and print
//! every account's dropper score.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use iz_fraud::{FraudConfig, Rules, amlsim};

#[derive(Subcommand)]
pub enum FraudCommand {
    /// Dropper (money-mule) scores for every account of an AMLSim sample: CSV `account,score`.
    #[command(
        long_about = "Reads an AMLSim sample folder: `nodes.csv` (column `nodeid`; the label columns isFraud and \
fraudStep are never read) and `transactions.csv` (columns sourceNodeId, targetNodeId, value, time found by name; \
more columns ignored). Replays the transfers in time order (a step is taken as one day, values as tenge) through the \
anti-fraud detectors, spreads suspicion over the transaction graph, and writes `account,score` to standard output \
for every node in nodes.csv order, the score in 0..1 (higher: more like a dropper).\n\n\
Without --config the AMLSim profile is used: the defaults with pass-through, fan-in and fan-out weighted 0 (a \
day-step clock cannot measure minutes) and structuring from 2 transfers. With --config FILE (TOML) that file's \
rules are used; an invalid file is refused whole (exit 2) with every problem listed.",
        after_help = "Example:\n  $ iz fraud score-accounts --amlsim /tmp/20K_fanin200 > scores.csv\n  $ head -3 scores.csv\n  account,score\n  0,0.0000\n  1,0.2113"
    )]
    ScoreAccounts(ScoreArgs),
    /// Publishes an NDJSON file of anti-fraud events to NATS JetStream, in messages of
    /// `--batch` lines, each acknowledged by the stream, for `iz serve` with `[fraud] nats_url`.
    #[command(
        after_help = "Example:\n  $ iz gen fraud -o wave.ndjson\n  $ iz fraud publish wave.ndjson --nats nats://127.0.0.1:4222\n  published 61574 lines in 62 messages to iz.fraud.events (stream IZ_FRAUD) in 0.4 s"
    )]
    Publish(crate::fraud_publish::PublishArgs),
}

#[derive(Args)]
pub struct ScoreArgs {
    /// The AMLSim sample folder (nodes.csv, transactions.csv).
    #[arg(long)]
    amlsim: PathBuf,
    /// Rules (TOML); the AMLSim profile when absent.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Also print why, for the N highest-scoring accounts, on standard error.
    #[arg(long, default_value_t = 0)]
    explain: usize,
}

pub fn run(command: FraudCommand) -> anyhow::Result<ExitCode> {
    match command {
        FraudCommand::ScoreAccounts(args) => score_accounts(&args),
        FraudCommand::Publish(args) => crate::fraud_publish::run(&args),
    }
}

fn score_accounts(args: &ScoreArgs) -> anyhow::Result<ExitCode> {
    let rules = match &args.config {
        None => Rules::amlsim(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            FraudConfig::from_toml(&text)
                .with_context(|| format!("configuration {} refused", path.display()))?
        }
    };
    let read = |name: &str| {
        let path = args.amlsim.join(name);
        std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let nodes = amlsim::read_nodes(&read("nodes.csv")?)?;
    let transfers = amlsim::read_transactions(&read("transactions.csv")?)?;
    let (centre, replay) = amlsim::replay(&nodes, transfers, rules);
    for (row, why) in &replay.refused {
        eprintln!("transactions.csv:{row}: refused: {why}");
    }
    let out = io::stdout();
    let mut out = BufWriter::new(out.lock());
    writeln!(out, "account,score")?;
    for (account, score) in &replay.scores {
        writeln!(out, "{account},{score:.6}")?;
    }
    out.flush()?;
    if args.explain > 0 {
        let mut ranked: Vec<_> = replay.scores.iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (account, _) in ranked.into_iter().take(args.explain) {
            let key = iz_fraud::AccountRef::new(amlsim::BANK, account.clone());
            if let Some((score, reasons)) = centre.score(&key) {
                eprintln!("{account} {score:.3}");
                for r in reasons {
                    eprintln!("  {} +{:.3}: {}", r.indicator, r.contribution, r.detail);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
