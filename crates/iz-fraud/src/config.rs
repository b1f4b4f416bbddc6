//! Thresholds, windows and weights: a serde [`FraudConfig`] (TOML or JSON) that
//! [`FraudConfig::build`]s the [`Rules`] the centre runs on, after a validation that collects
//! every problem. An invalid configuration is refused whole; the caller keeps its live rules.

use serde::{Deserialize, Serialize};

use crate::error::{ConfigProblem, InvalidConfig, codes};

/// The configuration version this build reads.
pub const CONFIG_VERSION: u32 = 1;

/// The whole configuration, as written in a file. Every field has a default, so a file names
/// only what it changes; a field nobody knows is an error, not a silent no-op.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FraudConfig {
    /// The format's version; [`CONFIG_VERSION`] is the only one read today.
    pub version: u32,
    pub dropper: DropperConfig,
    pub call_transfer: CallTransferConfig,
    pub sim_box: SimBoxConfig,
    pub decision: DecisionConfig,
}

impl Default for FraudConfig {
    fn default() -> Self {
        Self {
            version: CONFIG_VERSION,
            dropper: DropperConfig::default(),
            call_transfer: CallTransferConfig::default(),
            sim_box: SimBoxConfig::default(),
            decision: DecisionConfig::default(),
        }
    }
}

/// The dropper (money-mule) score: how each indicator is measured and what it weighs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DropperConfig {
    /// An outflow this many seconds or less after an inflow is money passing through …
    pub pass_through_window_s: i64,
    /// … when it takes at least this share of the inflow.
    pub pass_through_share: f64,
    /// Distinct senders from which fan-in starts to count, and where it is full.
    pub fan_in_from: u32,
    pub fan_in_full: u32,
    /// Distinct payees from which fan-out starts to count, and where it is full.
    pub fan_out_from: u32,
    pub fan_out_full: u32,
    /// An account is new for this many days after it was opened.
    pub new_account_days: i64,
    /// Repeated transfers between one pair within this many seconds …
    pub structuring_window_s: i64,
    /// … at least this many of them …
    pub structuring_min: u32,
    /// … with the largest at most this many times the smallest, are structuring.
    pub structuring_similar: f64,
    /// Money back at its origin through at most this many accounts (2..=8) …
    pub cycle_max_len: u32,
    /// … each hop of it within this many seconds of the transfer that closes it.
    pub cycle_window_s: i64,
    /// How many accounts one cycle search may visit (it bounds the cost of a transfer).
    pub cycle_visit_cap: u32,
    /// Accounts sharing one device or IP from which it starts to count, and where it is full.
    pub shared_device_from: u32,
    pub shared_device_full: u32,
    /// How many events of an indicator (pass-throughs, structured transfers, cycles) make it full.
    pub events_full: f64,
    /// Closed triangles of counterparties (a ring paying each other) that make `ring` full.
    pub ring_full: f64,
    /// Suspicion of counterparties (each divided by its degree to the power `link_damping`)
    /// that makes `suspect_link` full.
    pub link_full: f64,
    pub link_damping: f64,
    /// Rounds of propagation over the transaction graph.
    pub propagation_rounds: u32,
    pub weights: DropperWeights,
}

impl Default for DropperConfig {
    fn default() -> Self {
        Self {
            pass_through_window_s: 3_600,
            pass_through_share: 0.8,
            fan_in_from: 8,
            fan_in_full: 40,
            fan_out_from: 8,
            fan_out_full: 40,
            new_account_days: 30,
            structuring_window_s: 3_600,
            structuring_min: 3,
            structuring_similar: 1.5,
            cycle_max_len: 5,
            cycle_window_s: 7 * 86_400,
            cycle_visit_cap: 64,
            shared_device_from: 3,
            shared_device_full: 10,
            events_full: 3.0,
            ring_full: 12.0,
            link_full: 1.0,
            link_damping: 1.0,
            propagation_rounds: 2,
            weights: DropperWeights::default(),
        }
    }
}

