//! [`FraudStore`] on SQLite (schema version 8).

use chrono::{DateTime, Utc};
use iz_audit::AuditDraft;
use iz_fraud::BlockEntry;
use iz_model::Actor;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde_json::json;

use super::{
    SqliteStore, append_audit, collect, from_json, from_name, micros, page_limit, time, to_json,
    to_micros,
};
use crate::fraud::*;
use crate::{Result, StoreError};

/// The detectors' audit actor.
const DETECTORS: &str = "system:fraud";

const CASE_COLUMNS: &str = "id, kind, subject, opened_at, detail, status, handled";

fn case_from_row(row: &Row<'_>) -> Result<FraudCase> {
    let handled: Option<String> = row.get(6)?;
    Ok(FraudCase {
        id: row.get(0)?,
        kind: from_name(row.get(1)?, "case kind")?,
        subject: row.get(2)?,
        opened_at: time(row.get(3)?)?,
        detail: from_json(&row.get::<_, String>(4)?, "case detail")?,
        status: from_name(row.get(5)?, "case status")?,
        handled: handled
            .map(|h| from_json(&h, "case handling"))
            .transpose()?,
    })
}

const LISTING_COLUMNS: &str = "id, body, added_by, added_at, withdrawn";

fn listing_from_row(row: &Row<'_>) -> Result<Listing> {
    let withdrawn: Option<String> = row.get(4)?;
    Ok(Listing {
        id: row.get(0)?,
        body: from_json(&row.get::<_, String>(1)?, "listing")?,
        added_by: row.get(2)?,
        added_at: time(row.get(3)?)?,
        withdrawn: withdrawn.map(|w| from_json(&w, "withdrawal")).transpose()?,
    })
}

fn name_of<T: serde::Serialize>(value: T) -> Result<String> {
    match serde_json::to_value(value)
        .map_err(|e| StoreError::Backend(format!("cannot write JSON: {e}")))?
    {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

fn load_case(tx: &Transaction<'_>, id: i64) -> Result<Option<FraudCase>> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM fraud_cases WHERE id = ?1");
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id])?;
    match rows.next()? {
        Some(row) => Ok(Some(case_from_row(row)?)),
        None => Ok(None),
    }
}

fn load_listing(tx: &Transaction<'_>, id: i64) -> Result<Option<Listing>> {
    let sql = format!("SELECT {LISTING_COLUMNS} FROM fraud_listings WHERE id = ?1");
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id])?;
    match rows.next()? {
        Some(row) => Ok(Some(listing_from_row(row)?)),
        None => Ok(None),
    }
}

