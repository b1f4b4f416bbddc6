//! What the store keeps for the anti-fraud centre: the analysts' queue (cases the detectors
//! propose), the shared block-lists and drug-shop listings (each with a legal basis and an
//! expiry), and the versions of the detectors' configuration. Transactions, calls and the
//! detectors' state are not kept: they live in memory, and an event that hits nothing leaves
//! no trace.

use chrono::{DateTime, Utc};
use iz_fraud::{BlockEntry, DrugShopDetails};
use iz_model::Actor;
use serde::{Deserialize, Serialize};

use crate::Result;

/// What a case proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// An account whose dropper score reached the hold threshold.
    Dropper,
    /// A number that behaves like a SIM box.
    SimBox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    /// An analyst confirmed it: its subject went onto the block-list.
    Confirmed,
    Dismissed,
}

/// A proposal the detectors made, as the analyst sees and handles it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FraudCase {
    pub id: i64,
    pub kind: CaseKind,
    /// `bank/account` for a dropper, the number for a SIM box.
    pub subject: String,
    pub opened_at: DateTime<Utc>,
    /// The score and every reason, as the detector gave them.
    pub detail: serde_json::Value,
    pub status: CaseStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled: Option<CaseHandling>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHandling {
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: String,
    /// The block-list entry a confirmation made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<i64>,
}

/// A listing's content: a block-list entry or a drug shop's payment details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ListingBody {
    Block(BlockEntry),
    DrugShop(DrugShopDetails),
}

impl ListingBody {
    pub fn expires_at(&self) -> DateTime<Utc> {
        match self {
            ListingBody::Block(b) => b.expires_at,
            ListingBody::DrugShop(d) => d.expires_at,
        }
    }
}

/// A block-list entry or drug-shop listing as stored: who added it, and its withdrawal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub id: i64,
    #[serde(flatten)]
    pub body: ListingBody,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A configuration of the detectors as it was put in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConfig {
    /// The store's number for it, in the order they were applied.
    pub id: i64,
    /// The configuration's own `version`.
    pub version: u32,
    /// TOML, as given.
    pub text: String,
    pub applied_at: DateTime<Utc>,
    pub applied_by: String,
}

pub trait FraudStore: Send + Sync {
    /// Opens a case per proposal, audited as `fraud.case.open` by `system:fraud`; a subject
    /// with an open case of the same kind gets none (the proposal is already waiting).
    /// Returns the cases opened.
    fn open_fraud_cases(
        &self,
        proposals: Vec<(CaseKind, String, serde_json::Value)>,
        at: DateTime<Utc>,
    ) -> Result<Vec<FraudCase>>;
    /// Newest first.
    fn fraud_cases(&self, status: Option<CaseStatus>, limit: usize) -> Result<Vec<FraudCase>>;
    fn fraud_case(&self, id: i64) -> Result<Option<FraudCase>>;
    /// An analyst's answer to a case: with a block-list entry, confirmed (the entry is added,
    /// one transaction with the case); without, dismissed. Audited as `fraud.case.confirm`
    /// or `fraud.case.dismiss`. A case already handled is a conflict.
    fn handle_fraud_case(
        &self,
        id: i64,
        block: Option<BlockEntry>,
        note: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<(FraudCase, Option<Listing>)>;
    /// Adds a listing, audited as `fraud.listing.add`.
    fn add_listing(&self, body: ListingBody, actor: &Actor, at: DateTime<Utc>) -> Result<Listing>;
    /// Withdraws a listing with a reason, audited as `fraud.listing.withdraw`.
    fn withdraw_listing(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Listing>;
    /// Every listing, withdrawn and expired ones included, by id.
    fn listings(&self) -> Result<Vec<Listing>>;
    /// Records a configuration put in force, audited as `fraud.config` (with its version and
    /// where it came from).
    fn put_fraud_config(
        &self,
        version: u32,
        text: &str,
        source: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<StoredConfig>;
    /// The configuration in force (the latest applied), if any was.
    fn fraud_config(&self) -> Result<Option<StoredConfig>>;
}
