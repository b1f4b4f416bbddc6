//! [`SupervisionStore`] on SQLite (schema version 6).

use chrono::{DateTime, Utc};
use iz_audit::AuditDraft;
use iz_model::{Actor, Region};
use iz_supervision::Signal;
use iz_supervision::referral::{Referral, ReferralRule, ReferralStatus};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

use super::{
    SqliteStore, append_audit, collect, from_json, from_name, micros, page_limit, region, time,
    to_json, to_micros,
};
use crate::supervision::*;
use crate::{Result, StoreError};

/// The monitor's audit actor.
const MONITOR: &str = "system:supervision";

const SUPERVISED_COLUMNS: &str = "id, iin, name, officer, region, legal_basis, term_from, term_until, devices, \
     restrictions, needs, created_at, created_by, released_at";

fn supervised_from_row(row: &Row<'_>) -> Result<Supervised> {
    let released: Option<i64> = row.get(13)?;
    Ok(Supervised {
        id: row.get(0)?,
        order: NewSupervised {
            iin: row.get(1)?,
            name: row.get(2)?,
            officer: row.get(3)?,
            region: region(&row.get::<_, String>(4)?)?,
            legal_basis: from_json(&row.get::<_, String>(5)?, "legal basis")?,
            term: iz_supervision::Interval {
                from: time(row.get(6)?)?,
                until: time(row.get(7)?)?,
            },
            devices: from_json(&row.get::<_, String>(8)?, "devices")?,
            restrictions: from_json(&row.get::<_, String>(9)?, "restrictions")?,
            needs: from_json(&row.get::<_, String>(10)?, "needs")?,
        },
        created_at: time(row.get(11)?)?,
        created_by: row.get(12)?,
        released_at: released.map(time).transpose()?,
    })
}

fn load_supervised(conn: &Connection, id: SupervisedId) -> Result<Option<Supervised>> {
    conn.prepare_cached(&format!(
        "SELECT {SUPERVISED_COLUMNS} FROM supervised WHERE id = ?1"
    ))?
    .query_row(params![id], |row| Ok(supervised_from_row(row)))
    .optional()?
    .transpose()
}

const VIOLATION_COLUMNS: &str = "id, person, kind, started_at, opened_at, ended_at, observations, evidence, status, \
     acknowledged, closed";

fn violation_from_row(row: &Row<'_>) -> Result<ViolationRecord> {
    let ended: Option<i64> = row.get(5)?;
    let handled = |i: usize| -> Result<Option<Handled>> {
        row.get::<_, Option<String>>(i)?
            .map(|t| from_json(&t, "violation handling"))
            .transpose()
    };
    Ok(ViolationRecord {
        id: row.get(0)?,
        person: row.get(1)?,
        kind: from_json(&row.get::<_, String>(2)?, "violation kind")?,
        started_at: time(row.get(3)?)?,
        opened_at: time(row.get(4)?)?,
        ended_at: ended.map(time).transpose()?,
        observations: row.get(6)?,
        evidence: from_json(&row.get::<_, String>(7)?, "evidence")?,
        status: from_name(row.get(8)?, "violation status")?,
        acknowledged: handled(9)?,
        closed: handled(10)?,
    })
}

fn load_violation(conn: &Connection, id: ViolationId) -> Result<Option<ViolationRecord>> {
    conn.prepare_cached(&format!(
        "SELECT {VIOLATION_COLUMNS} FROM violations WHERE id = ?1"
    ))?
    .query_row(params![id], |row| Ok(violation_from_row(row)))
    .optional()?
    .transpose()
}

fn status_name(s: ViolationStatus) -> &'static str {
    match s {
        ViolationStatus::Open => "open",
        ViolationStatus::Acknowledged => "acknowledged",
        ViolationStatus::Closed => "closed",
    }
}

fn referral_name(s: ReferralStatus) -> Result<String> {
    match serde_json::to_value(s) {
        Ok(serde_json::Value::String(name)) => Ok(name),
        _ => Err(StoreError::Backend(format!("{s:?} has no name"))),
    }
}

const REFERRAL_COLUMNS: &str = "id, person, rule, status, history";

fn referral_from_row(row: &Row<'_>) -> Result<Referral> {
    Ok(Referral {
        id: row.get(0)?,
        person: row.get(1)?,
        rule: from_json(&row.get::<_, String>(2)?, "referral rule")?,
        status: from_name(row.get(3)?, "referral status")?,
        history: from_json(&row.get::<_, String>(4)?, "referral history")?,
    })
}

