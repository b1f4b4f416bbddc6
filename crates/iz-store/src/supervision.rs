//! What the store keeps for probation supervision: the persons under an order, the violations
//! the monitor found (with the officer's acknowledgement and closing), and referrals to social
//! help with their delivery to the social-services platform.
//!
//! Pings themselves are not kept: an observation that breaks nothing is judged and forgotten.
//! What stays is a violation's evidence — the observation that began it.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use iz_model::{Actor, LegalBasis, Region};
use iz_supervision::referral::{Need, Referral, ReferralRule, ReferralStatus};
use iz_supervision::{Evidence, Interval, RestrictionsInput, Signal, ViolationKind};
use serde::{Deserialize, Serialize};

use crate::Result;

pub type SupervisedId = i64;
pub type ViolationId = i64;

/// A court decision's supervision, as an officer enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSupervised {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iin: Option<String>,
    pub name: String,
    /// The supervising officer's user name.
    pub officer: String,
    pub region: Region,
    pub legal_basis: LegalBasis,
    pub term: Interval,
    #[serde(default)]
    pub devices: Vec<String>,
    #[serde(default)]
    pub restrictions: RestrictionsInput,
    #[serde(default)]
    pub needs: BTreeSet<Need>,
}

/// A person under supervision, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supervised {
    pub id: SupervisedId,
    #[serde(flatten)]
    pub order: NewSupervised,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub released_at: Option<DateTime<Utc>>,
}

/// Whose caseload to list.
#[derive(Debug, Clone, Default)]
pub struct SupervisedFilter {
    pub officer: Option<String>,
    pub region: Option<Region>,
    pub include_released: bool,
}

/// An officer's handling of a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationStatus {
    Open,
    Acknowledged,
    Closed,
}

/// A violation as stored: what the monitor found and what the officer did about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViolationRecord {
    pub id: ViolationId,
    pub person: SupervisedId,
    #[serde(flatten)]
    pub kind: ViolationKind,
    pub started_at: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    /// When the breach ended (the monitor's finding), if it has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    pub observations: u32,
    pub evidence: Evidence,
    pub status: ViolationStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<Handled>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<Handled>,
}

/// Who did something to a violation, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handled {
    pub by: String,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct ViolationFilter {
    pub person: Option<SupervisedId>,
    /// Only the caseload of this officer.
    pub officer: Option<String>,
    pub region: Option<Region>,
    pub status: Option<ViolationStatus>,
    /// Newest first; 0 for the default page.
    pub limit: usize,
}

/// A referral waiting to be delivered, with the attempts so far.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingDelivery {
    pub referral: Referral,
    pub person: Supervised,
    pub attempts: u32,
}

/// The persistence of supervision. Every change and its audit record are one transaction.
pub trait SupervisionStore: Send + Sync {
    /// Puts a person under supervision, audited as `supervision.enrol`. A device already worn
    /// by someone under supervision is a conflict.
    fn add_supervised(
        &self,
        order: NewSupervised,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Supervised>;
    /// Ends supervision (the term served, the order lifted), audited as `supervision.release`.
    fn release_supervised(
        &self,
        id: SupervisedId,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Supervised>;
    fn get_supervised(&self, id: SupervisedId) -> Result<Option<Supervised>>;
    fn list_supervised(&self, filter: &SupervisedFilter) -> Result<Vec<Supervised>>;

    /// Records the monitor's signals: an opening inserts a violation (once: a signal seen again
    /// changes nothing), an end dates the ongoing violation of that kind. Openings are audited
    /// as `violation.open` by `system:supervision`. Returns the violations touched.
    fn record_signals(&self, signals: &[Signal], at: DateTime<Utc>)
    -> Result<Vec<ViolationRecord>>;
    fn list_violations(&self, filter: &ViolationFilter) -> Result<Vec<ViolationRecord>>;
    fn get_violation(&self, id: ViolationId) -> Result<Option<ViolationRecord>>;
    /// Violations whose breach has not ended, to resume the monitor after a restart.
    fn ongoing_violations(&self) -> Result<Vec<ViolationRecord>>;
    /// `open → acknowledged` (audited `violation.acknowledge`) or `→ closed` with a reason
    /// (audited `violation.close`). Anything else is a conflict.
    fn handle_violation(
        &self,
        id: ViolationId,
        next: ViolationStatus,
        note: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<ViolationRecord>;

    /// Stores Iz's proposals for a person, audited as `referral.propose`.
    fn propose_referrals(
        &self,
        person: SupervisedId,
        rules: &[ReferralRule],
        at: DateTime<Utc>,
    ) -> Result<Vec<Referral>>;
    fn list_referrals(&self, person: Option<SupervisedId>) -> Result<Vec<Referral>>;
    fn get_referral(&self, id: i64) -> Result<Option<Referral>>;
    /// Moves a referral along its path, audited as `referral.move`. Moving it to `sent` queues
    /// its delivery.
    fn move_referral(
        &self,
        id: i64,
        next: ReferralStatus,
        note: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Referral>;
    /// Sent referrals due for (another) delivery attempt at `now`.
    fn due_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<PendingDelivery>>;
    /// The outcome of one delivery attempt: `Ok` stops the retries; `Err(reason)` schedules the
    /// next attempt at `retry_at`.
    fn record_delivery(
        &self,
        id: i64,
        outcome: std::result::Result<(), String>,
        at: DateTime<Utc>,
        retry_at: DateTime<Utc>,
    ) -> Result<()>;
    /// How many referrals reached `provided`, for the dashboard.
    fn referrals_provided(&self) -> Result<u64>;
}

/// What the store keeps for drone watch: the licence file in force and the incidents found.
pub trait DroneStore: Send + Sync {
    /// Replaces the licensed areas with a new file (already checked), audited as
    /// `drones.licences`. Returns the file's version.
    fn put_licences(
        &self,
        geojson: &str,
        licences: usize,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<i64>;
    /// The latest licence file, if any.
    fn licences(&self) -> Result<Option<String>>;
    /// Writes an incident as it now stands (opened or with a detection folded in); an opening
    /// is audited as `incident.open` by `system:drones`.
    fn save_incident(
        &self,
        incident: &iz_drones::Incident,
        opened: bool,
        at: DateTime<Utc>,
    ) -> Result<()>;
    fn incidents(&self) -> Result<Vec<iz_drones::Incident>>;
    /// An inspector closes an incident with a reason, audited as `incident.close`.
    fn close_incident(
        &self,
        id: u64,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<iz_drones::Incident>;
}
