//! # iz: the command line of Iz
//!
//! One binary for every deployment shape and chore: `iz serve` runs the embedded server (one
//! SQLite file in a data folder), `iz demo` runs it with a generated scenario streaming in,
//! `iz gen` writes scenarios as NDJSON, `iz ingest` posts NDJSON files in batches, `iz token`
//! issues API tokens, `iz audit verify` checks the audit chain, `iz stats` prints counts, and
//! `iz names` scores and explains name pairs, `iz geo locate` says which zones contain each point, and `iz fraud score-accounts` scores
//! every account of an AMLSim sample for money-mule behaviour.
//! This is the only crate that uses `anyhow`; everything below it has typed errors.

mod app;
mod config;
mod demo;
mod fraud;
mod fraud_publish;
mod generate;
mod geo;
mod ingest;
mod names;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "iz",
    version,
    about = "Iz (із, \"trace\"): events in, lawful watch-lists, alerts for a person to decide, everything audited.",
    long_about = "Iz takes in events from registries (public services, tickets, hotels, borders), matches them against \
lawful watch-lists, and puts every hit in front of a person with its evidence and legal basis.\n\n\
Start here:\n  iz demo                      # a live demo on 127.0.0.1:8080 with a generated scenario\n  \
iz serve --data ./iz-data    # the embedded server\n  iz token issue --data ./iz-data --role admin",
    after_help = "Configuration: defaults < --config FILE (TOML) < IZ_SECTION__KEY environment variables < flags.\n\
Sections: [server] addr, body_limit_bytes, workers, review_deadline_hours, two_person_faces; [ingest] dedup_window_minutes, max_ahead_seconds, seen_ids, face_dimension; \
[store] backend, sync_every_commit; [faces] threshold, groups, cameras."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API from a data folder (created if missing).
    Serve {
        /// The data folder (holds iz.sqlite).
        #[arg(long, env = "IZ_DATA")]
        data: PathBuf,
        /// Address to listen on, e.g. 127.0.0.1:8080 (overrides the configuration).
        #[arg(long)]
        addr: Option<String>,
        /// A TOML configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Run a live demo: serve, load a generated scenario of 10,000 wanted entries, stream events
    /// in over HTTP and print each alert as it happens. Ctrl-C stops; running it again reuses the data.
    Demo(demo::DemoArgs),
    /// Write a seeded scenario as NDJSON: events (for `iz ingest`) or watch entries.
    Gen(generate::GenArgs),
    /// Post an NDJSON file (or - for stdin) to a server in batches, with progress.
    Ingest(ingest::IngestArgs),
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Console users (people; systems get tokens).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Match person names across scripts: score CSV pairs, or explain one pair.
    Names {
        #[command(subcommand)]
        command: names::NamesCommand,
    },
    /// Zones: which zones (GeoJSON) contain each point of a CSV file.
    Geo {
        #[command(subcommand)]
        command: geo::GeoCommand,
    },
    /// The anti-fraud centre: AMLSim dropper scores, and publishing events to NATS JetStream.
    Fraud {
        #[command(subcommand)]
        command: fraud::FraudCommand,
    },
    /// Print counts of events, hits, alerts, watch entries and precision per source.
    Stats {
        #[arg(long, env = "IZ_DATA")]
        data: PathBuf,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue a token and print it as the last line (works while the server runs).
    Issue {
        #[arg(long, env = "IZ_DATA")]
        data: PathBuf,
        /// admin, operator, ingest, probation_officer, analyst or prosecutor.
        #[arg(long)]
        role: String,
        /// The region of an operator, e.g. KZ-75 (ISO 3166-2:KZ).
        #[arg(long)]
        region: Option<String>,
        /// A note on who holds the token.
        #[arg(long, default_value = "")]
        label: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a console user. The password is read from standard input (one line, at least 12
    /// characters), e.g. `printf '%s\n' "$PW" | iz user add …`; from a terminal, a strong one is
    /// generated and printed once.
    Add {
        #[arg(long, env = "IZ_DATA")]
        data: PathBuf,
        /// The sign-in name.
        #[arg(long)]
        name: String,
        /// admin, operator, probation_officer, analyst or prosecutor.
        #[arg(long)]
        role: String,
        /// The region of an operator or probation officer, e.g. KZ-75.
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain; exits non-zero naming the first bad record.
    Verify {
        #[arg(long, env = "IZ_DATA")]
        data: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = matches!(
        cli.command,
        Command::Token { .. }
            | Command::User { .. }
            | Command::Audit { .. }
            | Command::Stats { .. }
            | Command::Gen(_)
            | Command::Names { .. }
            | Command::Geo { .. }
            | Command::Fraud { .. }
    );
    init_logs(quiet);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logs(quiet: bool) {
    let default = if quiet { "warn" } else { "info" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("IZ_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { data, addr, config } => app::serve(&data, addr, config.as_deref()),
        Command::Demo(args) => demo::run(args),
        Command::Gen(args) => generate::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Token {
            command:
                TokenCommand::Issue {
                    data,
                    role,
                    region,
                    label,
                },
        } => app::issue_token(&data, &role, region.as_deref(), &label),
        Command::Audit {
            command: AuditCommand::Verify { data },
        } => app::verify_audit(&data),
        Command::Stats { data } => app::print_stats(&data),
        Command::Names { command } => names::run(command),
        Command::Geo { command } => geo::run(command),
        Command::Fraud { command } => fraud::run(command),
        Command::User {
            command:
                UserCommand::Add {
                    data,
                    name,
                    role,
                    region,
                },
        } => app::add_user(&data, &name, &role, region.as_deref()),
    }
}