fn load_referral(conn: &Connection, id: i64) -> Result<Option<Referral>> {
    conn.prepare_cached(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = ?1"
    ))?
    .query_row(params![id], |row| Ok(referral_from_row(row)))
    .optional()?
    .transpose()
}

impl SupervisionStore for SqliteStore {
    fn add_supervised(
        &self,
        order: NewSupervised,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Supervised> {
        let at = to_micros(at);
        let order = NewSupervised {
            term: iz_supervision::Interval {
                from: to_micros(order.term.from),
                until: to_micros(order.term.until),
            },
            ..order
        };
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO supervised (iin, name, officer, region, legal_basis, term_from, term_until, devices, \
                 restrictions, needs, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                order.iin,
                order.name,
                order.officer,
                order.region.code(),
                to_json(&order.legal_basis)?,
                micros(order.term.from),
                micros(order.term.until),
                to_json(&order.devices)?,
                to_json(&order.restrictions)?,
                to_json(&order.needs)?,
                micros(at),
                actor.id,
            ])?;
            let id = tx.last_insert_rowid();
            for device in &order.devices {
                let taken: Option<i64> = tx
                    .prepare_cached("SELECT person FROM supervised_devices WHERE device = ?1")?
                    .query_row(params![device], |row| row.get(0))
                    .optional()?;
                if let Some(other) = taken {
                    return Err(StoreError::Conflict(format!(
                        "device {device} is worn by supervised person {other}"
                    )));
                }
                tx.prepare_cached("INSERT INTO supervised_devices (device, person) VALUES (?1, ?2)")?
                    .execute(params![device, id])?;
            }
            let draft = AuditDraft::new(
                actor.id.clone(),
                "supervision.enrol",
                format!("supervised:{id}"),
                json!({ "officer": order.officer, "region": order.region.code(), "legal_basis": order.legal_basis.reference }),
            );
            append_audit(tx, [draft], at)?;
            Ok(Supervised {
                id,
                order,
                created_at: at,
                created_by: actor.id.clone(),
                released_at: None,
            })
        })
    }

    fn release_supervised(
        &self,
        id: SupervisedId,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Supervised> {
        let at = to_micros(at);
        self.write(|tx| {
            let mut person = load_supervised(tx, id)?.ok_or_else(|| StoreError::NotFound {
                what: "supervised person",
                id: id.to_string(),
            })?;
            if person.released_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "supervised person {id} is already released"
                )));
            }
            tx.prepare_cached(
                "UPDATE supervised SET released_at = ?2, release_reason = ?3 WHERE id = ?1",
            )?
            .execute(params![id, micros(at), reason])?;
            tx.prepare_cached("DELETE FROM supervised_devices WHERE person = ?1")?
                .execute(params![id])?;
            let draft = AuditDraft::new(
                actor.id.clone(),
                "supervision.release",
                format!("supervised:{id}"),
                json!({ "reason": reason }),
            );
            append_audit(tx, [draft], at)?;
            person.released_at = Some(at);
            Ok(person)
        })
    }

    fn get_supervised(&self, id: SupervisedId) -> Result<Option<Supervised>> {
        self.read(|tx| load_supervised(tx, id))
    }

    fn list_supervised(&self, filter: &SupervisedFilter) -> Result<Vec<Supervised>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {SUPERVISED_COLUMNS} FROM supervised \
                 WHERE (?1 IS NULL OR officer = ?1) AND (?2 IS NULL OR region = ?2) AND (?3 OR released_at IS NULL) \
                 ORDER BY name, id"
            ))?;
            let rows = stmt.query(params![filter.officer, filter.region.map(Region::code), filter.include_released])?;
            collect(rows, supervised_from_row)
        })
    }

    fn record_signals(
        &self,
        signals: &[Signal],
        at: DateTime<Utc>,
    ) -> Result<Vec<ViolationRecord>> {
        if signals.is_empty() {
            return Ok(Vec::new());
        }
        let at = to_micros(at);
        self.write(|tx| {
            let mut touched = Vec::new();
            let mut drafts = Vec::new();
            for signal in signals {
                match signal {
                    Signal::Opened(v) => {
                        let inserted = tx
                            .prepare_cached(
                                "INSERT INTO violations (person, kind_key, kind, started_at, opened_at, observations, evidence, status) \
                                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open') ON CONFLICT (person, kind_key, started_at) DO NOTHING",
                            )?
                            .execute(params![
                                v.person,
                                v.kind.key(),
                                to_json(&v.kind)?,
                                micros(v.started_at),
                                micros(v.opened_at),
                                v.observations,
                                to_json(&v.evidence)?,
                            ])?;
                        if inserted == 1 {
                            let id = tx.last_insert_rowid();
                            drafts.push(AuditDraft::new(MONITOR, "violation.open", format!("violation:{id}"), json!({ "person": v.person, "kind": v.kind.key() })));
                            touched.extend(load_violation(tx, id)?);
                        }
                    }
                    Signal::Ended { person, kind, ended_at } => {
                        let id: Option<i64> = tx
                            .prepare_cached(
                                "SELECT id FROM violations WHERE person = ?1 AND kind_key = ?2 AND ended_at IS NULL \
                                 ORDER BY started_at DESC LIMIT 1",
                            )?
                            .query_row(params![person, kind.key()], |row| row.get(0))
                            .optional()?;
                        if let Some(id) = id {
                            tx.prepare_cached("UPDATE violations SET ended_at = ?2 WHERE id = ?1")?
                                .execute(params![id, micros(*ended_at)])?;
                            touched.extend(load_violation(tx, id)?);
                        }
                    }
                }
            }
            append_audit(tx, drafts, at)?;
            Ok(touched)
        })
    }

    fn list_violations(&self, filter: &ViolationFilter) -> Result<Vec<ViolationRecord>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {} FROM violations v JOIN supervised s ON s.id = v.person \
                 WHERE (?1 IS NULL OR v.person = ?1) AND (?2 IS NULL OR s.officer = ?2) AND (?3 IS NULL OR s.region = ?3) \
                 AND (?4 IS NULL OR v.status = ?4) ORDER BY v.opened_at DESC, v.id DESC LIMIT ?5",
                VIOLATION_COLUMNS.split(", ").map(|c| format!("v.{c}")).collect::<Vec<_>>().join(", ")
            ))?;
            let rows = stmt.query(params![
                filter.person,
                filter.officer,
                filter.region.map(Region::code),
                filter.status.map(status_name),
                page_limit(filter.limit),
            ])?;
            collect(rows, violation_from_row)
        })
    }

    fn get_violation(&self, id: ViolationId) -> Result<Option<ViolationRecord>> {
        self.read(|tx| load_violation(tx, id))
    }

    fn ongoing_violations(&self) -> Result<Vec<ViolationRecord>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {VIOLATION_COLUMNS} FROM violations WHERE ended_at IS NULL ORDER BY id"
            ))?;
            let rows = stmt.query([])?;
            collect(rows, violation_from_row)
        })
    }

    fn handle_violation(
        &self,
        id: ViolationId,
        next: ViolationStatus,
        note: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<ViolationRecord> {
        let at = to_micros(at);
        self.write(|tx| {
            let v = load_violation(tx, id)?.ok_or_else(|| StoreError::NotFound {
                what: "violation",
                id: id.to_string(),
            })?;
            let (column, action) = match (v.status, next) {
                (ViolationStatus::Open, ViolationStatus::Acknowledged) => {
                    ("acknowledged", "violation.acknowledge")
                }
                (
                    ViolationStatus::Open | ViolationStatus::Acknowledged,
                    ViolationStatus::Closed,
                ) => {
                    if note.trim().is_empty() {
                        return Err(StoreError::Conflict(
                            "closing a violation needs a reason".into(),
                        ));
                    }
                    ("closed", "violation.close")
                }
                (from, to) => {
                    return Err(StoreError::Conflict(format!(
                        "violation {id} is {}, it cannot become {}",
                        status_name(from),
                        status_name(to)
                    )));
                }
            };
            let handled = Handled {
                by: actor.id.clone(),
                at,
                note: note.to_string(),
            };
            tx.prepare_cached(&format!(
                "UPDATE violations SET status = ?2, {column} = ?3 WHERE id = ?1"
            ))?
            .execute(params![id, status_name(next), to_json(&handled)?])?;
            let draft = AuditDraft::new(
                actor.id.clone(),
                action,
                format!("violation:{id}"),
                json!({ "note": note }),
            );
            append_audit(tx, [draft], at)?;
            load_violation(tx, id)?
                .ok_or_else(|| StoreError::Backend(format!("violation {id} vanished")))
        })
    }

    fn propose_referrals(
        &self,
        person: SupervisedId,
        rules: &[ReferralRule],
        at: DateTime<Utc>,
    ) -> Result<Vec<Referral>> {
        let at = to_micros(at);
        self.write(|tx| {
            load_supervised(tx, person)?.ok_or_else(|| StoreError::NotFound { what: "supervised person", id: person.to_string() })?;
            let mut made = Vec::new();
            for rule in rules {
                // One live referral per rule: a proposal already made (and not declined) stands.
                let live: Option<i64> = tx
                    .prepare_cached("SELECT id FROM referrals WHERE person = ?1 AND rule_id = ?2 AND status != 'declined'")?
                    .query_row(params![person, rule.id], |row| row.get(0))
                    .optional()?;
                if live.is_some() {
                    continue;
                }
                let draft = Referral::propose(0, person, rule.clone(), at);
                tx.prepare_cached(
                    "INSERT INTO referrals (person, rule_id, rule, status, history) VALUES (?1, ?2, ?3, 'proposed', ?4)",
                )?
                .execute(params![person, rule.id, to_json(rule)?, to_json(&draft.history)?])?;
                made.push(Referral { id: tx.last_insert_rowid(), ..draft });
            }
            let drafts = made.iter().map(|r| {
                AuditDraft::new(MONITOR, "referral.propose", format!("referral:{}", r.id), json!({ "person": person, "rule": r.rule.id }))
            });
            append_audit(tx, drafts.collect::<Vec<_>>(), at)?;
            Ok(made)
        })
    }

    fn list_referrals(&self, person: Option<SupervisedId>) -> Result<Vec<Referral>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE (?1 IS NULL OR person = ?1) ORDER BY id"
            ))?;
            let rows = stmt.query(params![person])?;
            collect(rows, referral_from_row)
        })
    }

    fn get_referral(&self, id: i64) -> Result<Option<Referral>> {
        self.read(|tx| load_referral(tx, id))
    }

    fn move_referral(
        &self,
        id: i64,
        next: ReferralStatus,
        note: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Referral> {
        let at = to_micros(at);
        self.write(|tx| {
            let mut referral = load_referral(tx, id)?.ok_or_else(|| StoreError::NotFound {
                what: "referral",
                id: id.to_string(),
            })?;
            referral
                .move_to(next, at, &actor.id, note)
                .map_err(|e| StoreError::Conflict(e.message))?;
            let queue = next == ReferralStatus::Sent;
            tx.prepare_cached(
                "UPDATE referrals SET status = ?2, history = ?3, \
                 next_delivery_at = CASE WHEN ?4 THEN ?5 ELSE next_delivery_at END WHERE id = ?1",
            )?
            .execute(params![
                id,
                referral_name(next)?,
                to_json(&referral.history)?,
                queue,
                micros(at)
            ])?;
            let draft = AuditDraft::new(
                actor.id.clone(),
                "referral.move",
                format!("referral:{id}"),
                json!({ "status": referral_name(next)?, "note": note }),
            );
            append_audit(tx, [draft], at)?;
            Ok(referral)
        })
    }

    fn due_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<PendingDelivery>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {REFERRAL_COLUMNS}, delivery_attempts FROM referrals \
                 WHERE next_delivery_at IS NOT NULL AND next_delivery_at <= ?1 AND delivered_at IS NULL \
                 ORDER BY next_delivery_at LIMIT ?2"
            ))?;
            let mut rows = stmt.query(params![micros(now), page_limit(limit)])?;
            let mut due = Vec::new();
            while let Some(row) = rows.next()? {
                let referral = referral_from_row(row)?;
                let attempts: u32 = row.get(5)?;
                let person = load_supervised(tx, referral.person)?.ok_or_else(|| {
                    StoreError::Corrupt(format!("referral {} names no supervised person", referral.id))
                })?;
                due.push(PendingDelivery { referral, person, attempts });
            }
            Ok(due)
        })
    }

    fn record_delivery(
        &self,
        id: i64,
        outcome: std::result::Result<(), String>,
        at: DateTime<Utc>,
        retry_at: DateTime<Utc>,
    ) -> Result<()> {
        let at = to_micros(at);
        self.write(|tx| {
            let changed = match &outcome {
                Ok(()) => tx
                    .prepare_cached(
                        "UPDATE referrals SET delivered_at = ?2, next_delivery_at = NULL, \
                         delivery_attempts = delivery_attempts + 1, last_delivery_error = NULL WHERE id = ?1",
                    )?
                    .execute(params![id, micros(at)])?,
                Err(reason) => tx
                    .prepare_cached(
                        "UPDATE referrals SET next_delivery_at = ?2, delivery_attempts = delivery_attempts + 1, \
                         last_delivery_error = ?3 WHERE id = ?1",
                    )?
                    .execute(params![id, micros(retry_at), reason])?,
            };
            if changed == 0 {
                return Err(StoreError::NotFound { what: "referral", id: id.to_string() });
            }
            if outcome.is_ok() {
                let draft = AuditDraft::new(MONITOR, "referral.deliver", format!("referral:{id}"), json!({}));
                append_audit(tx, [draft], at)?;
            }
            Ok(())
        })
    }

    fn referrals_provided(&self) -> Result<u64> {
        self.read(|tx| {
            let n: i64 = tx
                .prepare_cached("SELECT COUNT(*) FROM referrals WHERE status = 'provided'")?
                .query_row([], |row| row.get(0))?;
            super::unsigned(n, "referrals provided")
        })
    }
}

