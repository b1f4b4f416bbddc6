//! A fraud wave among ordinary bank traffic, as the anti-fraud centre would receive it from
//! banks and operators: customers' accounts (opened at a branch, years ago) paying each other
//! and their shops; money mules (opened remotely days ago) that fifteen or so victims pay
//! within hours, each payment passed on within minutes; victims called from a SIP gateway just
//! before they pay; and SIM boxes calling hundreds of numbers in short calls from one cell.
//!
//! Events come out as JSON in the shape of `POST /v1/fraud/events` (tagged by `kind`), in time
//! order, ending at `now`. The truth (which accounts are mules, which numbers SIM boxes) comes
//! with them, for the demo's printout and the benches; the centre never sees it.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::rng::Rng;

/// How big a wave.
#[derive(Debug, Clone)]
pub struct FraudWaveConfig {
    pub seed: u64,
    /// Ordinary customers (each with one account and a phone).
    pub customers: usize,
    /// Ordinary transfers among them over the period.
    pub transfers: usize,
    /// Money mules, each fed by about fifteen victims.
    pub mules: usize,
    /// SIM boxes, each making a few hundred short calls.
    pub sim_boxes: usize,
    /// The period the events span, ending at `now`.
    pub hours: i64,
}

impl Default for FraudWaveConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            customers: 20_000,
            transfers: 40_000,
            mules: 20,
            sim_boxes: 2,
            hours: 6,
        }
    }
}

/// The events, in time order, and the truth behind them.
#[derive(Debug, Clone, Default)]
pub struct FraudWave {
    /// `(time, event)`, ascending.
    pub events: Vec<(DateTime<Utc>, Value)>,
    pub mules: Vec<String>,
    pub sim_boxes: Vec<String>,
    /// Victims' transfers to mules, for decision benches: `(transaction id, payer, mule)`.
    pub fraud_transfers: usize,
}

const BANKS: [&str; 5] = ["KASPI", "HALYK", "FORTE", "JUSAN", "BCC"];

fn account(bank: &str, n: &str) -> Value {
    json!({ "bank": bank, "account": n })
}

fn customer(i: usize) -> (String, String) {
    (
        BANKS[i % BANKS.len()].to_string(),
        format!("KZ{:016}", 1_000_000 + i),
    )
}

fn phone(i: usize) -> String {
    format!("+7701{:07}", i % 10_000_000)
}

/// A valid-looking IIN for the generated owner (the centre stores none of it).
fn iin(i: usize) -> String {
    format!("{:012}", 800_101_300_000u64 + i as u64)
}