fn insert_listing(
    tx: &Transaction<'_>,
    body: &ListingBody,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<Listing> {
    tx.prepare_cached("INSERT INTO fraud_listings (body, added_by, added_at) VALUES (?1, ?2, ?3)")?
        .execute(params![to_json(body)?, actor.id, micros(at)])?;
    let id = tx.last_insert_rowid();
    let what = match body {
        ListingBody::Block(b) => {
            json!({ "block": b.target, "reason": b.reason, "legal_basis": b.legal_basis.reference, "expires_at": b.expires_at })
        }
        ListingBody::DrugShop(d) => {
            json!({ "drug_shop": d.shop, "legal_basis": d.legal_basis.reference, "expires_at": d.expires_at })
        }
    };
    append_audit(
        tx,
        [AuditDraft::new(
            actor.id.clone(),
            "fraud.listing.add",
            format!("listing:{id}"),
            what,
        )],
        at,
    )?;
    Ok(Listing {
        id,
        body: body.clone(),
        added_by: actor.id.clone(),
        added_at: at,
        withdrawn: None,
    })
}

impl FraudStore for SqliteStore {
    fn open_fraud_cases(
        &self,
        proposals: Vec<(CaseKind, String, serde_json::Value)>,
        at: DateTime<Utc>,
    ) -> Result<Vec<FraudCase>> {
        if proposals.is_empty() {
            return Ok(Vec::new());
        }
        let at = to_micros(at);
        self.write(|tx| {
            let mut opened = Vec::new();
            for (kind, subject, detail) in proposals {
                let kind_name = name_of(kind)?;
                let inserted = tx
                    .prepare_cached(
                        "INSERT INTO fraud_cases (kind, subject, opened_at, detail, status) VALUES (?1, ?2, ?3, ?4, 'open') \
                         ON CONFLICT DO NOTHING",
                    )?
                    .execute(params![kind_name, subject, micros(at), to_json(&detail)?])?;
                if inserted == 0 {
                    continue;
                }
                let id = tx.last_insert_rowid();
                let score = detail.get("score").cloned().unwrap_or(serde_json::Value::Null);
                append_audit(
                    tx,
                    [AuditDraft::new(DETECTORS, "fraud.case.open", format!("fraud_case:{id}"), json!({ "kind": kind_name, "subject": subject, "score": score }))],
                    at,
                )?;
                opened.push(FraudCase { id, kind, subject, opened_at: at, detail, status: CaseStatus::Open, handled: None });
            }
            Ok(opened)
        })
    }

    fn fraud_cases(&self, status: Option<CaseStatus>, limit: usize) -> Result<Vec<FraudCase>> {
        let status = status.map(name_of).transpose()?;
        self.read(|tx| {
            let sql = format!(
                "SELECT {CASE_COLUMNS} FROM fraud_cases WHERE (?1 IS NULL OR status = ?1) ORDER BY id DESC LIMIT ?2"
            );
            let mut stmt = tx.prepare_cached(&sql)?;
            let rows = stmt.query(params![status, page_limit(limit)])?;
            collect(rows, case_from_row)
        })
    }

    fn fraud_case(&self, id: i64) -> Result<Option<FraudCase>> {
        self.read(|tx| load_case(tx, id))
    }

    fn handle_fraud_case(
        &self,
        id: i64,
        block: Option<BlockEntry>,
        note: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<(FraudCase, Option<Listing>)> {
        let at = to_micros(at);
        self.write(|tx| {
            let mut case = load_case(tx, id)?.ok_or_else(|| StoreError::NotFound {
                what: "fraud case",
                id: id.to_string(),
            })?;
            if case.status != CaseStatus::Open {
                return Err(StoreError::Conflict(format!(
                    "case {id} is already {}",
                    name_of(case.status)?
                )));
            }
            let listing = block
                .map(|b| insert_listing(tx, &ListingBody::Block(b), actor, at))
                .transpose()?;
            case.status = if listing.is_some() {
                CaseStatus::Confirmed
            } else {
                CaseStatus::Dismissed
            };
            case.handled = Some(CaseHandling {
                by: actor.id.clone(),
                at,
                note: note.to_string(),
                listing: listing.as_ref().map(|l| l.id),
            });
            // The subject may be proposed again once this case is handled.
            tx.prepare_cached("UPDATE fraud_cases SET status = ?2, handled = ?3 WHERE id = ?1")?
                .execute(params![id, name_of(case.status)?, to_json(&case.handled)?])?;
            let action = if listing.is_some() {
                "fraud.case.confirm"
            } else {
                "fraud.case.dismiss"
            };
            append_audit(
                tx,
                [AuditDraft::new(
                    actor.id.clone(),
                    action,
                    format!("fraud_case:{id}"),
                    json!({ "note": note, "listing": listing.as_ref().map(|l| l.id) }),
                )],
                at,
            )?;
            Ok((case, listing))
        })
    }

    fn add_listing(&self, body: ListingBody, actor: &Actor, at: DateTime<Utc>) -> Result<Listing> {
        let at = to_micros(at);
        self.write(|tx| insert_listing(tx, &body, actor, at))
    }

    fn withdraw_listing(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Listing> {
        let at = to_micros(at);
        self.write(|tx| {
            let mut listing = load_listing(tx, id)?.ok_or_else(|| StoreError::NotFound {
                what: "listing",
                id: id.to_string(),
            })?;
            if listing.withdrawn.is_some() {
                return Err(StoreError::Conflict(format!(
                    "listing {id} is already withdrawn"
                )));
            }
            listing.withdrawn = Some(Withdrawal {
                by: actor.id.clone(),
                at,
                reason: reason.to_string(),
            });
            tx.prepare_cached("UPDATE fraud_listings SET withdrawn = ?2 WHERE id = ?1")?
                .execute(params![id, to_json(&listing.withdrawn)?])?;
            append_audit(
                tx,
                [AuditDraft::new(
                    actor.id.clone(),
                    "fraud.listing.withdraw",
                    format!("listing:{id}"),
                    json!({ "reason": reason }),
                )],
                at,
            )?;
            Ok(listing)
        })
    }

    fn listings(&self) -> Result<Vec<Listing>> {
        self.read(|tx| {
            let sql = format!("SELECT {LISTING_COLUMNS} FROM fraud_listings ORDER BY id");
            let mut stmt = tx.prepare_cached(&sql)?;
            let rows = stmt.query([])?;
            collect(rows, listing_from_row)
        })
    }

    fn put_fraud_config(
        &self,
        version: u32,
        text: &str,
        source: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<StoredConfig> {
        let at = to_micros(at);
        self.write(|tx| {
            tx.prepare_cached("INSERT INTO fraud_configs (version, text, applied_at, applied_by) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![version, text, micros(at), actor.id])?;
            let id = tx.last_insert_rowid();
            append_audit(
                tx,
                [AuditDraft::new(actor.id.clone(), "fraud.config", format!("fraud_config:{id}"), json!({ "version": version, "source": source }))],
                at,
            )?;
            Ok(StoredConfig { id, version, text: text.to_string(), applied_at: at, applied_by: actor.id.clone() })
        })
    }

    fn fraud_config(&self) -> Result<Option<StoredConfig>> {
        self.read(|tx| {
            tx.prepare_cached("SELECT id, version, text, applied_at, applied_by FROM fraud_configs ORDER BY id DESC LIMIT 1")?
                .query_row([], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get::<_, u32>(1)?, row.get::<_, String>(2)?, row.get::<_, i64>(3)?, row.get::<_, String>(4)?))
                })
                .optional()?
                .map(|(id, version, text, at, by)| -> Result<StoredConfig> {
                    Ok(StoredConfig { id, version, text, applied_at: time(at)?, applied_by: by })
                })
                .transpose()
        })
    }
}
