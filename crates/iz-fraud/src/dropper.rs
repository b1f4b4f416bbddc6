//! The dropper (money-mule) score of an account: what is kept per account and per pair of
//! accounts, the indicators read from it, and the propagation over the graph.

use crate::centre::{AccountId, FraudCentre, RECENT};
use crate::config::DropperConfig;
use crate::explain::{Reason, noisy_or, ramp, saturate};

/// Receives each indicator that fired: name, value, weight, strength, and its words (made
/// only when asked for, so that scoring without reasons allocates nothing).
pub(crate) type Sink<'a> = dyn FnMut(&'static str, f64, f64, f64, &dyn Fn() -> String) + 'a;

/// What the centre keeps of one account.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub first_seen: i64,
    pub opened_at: Option<i64>,
    pub remote: bool,
    /// Tiyn in minus tiyn out since first seen (the opening balance is not known).
    pub balance: i64,
    pub in_count: u32,
    pub out_count: u32,
    pub in_sum: i64,
    pub out_sum: i64,
    /// Indices of the pairs this account pays into / is paid from: one per counterparty.
    pub out_edges: Vec<u32>,
    pub in_edges: Vec<u32>,
    /// The newest inflows and outflows, (time, tiyn), for pass-through.
    pub recent_in: Vec<(i64, i64)>,
    pub recent_out: Vec<(i64, i64)>,
    pub pass_through: u32,
    pub structuring: u32,
    pub cycles: u32,
    pub inflows_while_new: u32,
    /// The most accounts seen on one of this account's devices or IPs.
    pub shared_device: u32,
    /// Confirmed-dropper block-list entries: (from, until).
    pub confirmed: Vec<(i64, i64)>,
    /// Victims' reports naming it.
    pub reported: u32,
    /// A drug shop whose listed accounts pay this one.
    pub shop_hop: Option<u32>,
    /// Already reported as suspected (one hit per account).
    pub suspected: bool,
    pub propagated: Propagated,
}

/// What the last propagation found for an account.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Propagated {
    /// Closed triangles among its counterparties.
    pub ring: u32,
    /// Hops to the nearest listed account (0: none within two).
    pub listed_hops: u8,
    /// Damped suspicion of its counterparties.
    pub linked: f32,
}

impl Account {
    pub fn new(at: i64) -> Self {
        Self {
            first_seen: at,
            opened_at: None,
            remote: false,
            balance: 0,
            in_count: 0,
            out_count: 0,
            in_sum: 0,
            out_sum: 0,
            out_edges: Vec::new(),
            in_edges: Vec::new(),
            recent_in: Vec::new(),
            recent_out: Vec::new(),
            pass_through: 0,
            structuring: 0,
            cycles: 0,
            inflows_while_new: 0,
            shared_device: 0,
            confirmed: Vec::new(),
            reported: 0,
            shop_hop: None,
            suspected: false,
            propagated: Propagated::default(),
        }
    }

    /// An outflow: passes through if it takes `share` of an inflow at most `window` before it.
    pub fn pass_through_on_out(&mut self, at: i64, amount: i64, window: i64, share: f64) {
        if self
            .recent_in
            .iter()
            .any(|&(t, a)| t <= at && at - t <= window && amount as f64 >= share * a as f64)
        {
            self.pass_through += 1;
        }
        push_recent(&mut self.recent_out, at, amount);
    }

    /// An inflow, perhaps arriving after the outflow it fed (events out of order): passes
    /// through if an outflow at most `window` after it takes `share` of it.
    pub fn pass_through_on_in(&mut self, at: i64, amount: i64, window: i64, share: f64) {
        if self
            .recent_out
            .iter()
            .any(|&(t, a)| t > at && t - at <= window && a as f64 >= share * amount as f64)
        {
            self.pass_through += 1;
        }
        push_recent(&mut self.recent_in, at, amount);
    }

