//! The [`FraudCentre`]: in-memory state and rules. [`FraudCentre::observe`] applies an event,
//! [`FraudCentre::decide`] judges a transfer before it is executed, [`FraudCentre::propagate`]
//! spreads suspicion over the transaction graph. No clock is read: time is the events'.

use chrono::{DateTime, Utc};
use std::hash::BuildHasher;

use hashbrown::{HashMap, HashSet};
use serde::Serialize;

use crate::calls::{CallBook, RiskyCall};
use crate::config::Rules;
use crate::dropper::{Account, Edge, Propagated};
use crate::error::{Refused, codes};
use crate::event::{
    AccountOpened, AccountRef, BlockEntry, BlockReason, BlockTarget, CallRecord, DrugShopDetails,
    Event, FraudReport, OpeningChannel, Transaction,
};
use crate::explain::Reason;

/// The index of an account in the centre (first sight order).
pub type AccountId = u32;

/// The only currency judged.
pub const CURRENCY: &str = "KZT";

/// How many recent in- and outflows an account keeps for pass-through (the newest by time).
pub(crate) const RECENT: usize = 8;

/// What applying an event produced.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Observed {
    /// A transaction id seen before: nothing changed.
    pub duplicate: bool,
    pub hits: Vec<Hit>,
}

/// Something for an analyst: a proposal, never an action.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hit {
    /// An account's dropper score reached the hold threshold (once per account).
    DropperSuspected {
        account: AccountRef,
        score: f64,
        reasons: Vec<Reason>,
    },
    /// A number that behaves like a SIM box: proposed for the block-list (once per number).
    SimBoxProposed {
        number: String,
        score: f64,
        reasons: Vec<Reason>,
    },
    /// A payment to a drug shop's details (`hops` 0) or to an account its money moves to (1).
    DrugShopPayment {
        shop: String,
        transaction: String,
        amount_tiyn: i64,
        hops: u8,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allow,
    Hold,
    Block,
}

/// The answer to a bank asking about a transfer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub decision: Verdict,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// A drug shop's revenue as seen through its listed details.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShopRevenue {
    pub shop: String,
    /// Paid straight to listed accounts or QR merchants.
    pub direct_tiyn: i64,
    /// Paid to accounts that listed accounts move money to.
    pub one_hop_tiyn: i64,
    pub payments: u64,
}

pub(crate) struct Shop {
    pub details: DrugShopDetails,
    pub revenue: ShopRevenue,
}

/// Counts for monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Stats {
    pub transactions: u64,
    pub duplicates: u64,
    pub refused: u64,
    pub calls: u64,
    /// Events older than the newest already seen (applied by their own time).
    pub out_of_order: u64,
}

/// A pass of propagation computed, not yet applied ([`FraudCentre::propagation`]).
pub struct Propagation(Vec<crate::dropper::Propagated>);

/// State and rules of the anti-fraud centre. An API layer holds one behind a lock.
pub struct FraudCentre {
    pub(crate) rules: Rules,
    pub(crate) ids: HashMap<AccountRef, AccountId>,
    pub(crate) keys: Vec<AccountRef>,
    pub(crate) accounts: Vec<Account>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) edge_ids: HashMap<(AccountId, AccountId), u32>,
    pub(crate) seen: HashSet<u64>,
    pub(crate) id_hasher: hashbrown::DefaultHashBuilder,
    /// Device ids and IPs (hashed) → the accounts seen using them (capped).
    pub(crate) devices: HashMap<u64, Vec<AccountId>>,
    pub(crate) phone_of: HashMap<AccountId, String>,
    pub(crate) blocks: HashMap<BlockTarget, Vec<BlockEntry>>,
    pub(crate) reported_numbers: HashSet<String>,
    pub(crate) shops: Vec<Shop>,
    pub(crate) shop_of_account: HashMap<AccountId, u32>,
    pub(crate) shop_of_merchant: HashMap<String, u32>,
    pub(crate) calls: CallBook,
    pub(crate) newest: i64,
    pub(crate) stats: Stats,
    scratch: Vec<(AccountId, u32)>,
}