/// What each dropper indicator weighs, 0..=1; the score is their noisy-or.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DropperWeights {
    pub pass_through: f64,
    pub fan_in: f64,
    pub fan_out: f64,
    pub new_account: f64,
    pub remote_opening: f64,
    pub shared_device: f64,
    pub structuring: f64,
    pub cycle: f64,
    pub listed_link: f64,
    pub suspect_link: f64,
    pub ring: f64,
}

impl Default for DropperWeights {
    fn default() -> Self {
        Self {
            pass_through: 0.5,
            fan_in: 0.35,
            fan_out: 0.25,
            new_account: 0.2,
            remote_opening: 0.15,
            shared_device: 0.4,
            structuring: 0.9,
            cycle: 0.6,
            listed_link: 0.6,
            suspect_link: 0.6,
            ring: 0.45,
        }
    }
}

/// A call from a risky number, then a transfer to a new payee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CallTransferConfig {
    /// A transfer during the call or this many minutes after it ends.
    pub within_minutes: i64,
    /// The score a matching transfer gets.
    pub score: f64,
}

impl Default for CallTransferConfig {
    fn default() -> Self {
        Self {
            within_minutes: 30,
            score: 0.8,
        }
    }
}

/// SIM boxes: numbers that behave like a gateway terminating calls as local mobile ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimBoxConfig {
    /// Outgoing calls a number must have made before it is judged.
    pub min_calls: u32,
    /// Outgoing per incoming call from which the ratio counts.
    pub out_per_in: f64,
    /// Distinct callees that make the indicator full.
    pub distinct_callees_full: u32,
    /// A call this short (seconds) or shorter is short.
    pub short_call_s: u32,
    /// A SIM first seen this many days ago or less is new.
    pub new_sim_days: i64,
    /// SIMs seen in one IMEI that make the indicator full.
    pub sims_per_imei_full: u32,
    /// A number scoring this or more is proposed for the block-list.
    pub propose_at: f64,
    pub weights: SimBoxWeights,
}

