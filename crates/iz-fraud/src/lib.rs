//! # iz-fraud: the anti-fraud centre
//!
//! (essay written below)
#![deny(clippy::unwrap_used)]

mod amend;
pub mod amlsim;
mod calls;
pub mod centre;
pub mod config;
mod dropper;
pub mod error;
pub mod event;
pub mod explain;

pub use centre::{
    AccountId, CURRENCY, Decision, FraudCentre, Hit, Observed, ShopRevenue, Stats, Verdict,
};
pub use config::{
    CONFIG_VERSION, CallTransferConfig, DecisionConfig, DropperConfig, DropperWeights,
    FraudConfig, Rules, SimBoxConfig, SimBoxWeights,
};
pub use error::{ConfigProblem, InvalidConfig, InvalidSample, Refused, codes};
pub use event::{
    AccountOpened, AccountRef, BlockEntry, BlockReason, BlockTarget, CallRecord, CallerType,
    DrugShopDetails, Event, FraudReport, OpeningChannel, Transaction, TransferChannel,
};
pub use explain::Reason;