impl FraudCentre {
    pub fn new(rules: Rules) -> Self {
        Self {
            rules,
            ids: HashMap::new(),
            keys: Vec::new(),
            accounts: Vec::new(),
            edges: Vec::new(),
            edge_ids: HashMap::new(),
            seen: HashSet::new(),
            id_hasher: hashbrown::DefaultHashBuilder::default(),
            devices: HashMap::new(),
            phone_of: HashMap::new(),
            blocks: HashMap::new(),
            reported_numbers: HashSet::new(),
            shops: Vec::new(),
            shop_of_account: HashMap::new(),
            shop_of_merchant: HashMap::new(),
            calls: CallBook::default(),
            newest: i64::MIN,
            stats: Stats::default(),
            scratch: Vec::new(),
        }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Replaces the rules (already validated by [`crate::FraudConfig::build`]); the state stays.
    pub fn set_rules(&mut self, rules: Rules) {
        self.rules = rules;
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// How many accounts the centre knows (opened, or seen in a transfer).
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    /// How many ordered pairs of accounts money has moved between.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Forgets the transaction ids seen (for benchmarks that replay a stream); the state
    /// stays. A retried transfer after this counts again.
    #[doc(hidden)]
    pub fn forget_transaction_ids(&mut self) {
        self.seen.clear();
    }

    pub fn account_id(&self, account: &AccountRef) -> Option<AccountId> {
        self.ids.get(account).copied()
    }

    pub fn account_ref(&self, id: AccountId) -> Option<&AccountRef> {
        self.keys.get(id as usize)
    }

    /// Applies one event. A refused event changes nothing; a repeated transaction id is
    /// reported as a duplicate and changes nothing.
    pub fn observe(&mut self, event: &Event) -> Result<Observed, Refused> {
        match event {
            Event::AccountOpened(e) => self.open(e),
            Event::Transaction(e) => self.transact(e),
            Event::Call(e) => self.call(e),
            Event::FraudReport(e) => self.report(e),
            Event::DrugShop(e) => self.list_shop(e),
            Event::BlockListed(e) => self.block(e),
        }
    }

    fn clock(&mut self, at: i64) {
        if at < self.newest {
            self.stats.out_of_order += 1;
        } else {
            self.newest = at;
        }
    }

    pub(crate) fn intern(&mut self, account: &AccountRef, at: i64) -> AccountId {
        if let Some(&id) = self.ids.get(account) {
            let a = &mut self.accounts[id as usize];
            a.first_seen = a.first_seen.min(at);
            return id;
        }
        let id = self.accounts.len() as AccountId;
        self.ids.insert(account.clone(), id);
        self.keys.push(account.clone());
        self.accounts.push(Account::new(at));
        id
    }

    fn open(&mut self, e: &AccountOpened) -> Result<Observed, Refused> {
        check_account(&e.account)?;
        let at = e.at.timestamp();
        self.clock(at);
        let id = self.intern(&e.account, at);
        let a = &mut self.accounts[id as usize];
        a.opened_at = Some(at);
        a.remote = e.channel == OpeningChannel::Remote;
        if let Some(phone) = &e.phone {
            self.phone_of.insert(id, phone.clone());
        }
        Ok(Observed::default())
    }

    fn transact(&mut self, tx: &Transaction) -> Result<Observed, Refused> {
        if let Err(refused) = check_transaction(tx) {
            self.stats.refused += 1;
            return Err(refused);
        }
        let key = self.id_hasher.hash_one(tx.id.as_str());
        if !self.seen.insert(key) {
            self.stats.duplicates += 1;
            return Ok(Observed {
                duplicate: true,
                hits: Vec::new(),
            });
        }
        self.stats.transactions += 1;
        let at = tx.at.timestamp();
        self.clock(at);
        let from = self.intern(&tx.from, at);
        let to = self.intern(&tx.to, at);
        let amount = tx.amount_tiyn;
        let mut observed = Observed::default();

        let edge = self.edge(from, to, at);
        let structured = {
            let d = &self.rules.dropper;
            self.edges[edge as usize].structure(
                at,
                amount,
                d.structuring_window_s,
                d.structuring_min,
                d.structuring_similar,
            )
        };
        if structured > 0 {
            self.accounts[from as usize].structuring += structured;
            self.accounts[to as usize].structuring += structured;
        }
        {
            let d = &self.rules.dropper;
            let (window, share) = (d.pass_through_window_s, d.pass_through_share);
            let new_days = d.new_account_days;
            let payer = &mut self.accounts[from as usize];
            payer.balance -= amount;
            payer.out_count += 1;
            payer.out_sum += amount;
            payer.pass_through_on_out(at, amount, window, share);
            let payee = &mut self.accounts[to as usize];
            payee.balance += amount;
            payee.in_count += 1;
            payee.in_sum += amount;
            payee.pass_through_on_in(at, amount, window, share);
            if let Some(opened) = payee.opened_at
                && at >= opened
                && at - opened < new_days * 86_400
            {
                payee.inflows_while_new += 1;
            }
        }
        for device in [&tx.device_id, &tx.ip].into_iter().flatten() {
            let key = self.id_hasher.hash_one(device.as_str());
            let cap = self.rules.dropper.shared_device_full as usize + 1;
            let users = self.devices.entry(key).or_default();
            if !users.contains(&from) && users.len() < cap {
                users.push(from);
            }
            let shared = users.len() as u32;
            let payer = &mut self.accounts[from as usize];
            payer.shared_device = payer.shared_device.max(shared);
            if users.len() > 1 {
                // Everyone on the device shares with everyone.
                for &other in users.clone().iter() {
                    let o = &mut self.accounts[other as usize];
                    o.shared_device = o.shared_device.max(shared);
                }
            }
        }
        self.search_cycle(edge, from, to, at);
        self.shop_payment(tx, from, to, &mut observed);
        let hold_at = self.rules.decision.hold_at;
        for id in [to, from] {
            if self.accounts[id as usize].suspected {
                continue;
            }
            if self.account_score_value(id) >= hold_at {
                let (score, reasons) = self.account_score(id);
                self.accounts[id as usize].suspected = true;
                observed.hits.push(Hit::DropperSuspected {
                    account: self.keys[id as usize].clone(),
                    score,
                    reasons,
                });
            }
        }
        Ok(observed)
    }

    fn edge(&mut self, from: AccountId, to: AccountId, at: i64) -> u32 {
        if let Some(&e) = self.edge_ids.get(&(from, to)) {
            return e;
        }
        let e = self.edges.len() as u32;
        self.edges.push(Edge::new(from, to, at));
        self.edge_ids.insert((from, to), e);
        self.accounts[from as usize].out_edges.push(e);
        self.accounts[to as usize].in_edges.push(e);
        e
    }

    /// Money back at its origin: from the payee, along transfers within the cycle window of
    /// this one, to the payer, through at most `cycle_max_len` accounts. Each account on a
    /// cycle found counts it once; an edge is searched again only after a window has passed.
    fn search_cycle(&mut self, edge: u32, from: AccountId, to: AccountId, at: i64) {
        let d = &self.rules.dropper;
        let (window, max_len, cap) = (
            d.cycle_window_s,
            d.cycle_max_len as usize,
            d.cycle_visit_cap as usize,
        );
        if from == to {
            return;
        }
        {
            let e = &mut self.edges[edge as usize];
            if let Some(checked) = e.cycle_checked_at
                && (at - checked).abs() < window
            {
                return;
            }
            e.cycle_checked_at = Some(at);
        }
        // Breadth-first from the payee; `scratch` holds (account, parent index).
        let visited = &mut self.scratch;
        visited.clear();
        visited.push((to, u32::MAX));
        let mut depth_start = 0;
        let mut found = None;
        'search: for _depth in 1..max_len {
            let depth_end = visited.len();
            for i in depth_start..depth_end {
                let (u, _) = visited[i];
                for &oe in &self.accounts[u as usize].out_edges {
                    let e = &self.edges[oe as usize];
                    if (at - e.last_at).abs() > window {
                        continue;
                    }
                    let v = e.to;
                    if v == from {
                        found = Some(i);
                        break 'search;
                    }
                    if visited.len() >= cap || visited.iter().any(|&(w, _)| w == v) {
                        continue;
                    }
                    visited.push((v, i as u32));
                }
            }
            if visited.len() == depth_end {
                break;
            }
            depth_start = depth_end;
        }
        if let Some(mut i) = found {
            self.accounts[from as usize].cycles += 1;
            loop {
                let (u, parent) = visited[i];
                self.accounts[u as usize].cycles += 1;
                if parent == u32::MAX {
                    break;
                }
                i = parent as usize;
            }
        }
    }

    fn shop_payment(
        &mut self,
        tx: &Transaction,
        from: AccountId,
        to: AccountId,
        observed: &mut Observed,
    ) {
        let at = tx.at.timestamp();
        let direct = self
            .shop_of_account
            .get(&to)
            .or_else(|| {
                tx.qr_merchant
                    .as_ref()
                    .and_then(|m| self.shop_of_merchant.get(m))
            })
            .copied()
            .filter(|&s| in_force(&self.shops[s as usize].details, at));
        if let Some(s) = direct {
            let shop = &mut self.shops[s as usize];
            shop.revenue.direct_tiyn += tx.amount_tiyn;
            shop.revenue.payments += 1;
            observed.hits.push(Hit::DrugShopPayment {
                shop: shop.details.shop.clone(),
                transaction: tx.id.clone(),
                amount_tiyn: tx.amount_tiyn,
                hops: 0,
            });
        } else if let Some(s) = self.accounts[to as usize].shop_hop
            && in_force(&self.shops[s as usize].details, at)
        {
            let shop = &mut self.shops[s as usize];
            shop.revenue.one_hop_tiyn += tx.amount_tiyn;
            shop.revenue.payments += 1;
            observed.hits.push(Hit::DrugShopPayment {
                shop: shop.details.shop.clone(),
                transaction: tx.id.clone(),
                amount_tiyn: tx.amount_tiyn,
                hops: 1,
            });
        }
        // A listed account paying on: the payee is one hop from the shop.
        if let Some(&s) = self.shop_of_account.get(&from)
            && !self.shop_of_account.contains_key(&to)
        {
            self.accounts[to as usize].shop_hop.get_or_insert(s);
        }
    }

    fn call(&mut self, call: &CallRecord) -> Result<Observed, Refused> {
        if call.caller.trim().is_empty() || call.callee.trim().is_empty() {
            self.stats.refused += 1;
            return Err(Refused::new(
                codes::INVALID_NUMBER,
                "a call needs a caller and a callee number",
            ));
        }
        let at = call.at.timestamp();
        self.clock(at);
        self.stats.calls += 1;
        let mut observed = Observed::default();
        if let Some((score, reasons)) = self.calls.observe(call, &self.rules.sim_box) {
            observed.hits.push(Hit::SimBoxProposed {
                number: call.caller.clone(),
                score,
                reasons,
            });
        }
        Ok(observed)
    }

    fn report(&mut self, r: &FraudReport) -> Result<Observed, Refused> {
        for a in &r.accounts {
            check_account(a)?;
        }
        let at = r.at.timestamp();
        self.clock(at);
        for a in &r.accounts {
            let id = self.intern(a, at);
            self.accounts[id as usize].reported += 1;
        }
        for n in &r.numbers {
            self.reported_numbers.insert(n.clone());
        }
        Ok(Observed::default())
    }

    fn list_shop(&mut self, d: &DrugShopDetails) -> Result<Observed, Refused> {
        for a in &d.accounts {
            check_account(a)?;
        }
        if d.expires_at <= d.at {
            return Err(Refused::new(
                codes::INVALID_EXPIRY,
                format!("shop {} expires before it is listed", d.shop),
            ));
        }
        let at = d.at.timestamp();
        self.clock(at);
        let s = self.shops.len() as u32;
        for a in &d.accounts {
            let id = self.intern(a, at);
            self.shop_of_account.insert(id, s);
        }
        for m in &d.qr_merchants {
            self.shop_of_merchant.insert(m.clone(), s);
        }
        self.shops.push(Shop {
            revenue: ShopRevenue {
                shop: d.shop.clone(),
                direct_tiyn: 0,
                one_hop_tiyn: 0,
                payments: 0,
            },
            details: d.clone(),
        });
        Ok(Observed::default())
    }

    fn block(&mut self, b: &BlockEntry) -> Result<Observed, Refused> {
        if let BlockTarget::Account(a) = &b.target {
            check_account(a)?;
        }
        if b.expires_at <= b.at {
            return Err(Refused::new(
                codes::INVALID_EXPIRY,
                "a block-list entry must expire after it starts",
            ));
        }
        let at = b.at.timestamp();
        self.clock(at);
        if let BlockTarget::Account(a) = &b.target {
            let id = self.intern(a, at);
            if b.reason == BlockReason::ConfirmedDropper {
                self.accounts[id as usize]
                    .confirmed
                    .push((at, b.expires_at.timestamp()));
            }
        }
        self.blocks
            .entry(b.target.clone())
            .or_default()
            .push(b.clone());
        Ok(Observed::default())
    }

    /// The block-list entry in force at `at` for a target, if any.
    pub fn blocked(&self, target: &BlockTarget, at: DateTime<Utc>) -> Option<&BlockEntry> {
        self.blocks
            .get(target)?
            .iter()
            .find(|b| b.at <= at && at < b.expires_at)
    }

    /// Every block-list entry in force at `at`.
    pub fn block_list(&self, at: DateTime<Utc>) -> Vec<&BlockEntry> {
        let mut list: Vec<&BlockEntry> = self
            .blocks
            .values()
            .flatten()
            .filter(|b| b.at <= at && at < b.expires_at)
            .collect();
        list.sort_by_key(|b| b.at);
        list
    }

    /// Each listed shop's revenue so far.
    pub fn shop_revenue(&self) -> Vec<ShopRevenue> {
        self.shops.iter().map(|s| s.revenue.clone()).collect()
    }

    /// Numbers proposed as SIM boxes, with their scores and reasons, best first.
    pub fn sim_box_proposals(&self) -> Vec<(String, f64, Vec<Reason>)> {
        self.calls.proposals(&self.rules.sim_box)
    }

    /// An account's dropper score and its reasons (propagated parts as of the last
    /// [`FraudCentre::propagate`]).
    pub fn score(&self, account: &AccountRef) -> Option<(f64, Vec<Reason>)> {
        self.account_id(account).map(|id| self.account_score(id))
    }

    pub(crate) fn account_score(&self, id: AccountId) -> (f64, Vec<Reason>) {
        self.accounts[id as usize].explain(&self.rules.dropper, self.listed_now(id))
    }

    pub(crate) fn account_score_value(&self, id: AccountId) -> f64 {
        self.accounts[id as usize].score(&self.rules.dropper, self.listed_now(id))
    }

    /// Whether the account is a confirmed dropper (in force now) or was reported by a victim.
    pub(crate) fn listed_now(&self, id: AccountId) -> bool {
        let a = &self.accounts[id as usize];
        if a.reported > 0 || self.shop_of_account.contains_key(&id) {
            return true;
        }
        a.confirmed
            .iter()
            .any(|&(from, until)| from <= self.newest && self.newest < until)
    }

    /// Every account's score, in first-sight order.
    pub fn scores(&self) -> impl Iterator<Item = (&AccountRef, f64)> + '_ {
        (0..self.accounts.len() as AccountId)
            .map(|id| (&self.keys[id as usize], self.account_score_value(id)))
    }