impl Default for SimBoxConfig {
    fn default() -> Self {
        Self {
            min_calls: 20,
            out_per_in: 10.0,
            distinct_callees_full: 50,
            short_call_s: 30,
            new_sim_days: 14,
            sims_per_imei_full: 4,
            propose_at: 0.8,
            weights: SimBoxWeights::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimBoxWeights {
    pub out_in_ratio: f64,
    pub distinct_callees: f64,
    pub short_calls: f64,
    pub fixed_cell: f64,
    pub new_sim: f64,
    pub sims_per_imei: f64,
}

impl Default for SimBoxWeights {
    fn default() -> Self {
        Self {
            out_in_ratio: 0.4,
            distinct_callees: 0.4,
            short_calls: 0.3,
            fixed_cell: 0.3,
            new_sim: 0.2,
            sims_per_imei: 0.5,
        }
    }
}

/// Where a score turns into a hold or a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DecisionConfig {
    pub hold_at: f64,
    pub block_at: f64,
    /// The share of the payer's own dropper score that counts (a mule paying out).
    pub payer_share: f64,
}

impl Default for DecisionConfig {
    fn default() -> Self {
        Self {
            hold_at: 0.6,
            block_at: 0.95,
            payer_share: 0.8,
        }
    }
}

/// A validated configuration: the only way to make one is [`FraudConfig::build`] (or the
/// defaults, which are valid).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rules(FraudConfig);

impl Rules {
    pub fn config(&self) -> &FraudConfig {
        &self.0
    }
    pub fn version(&self) -> u32 {
        self.0.version
    }
}

impl Rules {
    /// The profile for AMLSim samples: the defaults, with what a simulation clock of whole
    /// days cannot measure switched off. Every transfer of a step carries the same instant,
    /// so "out within an hour of in" holds for any account that both pays and is paid that
    /// day (pass-through is noise there), and AMLSim draws every account's degree from one
    /// distribution (fan-in and fan-out say nothing the graph indicators do not). Structuring
    /// counts from 2 transfers, as a day is the finest time there is.
    pub fn amlsim() -> Self {
        let mut c = FraudConfig::default();
        c.dropper.weights.pass_through = 0.0;
        c.dropper.weights.fan_in = 0.0;
        c.dropper.weights.fan_out = 0.0;
        c.dropper.structuring_min = 2;
        Self(c)
    }
}

impl std::ops::Deref for Rules {
    type Target = FraudConfig;
    fn deref(&self) -> &FraudConfig {
        &self.0
    }
}

impl FraudConfig {
    /// Reads TOML and builds the rules; a syntax error is one problem, validation all of them.
    pub fn from_toml(text: &str) -> Result<Rules, InvalidConfig> {
        let config: FraudConfig = toml::from_str(text).map_err(|e| syntax(e.to_string()))?;
        config.build()
    }

    /// Reads JSON and builds the rules.
    pub fn from_json(text: &str) -> Result<Rules, InvalidConfig> {
        let config: FraudConfig = serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?;
        config.build()
    }

    /// Validates every field and returns the rules, or every problem found.
    pub fn build(self) -> Result<Rules, InvalidConfig> {
        let mut v = Validator::default();
        if self.version != CONFIG_VERSION {
            v.push(
                "version",
                codes::UNSUPPORTED_VERSION,
                format!(
                    "version {} is not read by this build (it reads {CONFIG_VERSION})",
                    self.version
                ),
            );
        }
        let d = &self.dropper;
        v.positive_i("dropper.pass_through_window_s", d.pass_through_window_s);
        v.share("dropper.pass_through_share", d.pass_through_share);
        v.ramp_bounds("dropper.fan_in", d.fan_in_from, d.fan_in_full);
        v.ramp_bounds("dropper.fan_out", d.fan_out_from, d.fan_out_full);
        v.positive_i("dropper.new_account_days", d.new_account_days);
        v.positive_i("dropper.structuring_window_s", d.structuring_window_s);
        if d.structuring_min < 2 {
            v.push(
                "dropper.structuring_min",
                codes::INVALID_RANGE,
                "structuring needs at least 2 transfers",
            );
        }
        if !(d.structuring_similar.is_finite() && d.structuring_similar >= 1.0) {
            v.push(
                "dropper.structuring_similar",
                codes::INVALID_RANGE,
                "the largest-to-smallest ratio must be 1 or more",
            );
        }
        if !(2..=8).contains(&d.cycle_max_len) {
            v.push(
                "dropper.cycle_max_len",
                codes::INVALID_RANGE,
                "a cycle has 2 to 8 accounts",
            );
        }
        v.positive_i("dropper.cycle_window_s", d.cycle_window_s);
        v.positive_i("dropper.cycle_visit_cap", i64::from(d.cycle_visit_cap));
        v.ramp_bounds(
            "dropper.shared_device",
            d.shared_device_from,
            d.shared_device_full,
        );
        v.positive_f("dropper.events_full", d.events_full);
        v.positive_f("dropper.ring_full", d.ring_full);
        v.positive_f("dropper.link_full", d.link_full);
        if !(d.link_damping.is_finite() && (0.0..=1.0).contains(&d.link_damping)) {
            v.push(
                "dropper.link_damping",
                codes::INVALID_RANGE,
                "the damping exponent is 0..=1",
            );
        }
        if d.propagation_rounds > 8 {
            v.push(
                "dropper.propagation_rounds",
                codes::INVALID_RANGE,
                "at most 8 rounds",
            );
        }
        let w = &d.weights;
        for (name, value) in [
            ("pass_through", w.pass_through),
            ("fan_in", w.fan_in),
            ("fan_out", w.fan_out),
            ("new_account", w.new_account),
            ("remote_opening", w.remote_opening),
            ("shared_device", w.shared_device),
            ("structuring", w.structuring),
            ("cycle", w.cycle),
            ("listed_link", w.listed_link),
            ("suspect_link", w.suspect_link),
            ("ring", w.ring),
        ] {
            v.weight(&format!("dropper.weights.{name}"), value);
        }
        let c = &self.call_transfer;
        v.positive_i("call_transfer.within_minutes", c.within_minutes);
        v.weight("call_transfer.score", c.score);
        let s = &self.sim_box;
        v.positive_i("sim_box.min_calls", i64::from(s.min_calls));
        v.positive_f("sim_box.out_per_in", s.out_per_in);
        v.positive_i(
            "sim_box.distinct_callees_full",
            i64::from(s.distinct_callees_full),
        );
        v.positive_i("sim_box.short_call_s", i64::from(s.short_call_s));
        v.positive_i("sim_box.new_sim_days", s.new_sim_days);
        if s.sims_per_imei_full < 2 {
            v.push(
                "sim_box.sims_per_imei_full",
                codes::INVALID_RANGE,
                "at least 2 SIMs",
            );
        }
        v.threshold("sim_box.propose_at", s.propose_at);
        let sw = &s.weights;
        for (name, value) in [
            ("out_in_ratio", sw.out_in_ratio),
            ("distinct_callees", sw.distinct_callees),
            ("short_calls", sw.short_calls),
            ("fixed_cell", sw.fixed_cell),
            ("new_sim", sw.new_sim),
            ("sims_per_imei", sw.sims_per_imei),
        ] {
            v.weight(&format!("sim_box.weights.{name}"), value);
        }
        let dc = &self.decision;
        v.threshold("decision.hold_at", dc.hold_at);
        v.threshold("decision.block_at", dc.block_at);
        if dc.hold_at.is_finite() && dc.block_at.is_finite() && dc.hold_at >= dc.block_at {
            v.push(
                "decision",
                codes::INVALID_THRESHOLD,
                format!(
                    "hold_at ({}) must be below block_at ({})",
                    dc.hold_at, dc.block_at
                ),
            );
        }
        v.weight("decision.payer_share", dc.payer_share);
        if v.0.is_empty() {
            Ok(Rules(self))
        } else {
            Err(InvalidConfig(v.0))
        }
    }
}

fn syntax(message: String) -> InvalidConfig {
    InvalidConfig(vec![ConfigProblem {
        at: String::new(),
        code: codes::INVALID_SYNTAX,
        message: message.trim().to_string(),
    }])
}

#[derive(Default)]
struct Validator(Vec<ConfigProblem>);

impl Validator {
    fn push(&mut self, at: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(ConfigProblem {
            at: at.to_string(),
            code,
            message: message.into(),
        });
    }
    fn weight(&mut self, at: &str, w: f64) {
        if !(w.is_finite() && (0.0..=1.0).contains(&w)) {
            self.push(
                at,
                codes::INVALID_WEIGHT,
                format!("{w} is not within 0..=1"),
            );
        }
    }
    fn threshold(&mut self, at: &str, t: f64) {
        if !(t.is_finite() && t > 0.0 && t <= 1.0) {
            self.push(
                at,
                codes::INVALID_THRESHOLD,
                format!("{t} is not within (0, 1]"),
            );
        }
    }
    fn share(&mut self, at: &str, s: f64) {
        if !(s.is_finite() && s > 0.0 && s <= 1.0) {
            self.push(
                at,
                codes::INVALID_RANGE,
                format!("{s} is not within (0, 1]"),
            );
        }
    }
    fn positive_i(&mut self, at: &str, n: i64) {
        if n <= 0 {
            self.push(at, codes::INVALID_RANGE, format!("{n} must be above zero"));
        }
    }
    fn positive_f(&mut self, at: &str, x: f64) {
        if !(x.is_finite() && x > 0.0) {
            self.push(at, codes::INVALID_RANGE, format!("{x} must be above zero"));
        }
    }
    fn ramp_bounds(&mut self, at: &str, from: u32, full: u32) {
        if full <= from {
            self.push(
                at,
                codes::INVALID_RANGE,
                format!("`full` ({full}) must be above `from` ({from})"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        assert!(FraudConfig::default().build().is_ok());
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let rules = FraudConfig::from_toml("").expect("valid");
        assert_eq!(rules.config(), &FraudConfig::default());
    }
}
