//! Ending a listing before its expiry: a person withdraws a block-list entry (a court lifted
//! the order, the account was a payroll account after all) or a drug shop's listing. From the
//! instant of the withdrawal on it counts as expired, for decisions and for the dropper
//! scores it fed; what it did before stays in the past.

use chrono::{DateTime, Utc};

use crate::centre::FraudCentre;
use crate::config::Rules;
use crate::event::{BlockEntry, BlockReason, BlockTarget, DrugShopDetails};

impl FraudCentre {
    /// Puts other rules in and gives back the ones that were in (a dry run decides once with a
    /// candidate's rules, then swaps the live ones back).
    pub fn swap_rules(&mut self, rules: Rules) -> Rules {
        std::mem::replace(&mut self.rules, rules)
    }

    /// Ends a block-list entry at `at` (the entry as it was listed: same target and start).
    /// Returns whether it was found.
    pub fn end_block(&mut self, entry: &BlockEntry, at: DateTime<Utc>) -> bool {
        let Some(list) = self.blocks.get_mut(&entry.target) else {
            return false;
        };
        let mut found = false;
        for b in list
            .iter_mut()
            .filter(|b| b.at == entry.at && b.reason == entry.reason)
        {
            b.expires_at = b.expires_at.min(at);
            found = true;
        }
        if found
            && entry.reason == BlockReason::ConfirmedDropper
            && let BlockTarget::Account(a) = &entry.target
            && let Some(id) = self.account_id(a)
        {
            // The account stops counting as a confirmed dropper for the scores it feeds.
            let span = (entry.at.timestamp(), entry.expires_at.timestamp());
            for c in self.accounts[id as usize].confirmed.iter_mut() {
                if *c == span {
                    c.1 = c.1.min(at.timestamp());
                }
            }
        }
        found
    }

    /// Ends a drug shop's listing at `at`. Returns whether it was found.
    pub fn end_shop(&mut self, shop: &DrugShopDetails, at: DateTime<Utc>) -> bool {
        let mut found = false;
        for s in self
            .shops
            .iter_mut()
            .filter(|s| s.details.shop == shop.shop && s.details.at == shop.at)
        {
            s.details.expires_at = s.details.expires_at.min(at);
            found = true;
        }
        found
    }
}