    /// Judges a transfer before it is executed, from the state as it is: allow, hold or block,
    /// with the score and every reason. Pure: the state does not change.
    pub fn decide(&self, tx: &Transaction) -> Result<Decision, Refused> {
        check_transaction(tx)?;
        let mut reasons = Vec::new();
        let mut block = false;
        let mut score: f64 = 0.0;
        for (side, account) in [("payee", &tx.to), ("payer", &tx.from)] {
            if let Some(b) = self.blocked(&BlockTarget::Account(account.clone()), tx.at) {
                block = true;
                score = 1.0;
                reasons.push(Reason::new(
                    format!("{side}.block_listed"),
                    1.0,
                    1.0,
                    1.0,
                    format!(
                        "{account} is block-listed ({:?}) under {} until {}",
                        b.reason, b.legal_basis.reference, b.expires_at
                    ),
                ));
            }
        }
        let to = self.account_id(&tx.to);
        let from = self.account_id(&tx.from);
        let at = tx.at.timestamp();
        // Drug-shop details.
        let shop = to
            .and_then(|id| self.shop_of_account.get(&id))
            .or_else(|| {
                tx.qr_merchant
                    .as_ref()
                    .and_then(|m| self.shop_of_merchant.get(m))
            })
            .copied()
            .filter(|&s| in_force(&self.shops[s as usize].details, at));
        if let Some(s) = shop {
            let d = &self.shops[s as usize].details;
            block = true;
            score = 1.0;
            reasons.push(Reason::new(
                "drug_shop_details",
                0.0,
                1.0,
                1.0,
                format!(
                    "the payee is a payment detail of drug shop {} ({})",
                    d.shop, d.legal_basis.reference
                ),
            ));
        } else if let Some(s) = to.and_then(|id| self.accounts[id as usize].shop_hop)
            && in_force(&self.shops[s as usize].details, at)
        {
            let d = &self.shops[s as usize].details;
            let c = self.rules.decision.hold_at;
            score = score.max(c);
            reasons.push(Reason::new(
                "drug_shop_one_hop",
                1.0,
                c,
                1.0,
                format!(
                    "the payee receives money from drug shop {}'s details",
                    d.shop
                ),
            ));
        }
        // Dropper scores of both sides.
        if let Some(id) = to {
            let (s, rs) = self.account_score(id);
            score = score.max(s);
            reasons.extend(rs.into_iter().map(|r| prefixed("payee", r)));
        }
        if let Some(id) = from {
            let share = self.rules.decision.payer_share;
            let (s, rs) = self.account_score(id);
            score = score.max(s * share);
            reasons.extend(rs.into_iter().map(|r| {
                let mut r = prefixed("payer", r);
                r.contribution *= share;
                r
            }));
        }
        // A call from a risky number, then a transfer to a new payee.
        let new_payee = match (from, to) {
            (Some(f), Some(t)) => !self.edge_ids.contains_key(&(f, t)),
            _ => true,
        };
        if new_payee {
            let window = self.rules.call_transfer.within_minutes * 60;
            let phone = tx
                .payer_phone
                .as_ref()
                .or_else(|| from.and_then(|f| self.phone_of.get(&f)));
            if let Some(call) = phone.and_then(|p| self.calls.risky_call_before(p, at, window)) {
                let c = self.rules.call_transfer.score;
                score = score.max(c);
                reasons.push(call_reason(&call, at, c, &self.reported_numbers));
            }
        }
        let d = &self.rules.decision;
        let decision = if block || score >= d.block_at {
            Verdict::Block
        } else if score >= d.hold_at {
            Verdict::Hold
        } else {
            Verdict::Allow
        };
        Ok(Decision {
            decision,
            score,
            reasons,
        })
    }