    /// The indicators read from the account's own history.
    pub fn local(&self, d: &DropperConfig, sink: &mut Sink<'_>) {
        let w = &d.weights;
        if self.pass_through > 0 {
            let left = if self.in_sum > 0 {
                self.balance.max(0) as f64 / self.in_sum as f64
            } else {
                0.0
            };
            sink(
                "pass_through",
                f64::from(self.pass_through),
                w.pass_through,
                saturate(f64::from(self.pass_through), d.events_full),
                &|| {
                    format!(
                        "{} outflow(s) of ≥{:.0}% of an inflow within {} min; {:.0}% of all inflows left on the account",
                        self.pass_through,
                        d.pass_through_share * 100.0,
                        d.pass_through_window_s / 60,
                        left * 100.0
                    )
                },
            );
        }
        let senders = self.in_edges.len() as f64;
        let fan_in = ramp(senders, f64::from(d.fan_in_from), f64::from(d.fan_in_full));
        if fan_in > 0.0 {
            sink("fan_in", senders, w.fan_in, fan_in, &|| {
                format!("paid by {senders} distinct accounts")
            });
        }
        let payees = self.out_edges.len() as f64;
        let fan_out = ramp(payees, f64::from(d.fan_out_from), f64::from(d.fan_out_full));
        if fan_out > 0.0 {
            sink("fan_out", payees, w.fan_out, fan_out, &|| {
                format!("pays {payees} distinct accounts")
            });
        }
        if self.inflows_while_new > 0 {
            sink(
                "new_account",
                f64::from(self.inflows_while_new),
                w.new_account,
                saturate(f64::from(self.inflows_while_new), d.events_full),
                &|| {
                    format!(
                        "{} inflow(s) within {} days of opening",
                        self.inflows_while_new, d.new_account_days
                    )
                },
            );
        }
        if self.remote {
            sink("remote_opening", 1.0, w.remote_opening, 1.0, &|| {
                "opened remotely".to_string()
            });
        }
        let shared = ramp(
            f64::from(self.shared_device),
            f64::from(d.shared_device_from) - 1.0,
            f64::from(d.shared_device_full),
        );
        if shared > 0.0 {
            sink(
                "shared_device",
                f64::from(self.shared_device),
                w.shared_device,
                shared,
                &|| {
                    format!(
                        "{} accounts used from one of its devices or IPs",
                        self.shared_device
                    )
                },
            );
        }
        if self.structuring > 0 {
            sink(
                "structuring",
                f64::from(self.structuring),
                w.structuring,
                saturate(f64::from(self.structuring), d.events_full * 2.0),
                &|| {
                    format!(
                        "{} transfer(s) in runs of ≥{} between one pair within {} min, of similar amounts",
                        self.structuring,
                        d.structuring_min,
                        d.structuring_window_s / 60
                    )
                },
            );
        }
        if self.cycles > 0 {
            sink(
                "cycle",
                f64::from(self.cycles),
                w.cycle,
                saturate(f64::from(self.cycles), d.events_full),
                &|| {
                    format!(
                        "on {} cycle(s) of transfers back to their origin through ≤{} accounts",
                        self.cycles, d.cycle_max_len
                    )
                },
            );
        }
    }

    /// The indicators from the graph around the account.
    pub fn propagated(&self, d: &DropperConfig, listed: bool, sink: &mut Sink<'_>) {
        Self::propagated_from(&self.propagated, d, listed, sink);
    }

    /// The graph's indicators from a propagation's values (the account's own, or ones being
    /// computed).
    fn propagated_from(p: &Propagated, d: &DropperConfig, listed: bool, sink: &mut Sink<'_>) {
        let w = &d.weights;
        if listed {
            sink("listed", 0.0, w.listed_link, 1.0, &|| {
                "a confirmed dropper, reported by a victim, or a drug shop's details".to_string()
            });
        } else if p.listed_hops > 0 {
            sink(
                "listed_link",
                f64::from(p.listed_hops),
                w.listed_link,
                1.0 / f64::from(p.listed_hops),
                &|| {
                    format!(
                        "{} hop(s) from a confirmed dropper, a reported account or a drug shop's details",
                        p.listed_hops
                    )
                },
            );
        }
        if p.ring > 0 {
            sink(
                "ring",
                f64::from(p.ring),
                w.ring,
                saturate(f64::from(p.ring), d.ring_full),
                &|| format!("{} closed triangle(s) among its counterparties", p.ring),
            );
        }
        if p.linked > 0.0 {
            sink(
                "suspect_link",
                f64::from(p.linked),
                w.suspect_link,
                (f64::from(p.linked) / d.link_full).min(1.0),
                &|| {
                    format!(
                        "counterparties' suspicion {:.2} (each damped by its number of counterparties)",
                        p.linked
                    )
                },
            );
        }
    }
}

