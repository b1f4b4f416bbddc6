//! Scores an AMLSim folder and prints AUC and precision@k against its labels — a tuning aid;
//! the labels are read here, never by the crate. `cargo run --release -p iz-fraud --example
//! amlsim -- DIR [CONFIG.toml]`.
use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = &args[1];
    let rules = match args.get(2) {
        Some(p) => iz_fraud::FraudConfig::from_toml(&std::fs::read_to_string(p)?)?,
        None => iz_fraud::Rules::amlsim(),
    };
    let nodes_csv = std::fs::read(format!("{dir}/nodes.csv"))?;
    let nodes = iz_fraud::amlsim::read_nodes(&nodes_csv)?;
    let tx =
        iz_fraud::amlsim::read_transactions(&std::fs::read(format!("{dir}/transactions.csv"))?)?;
    let t0 = std::time::Instant::now();
    let (_, replay) = iz_fraud::amlsim::replay(&nodes, tx, rules);
    let el = t0.elapsed();
    let mut labels = HashMap::new();
    let mut r = csv::Reader::from_reader(nodes_csv.as_slice());
    for rec in r.records() {
        let rec = rec?;
        labels.insert(rec[0].to_string(), &rec[1] == "1");
    }
    let mut pos = Vec::new();
    let mut neg = Vec::new();
    for (n, s) in &replay.scores {
        if labels[n] {
            pos.push(*s)
        } else {
            neg.push(*s)
        }
    }
    neg.sort_by(f64::total_cmp);
    let mut tot = 0.0;
    for p in &pos {
        let lo = neg.partition_point(|x| x < p);
        let hi = neg.partition_point(|x| x <= p);
        tot += lo as f64 + (hi - lo) as f64 / 2.0;
    }
    let auc = tot / (pos.len() * neg.len()) as f64;
    let mut ranked = replay.scores.clone();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let k = pos.len();
    let hits = ranked[..k].iter().filter(|(n, _)| labels[n]).count();
    println!(
        "{dir}: AUC={auc:.4} P@k={:.4} replay={el:?}",
        hits as f64 / k as f64
    );
    Ok(())
}