impl FraudWave {
    pub fn generate(config: &FraudWaveConfig, now: DateTime<Utc>) -> FraudWave {
        let mut rng = Rng::new(&[config.seed, 0xf4a0d]);
        let start = now - Duration::hours(config.hours);
        let span_s = (config.hours * 3_600).max(1);
        let mut wave = FraudWave::default();
        let push = |wave: &mut FraudWave, at: DateTime<Utc>, e: Value| wave.events.push((at, e));
        let customers = config.customers.max(2);

        // Openings: customers at a branch years ago (one event each, dated at the start so the
        // centre knows their phones), mules remotely within the last days.
        for i in 0..customers {
            let (bank, n) = customer(i);
            push(
                &mut wave,
                start,
                json!({ "kind": "account_opened", "account": account(&bank, &n), "owner_iin": iin(i),
                "at": (start - Duration::days(400 + (i % 2_000) as i64)).to_rfc3339(), "channel": "branch", "phone": phone(i) }),
            );
        }
        let mut tx = 0u64;
        let mut transfer = |wave: &mut FraudWave,
                            at: DateTime<Utc>,
                            from: Value,
                            to: Value,
                            tenge: i64| {
            tx += 1;
            let e = json!({ "kind": "transaction", "id": format!("T{tx:09}"), "at": at.to_rfc3339(), "from": from, "to": to,
                "amount_tiyn": tenge * 100, "currency": "KZT", "channel": "phone_transfer" });
            push(wave, at, e);
        };

        // Ordinary traffic: customers pay a few regular counterparties (family, landlord, shop).
        for _ in 0..config.transfers {
            let a = rng.index(customers);
            let b = (a + 1 + rng.index(5) * 997) % customers;
            if a == b {
                continue;
            }
            let at = start + Duration::seconds(rng.range(0, span_s));
            let (ba, na) = customer(a);
            let (bb, nb) = customer(b);
            let tenge = 500 + rng.range(0, 60_000);
            transfer(&mut wave, at, account(&ba, &na), account(&bb, &nb), tenge);
        }

        // Mules: opened remotely days ago; victims are called from a SIP gateway, then pay them
        // within minutes; each payment passes on within a minute or two to a cash-out account.
        for m in 0..config.mules {
            let bank = BANKS[m % BANKS.len()];
            let mule = format!("KZ9{:015}", 500_000 + m);
            wave.mules.push(format!("{bank}/{mule}"));
            let opened = start - Duration::days(1 + rng.range(0, 5));
            push(
                &mut wave,
                start,
                json!({ "kind": "account_opened", "account": account(bank, &mule), "owner_iin": iin(900_000 + m),
                "at": opened.to_rfc3339(), "channel": "remote" }),
            );
            let gateway = format!("+7727{:07}", 3_000_000 + m);
            let victims = 12 + rng.index(8);
            let t0 = start + Duration::seconds(rng.range(0, span_s - 4 * 3_600).max(0));
            for v in 0..victims {
                let victim = rng.index(customers);
                let (vb, vn) = customer(victim);
                let called = t0 + Duration::seconds(v as i64 * 600 + rng.range(0, 300));
                push(
                    &mut wave,
                    called,
                    json!({ "kind": "call", "at": called.to_rfc3339(), "caller": gateway, "callee": phone(victim),
                    "caller_type": "sip_gateway", "duration_s": 400 + rng.range(0, 900) }),
                );
                let paid = called + Duration::seconds(120 + rng.range(0, 240));
                let tenge = 80_000 + rng.range(0, 400_000);
                transfer(
                    &mut wave,
                    paid,
                    account(&vb, &vn),
                    account(bank, &mule),
                    tenge,
                );
                wave.fraud_transfers += 1;
                let cash_out = format!("KZ8{:015}", 700_000 + m * 50 + v);
                let out_at = paid + Duration::seconds(30 + rng.range(0, 90));
                transfer(
                    &mut wave,
                    out_at,
                    account(bank, &mule),
                    account(bank, &cash_out),
                    tenge * 97 / 100,
                );
            }
        }

        // SIM boxes: one cell, a fresh SIM, hundreds of short calls to distinct numbers.
        for s in 0..config.sim_boxes {
            let number = format!("+7708{:07}", 9_000_000 + s);
            wave.sim_boxes.push(number.clone());
            let cell = format!("CELL-ALA-{:04}", 100 + s);
            let imei = format!("35{:013}", 4_000_000 + s);
            for c in 0..300 {
                let at = start + Duration::seconds(rng.range(0, span_s));
                push(
                    &mut wave,
                    at,
                    json!({ "kind": "call", "at": at.to_rfc3339(), "caller": number, "callee": phone(rng.index(customers) + c),
                    "caller_type": "mobile", "cell_id": cell, "caller_imei": imei, "duration_s": 5 + rng.range(0, 40) }),
                );
            }
        }

        wave.events.sort_by_key(|(at, _)| *at);
        wave
    }

    /// How many transactions the wave holds.
    pub fn transactions(&self) -> usize {
        self.events
            .iter()
            .filter(|(_, e)| e["kind"] == "transaction")
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wave_is_in_time_order_ends_by_now_and_feeds_every_mule_from_many_victims() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let config = FraudWaveConfig {
            customers: 500,
            transfers: 2_000,
            mules: 3,
            sim_boxes: 1,
            ..Default::default()
        };
        let wave = FraudWave::generate(&config, now);
        assert!(wave.events.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(wave.events.iter().all(|(at, _)| *at <= now));
        assert_eq!(wave.mules.len(), 3);
        for mule in &wave.mules {
            let (bank, n) = mule.split_once('/').expect("bank/account");
            let paid_in = wave
                .events
                .iter()
                .filter(|(_, e)| {
                    e["kind"] == "transaction" && e["to"]["bank"] == bank && e["to"]["account"] == n
                })
                .count();
            assert!(paid_in >= 12, "{mule}: {paid_in}");
        }
        let again = FraudWave::generate(&config, now);
        assert_eq!(wave.events, again.events, "the same seed, the same wave");
    }
}