impl Account {
    /// The dropper score, without words.
    pub fn score(&self, d: &DropperConfig, listed: bool) -> f64 {
        self.score_with(d, listed, &self.propagated)
    }

    /// The dropper score as it would be with these propagated values.
    pub(crate) fn score_with(&self, d: &DropperConfig, listed: bool, p: &Propagated) -> f64 {
        let mut keep = 1.0;
        let mut sink = |_: &'static str, _: f64, w: f64, x: f64, _: &dyn Fn() -> String| {
            keep *= 1.0 - (w * x.clamp(0.0, 1.0)).clamp(0.0, 1.0);
        };
        self.local(d, &mut sink);
        Self::propagated_from(p, d, listed, &mut sink);
        1.0 - keep
    }

    /// The dropper score with every reason.
    pub fn explain(&self, d: &DropperConfig, listed: bool) -> (f64, Vec<Reason>) {
        let mut reasons = Vec::new();
        let mut sink = |name: &'static str, v: f64, w: f64, x: f64, detail: &dyn Fn() -> String| {
            reasons.push(Reason::new(name, v, w, x, detail()));
        };
        self.local(d, &mut sink);
        self.propagated(d, listed, &mut sink);
        (noisy_or(reasons.iter().map(|r| r.contribution)), reasons)
    }
}

fn push_recent(list: &mut Vec<(i64, i64)>, at: i64, amount: i64) {
    if list.len() < RECENT {
        list.push((at, amount));
        return;
    }
    // Replace the oldest, if this one is newer.
    if let Some((i, _)) = list.iter().enumerate().min_by_key(|(_, (t, _))| *t)
        && list[i].0 <= at
    {
        list[i] = (at, amount);
    }
}

/// One ordered pair of accounts that money moved between.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub to: AccountId,
    pub count: u32,
    pub last_at: i64,
    pub run_start: i64,
    pub run_count: u32,
    pub run_min: i64,
    pub run_max: i64,
    pub cycle_checked_at: Option<i64>,
}

impl Edge {
    pub fn new(_from: AccountId, to: AccountId, at: i64) -> Self {
        Self {
            to,
            count: 0,
            last_at: at,
            run_start: at,
            run_count: 0,
            run_min: i64::MAX,
            run_max: 0,
            cycle_checked_at: None,
        }
    }

    /// Adds a transfer to the pair's current run; returns how many transfers became
    /// structuring with it (the whole run when it reaches `min`, then one per transfer).
    pub fn structure(&mut self, at: i64, amount: i64, window: i64, min: u32, similar: f64) -> u32 {
        self.count += 1;
        self.last_at = self.last_at.max(at);
        if self.run_count == 0 || (at - self.run_start).abs() > window {
            self.run_start = at;
            self.run_count = 0;
            self.run_min = i64::MAX;
            self.run_max = 0;
        }
        self.run_count += 1;
        self.run_min = self.run_min.min(amount);
        self.run_max = self.run_max.max(amount);
        let alike = self.run_max as f64 <= similar * self.run_min as f64;
        if !alike || self.run_count < min {
            0
        } else if self.run_count == min {
            min
        } else {
            1
        }
    }
}

