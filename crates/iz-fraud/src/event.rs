//! What the centre observes: account openings, transactions, call records, fraud reports,
//! drug-shop payment details and block-list entries. Times are UTC; amounts integers of tiyn.

use chrono::{DateTime, Utc};
use iz_model::LegalBasis;
use serde::{Deserialize, Serialize};

/// An account at a bank. Accounts are known by both: the same number at two banks is two
/// accounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRef {
    pub bank: String,
    pub account: String,
}

impl AccountRef {
    pub fn new(bank: impl Into<String>, account: impl Into<String>) -> Self {
        Self {
            bank: bank.into(),
            account: account.into(),
        }
    }
}

impl std::fmt::Display for AccountRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.bank, self.account)
    }
}

/// One event, tagged by `kind` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    AccountOpened(AccountOpened),
    Transaction(Transaction),
    Call(CallRecord),
    FraudReport(FraudReport),
    DrugShop(DrugShopDetails),
    BlockListed(BlockEntry),
}

impl Event {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::AccountOpened(e) => e.at,
            Event::Transaction(e) => e.at,
            Event::Call(e) => e.at,
            Event::FraudReport(e) => e.at,
            Event::DrugShop(e) => e.at,
            Event::BlockListed(e) => e.at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpeningChannel {
    /// Opened without the customer at a branch (an app, a video call).
    Remote,
    Branch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountOpened {
    pub account: AccountRef,
    /// The owner's IIN (12 digits).
    pub owner_iin: String,
    pub at: DateTime<Utc>,
    pub channel: OpeningChannel,
    /// The owner's phone number on file, for calls followed by transfers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferChannel {
    PhoneTransfer,
    Card,
    Qr,
    Interbank,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// The bank's id of the transfer: a retry carries the same id.
    pub id: String,
    pub at: DateTime<Utc>,
    pub from: AccountRef,
    pub to: AccountRef,
    /// Integer tiyn (1 KZT = 100 tiyn); must be above zero.
    pub amount_tiyn: i64,
    /// Only `KZT` is judged.
    pub currency: String,
    pub channel: TransferChannel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The payer's phone number, when the bank knows it from the session (else the one on file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_phone: Option<String>,
    /// The merchant id of a QR payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_merchant: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallerType {
    Mobile,
    Fixed,
    SipGateway,
    International,
}

/// A call record from an operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallRecord {
    /// When the call started.
    pub at: DateTime<Utc>,
    pub caller: String,
    pub callee: String,
    pub caller_type: CallerType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_imei: Option<String>,
    pub duration_s: u32,
}

/// A victim's report: the accounts money went to and the numbers that called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FraudReport {
    pub victim: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub accounts: Vec<AccountRef>,
    #[serde(default)]
    pub numbers: Vec<String>,
}

/// Payment details of an online drug shop, established by an investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugShopDetails {
    /// The case's name for the shop.
    pub shop: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub accounts: Vec<AccountRef>,
    #[serde(default)]
    pub numbers: Vec<String>,
    #[serde(default)]
    pub qr_merchants: Vec<String>,
    pub legal_basis: LegalBasis,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum BlockTarget {
    Account(AccountRef),
    Number(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    /// A person confirmed the account as a dropper.
    ConfirmedDropper,
    /// A person confirmed the number as used for fraud calls.
    FraudNumber,
    /// A person confirmed a SIM-box proposal.
    SimBox,
}

/// An entry of a shared block-list: what, why, on what legal basis, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockEntry {
    pub target: BlockTarget,
    pub reason: BlockReason,
    pub at: DateTime<Utc>,
    pub legal_basis: LegalBasis,
    pub expires_at: DateTime<Utc>,
}