const DRONES: &str = "system:drones";

impl DroneStore for SqliteStore {
    fn put_licences(
        &self,
        geojson: &str,
        licences: usize,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let at = to_micros(at);
        self.write(|tx| {
            tx.prepare_cached("INSERT INTO licence_files (geojson, licences, loaded_at, loaded_by) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![geojson, licences as i64, micros(at), actor.id])?;
            let id = tx.last_insert_rowid();
            let draft = AuditDraft::new(actor.id.clone(), "drones.licences", format!("licences:{id}"), json!({ "licences": licences }));
            append_audit(tx, [draft], at)?;
            Ok(id)
        })
    }

    fn licences(&self) -> Result<Option<String>> {
        self.read(|tx| {
            Ok(tx
                .prepare_cached("SELECT geojson FROM licence_files ORDER BY id DESC LIMIT 1")?
                .query_row([], |row| row.get(0))
                .optional()?)
        })
    }

    fn save_incident(
        &self,
        incident: &iz_drones::Incident,
        opened: bool,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let at = to_micros(at);
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO drone_incidents (id, incident, closed, updated_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET incident = excluded.incident, closed = excluded.closed, updated_at = excluded.updated_at",
            )?
            .execute(params![incident.id as i64, to_json(incident)?, incident.closed, micros(at)])?;
            if opened {
                let draft = AuditDraft::new(DRONES, "incident.open", format!("incident:{}", incident.id), json!({ "verdict": incident.verdict }));
                append_audit(tx, [draft], at)?;
            }
            Ok(())
        })
    }

    fn incidents(&self) -> Result<Vec<iz_drones::Incident>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached("SELECT incident FROM drone_incidents ORDER BY id")?;
            let rows = stmt.query([])?;
            collect(rows, |row| from_json(&row.get::<_, String>(0)?, "incident"))
        })
    }

    fn close_incident(
        &self,
        id: u64,
        reason: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<iz_drones::Incident> {
        let at = to_micros(at);
        self.write(|tx| {
            let text: Option<String> = tx
                .prepare_cached("SELECT incident FROM drone_incidents WHERE id = ?1")?
                .query_row(params![id as i64], |row| row.get(0))
                .optional()?;
            let mut incident: iz_drones::Incident = from_json(
                &text.ok_or_else(|| StoreError::NotFound { what: "incident", id: id.to_string() })?,
                "incident",
            )?;
            if incident.closed {
                return Err(StoreError::Conflict(format!("incident {id} is already closed")));
            }
            incident.closed = true;
            tx.prepare_cached("UPDATE drone_incidents SET incident = ?2, closed = 1, updated_at = ?3 WHERE id = ?1")?
                .execute(params![id as i64, to_json(&incident)?, micros(at)])?;
            let draft = AuditDraft::new(actor.id.clone(), "incident.close", format!("incident:{id}"), json!({ "reason": reason }));
            append_audit(tx, [draft], at)?;
            Ok(incident)
        })
    }
}