/// Rings, links to listed accounts and suspicion from counterparties, for every account.
/// The propagated values of every account, computed from the centre as it is (read only, so a
/// server can compute them beside decisions and apply them in a moment).
pub(crate) fn propagation(centre: &FraudCentre) -> Vec<Propagated> {
    let n = centre.accounts.len();
    let d = centre.rules.dropper.clone();
    // Undirected, distinct counterparties as a compressed adjacency.
    let mut offsets = Vec::with_capacity(n + 1);
    let mut flat: Vec<AccountId> = Vec::new();
    let mut from_of = vec![0 as AccountId; centre.edges.len()];
    for (id, a) in centre.accounts.iter().enumerate() {
        for &e in &a.out_edges {
            from_of[e as usize] = id as AccountId;
        }
    }
    offsets.push(0usize);
    for (id, a) in centre.accounts.iter().enumerate() {
        let start = flat.len();
        flat.extend(a.out_edges.iter().map(|&e| centre.edges[e as usize].to));
        flat.extend(a.in_edges.iter().map(|&e| from_of[e as usize]));
        let nb = &mut flat[start..];
        nb.sort_unstable();
        let mut k = 0;
        for i in 0..nb.len() {
            if nb[i] as usize != id && (k == 0 || nb[k - 1] != nb[i]) {
                nb[k] = nb[i];
                k += 1;
            }
        }
        flat.truncate(start + k);
        offsets.push(flat.len());
    }
    let nbrs = |id: usize| &flat[offsets[id]..offsets[id + 1]];
    let mut out = vec![Propagated::default(); n];
    // Closed triangles: for each counterparty, the counterparties both share.
    const RING_DEGREE_CAP: usize = 2_000;
    for (id, p) in out.iter_mut().enumerate() {
        let mine = nbrs(id);
        if mine.len() < 2 || mine.len() > RING_DEGREE_CAP {
            continue;
        }
        let mut twice = 0u32;
        for &m in mine {
            let theirs = nbrs(m as usize);
            if theirs.len() > RING_DEGREE_CAP {
                continue;
            }
            twice += sorted_common(mine, theirs);
        }
        p.ring = twice / 2;
    }
    // Listed accounts and two hops around them.
    let listed: Vec<bool> = (0..n as AccountId)
        .map(|id| centre.listed_now(id))
        .collect();
    for (id, is) in listed.iter().enumerate() {
        if !is {
            continue;
        }
        for &m in nbrs(id) {
            let p = &mut out[m as usize];
            p.listed_hops = 1;
        }
    }
    for (id, is) in listed.iter().enumerate() {
        if !is {
            continue;
        }
        for &m in nbrs(id) {
            for &k in nbrs(m as usize) {
                let p = &mut out[k as usize];
                if p.listed_hops == 0 && !listed[k as usize] {
                    p.listed_hops = 2;
                }
            }
        }
    }
    // Suspicion: own indicators (and rings, and listed links) first, then rounds from
    // counterparties, each divided by the counterparty's degree^damping.
    let base: Vec<f64> = (0..n as AccountId)
        .map(|id| {
            let a = &centre.accounts[id as usize];
            a.score_with(&d, listed[id as usize], &out[id as usize])
        })
        .collect();
    let damp: Vec<f64> = (0..n)
        .map(|id| (nbrs(id).len().max(1) as f64).powf(d.link_damping))
        .collect();
    let mut s = base.clone();
    let mut linked = vec![0.0f64; n];
    for _ in 0..d.propagation_rounds {
        for (id, l) in linked.iter_mut().enumerate() {
            *l = nbrs(id)
                .iter()
                .map(|&m| s[m as usize] / damp[m as usize])
                .sum();
        }
        for ((s, l), b) in s.iter_mut().zip(&linked).zip(&base) {
            let x = (l / d.link_full).min(1.0);
            *s = noisy_or([*b, d.weights.suspect_link * x]);
        }
    }
    for (p, l) in out.iter_mut().zip(&linked) {
        p.linked = *l as f32;
    }
    out
}

fn sorted_common(a: &[AccountId], b: &[AccountId]) -> u32 {
    let (mut i, mut j, mut c) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                c += 1;
                i += 1;
                j += 1;
            }
        }
    }
    c
}