    /// Spreads suspicion over the transaction graph: closed rings of counterparties, links
    /// within two hops to listed accounts (confirmed droppers, reported, drug-shop details), and
    /// rounds of suspicion from counterparties. Cost: linear in the edges, plus the triangles.
    pub fn propagate(&mut self) {
        let values = crate::dropper::propagation(self);
        self.set_propagated(values);
    }

    /// [`FraudCentre::propagate`] in two steps: the pass over the graph, which only reads (a
    /// server runs it beside its decisions), then [`FraudCentre::apply_propagation`], which
    /// is quick. Accounts first seen in between keep what they had until the next pass.
    pub fn propagation(&self) -> Propagation {
        Propagation(crate::dropper::propagation(self))
    }

    pub fn apply_propagation(&mut self, p: Propagation) {
        self.set_propagated(p.0);
    }

    pub(crate) fn set_propagated(&mut self, values: Vec<Propagated>) {
        for (a, p) in self.accounts.iter_mut().zip(values) {
            a.propagated = p;
        }
    }
}

fn prefixed(side: &str, mut r: Reason) -> Reason {
    r.indicator = format!("{side}.{}", r.indicator);
    r
}

fn call_reason(call: &RiskyCall, at: i64, c: f64, reported: &HashSet<String>) -> Reason {
    let minutes = ((at - call.ends_at).max(0) as f64) / 60.0;
    let when = if at <= call.ends_at {
        "during the call".to_string()
    } else {
        format!("{minutes:.0} min after the call ended")
    };
    let reported = if reported.contains(&call.caller) {
        ", a number reported by a victim"
    } else {
        ""
    };
    Reason::new(
        "call_then_transfer",
        minutes,
        c,
        1.0,
        format!(
            "a transfer to a new payee {when} from {} ({}{}{reported})",
            call.caller,
            call.kind,
            if call.first_contact {
                ", never called before"
            } else {
                ""
            }
        ),
    )
}

fn in_force(d: &DrugShopDetails, at: i64) -> bool {
    d.at.timestamp() <= at && at < d.expires_at.timestamp()
}

fn check_account(a: &AccountRef) -> Result<(), Refused> {
    if a.bank.trim().is_empty() || a.account.trim().is_empty() {
        return Err(Refused::new(
            codes::INVALID_ACCOUNT,
            format!("an account needs a bank and a number, got {a:?}"),
        ));
    }
    Ok(())
}

fn check_transaction(tx: &Transaction) -> Result<(), Refused> {
    if tx.id.trim().is_empty() {
        return Err(Refused::new(codes::MISSING_ID, "a transaction needs an id"));
    }
    if tx.amount_tiyn <= 0 {
        return Err(Refused::new(
            codes::INVALID_AMOUNT,
            format!(
                "transaction {}: amount {} tiyn is not above zero",
                tx.id, tx.amount_tiyn
            ),
        ));
    }
    if tx.currency != CURRENCY {
        return Err(Refused::new(
            codes::UNSUPPORTED_CURRENCY,
            format!(
                "transaction {}: currency {:?} is not judged, only KZT",
                tx.id, tx.currency
            ),
        ));
    }
    check_account(&tx.from)?;
    check_account(&tx.to)
}
