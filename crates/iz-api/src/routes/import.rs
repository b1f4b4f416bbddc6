//! `POST /v1/watchlist/import`: many watch entries from one CSV file, as a court's or a police
//! department's list arrives. Each row is checked exactly as `POST /v1/watchlist` checks one
//! entry; the good rows are stored together (one audit record each) and start matching at once,
//! and every bad row is named by its line with every problem found in it. A bad row never
//! blocks the good ones; only a file that cannot be read as this format at all is refused
//! whole.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use bytes::Bytes;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use iz_audit::AuditDraft;
use iz_model::{
    Category, DocumentInput, LegalBasis, LegalBasisKind, NewWatchEntry, PersonInput, Priority,
    Region, Rejection, Role, WatchEntryInput, WatchId, WatchKind, codes,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::blocking;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// The columns of the file, each exactly once, in any order.
pub const COLUMNS: [&str; 14] = [
    "iin",
    "names",
    "birth_date",
    "sex",
    "doc_type",
    "doc_number",
    "legal_basis_kind",
    "legal_basis_reference",
    "legal_basis_authority",
    "legal_basis_issued_on",
    "expires_at",
    "region",
    "priority",
    "category",
];

/// Columns a file may add, for wanted vehicles: `kind` (`wanted` when empty, or `vehicle`), the
/// vehicle's `plate` and `vehicle_description`, and what it is tied to: `link_watch_id` (the
/// wanted person's entry) or `link_case` (a case reference).
pub const OPTIONAL_COLUMNS: [&str; 5] = [
    "kind",
    "plate",
    "vehicle_description",
    "link_watch_id",
    "link_case",
];

/// A stored row: its line in the file and its new entry's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportedRow {
    pub line: u64,
    pub id: WatchId,
}

/// A refused row: its line and every problem found in it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RejectedRow {
    pub line: u64,
    pub problems: Vec<Rejection>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// In file order.
    pub accepted: Vec<ImportedRow>,
    /// In file order.
    pub rejected: Vec<RejectedRow>,
}

/// Imports watch entries from CSV (admins).
///
/// The body is CSV in UTF-8 (a byte-order mark is allowed), comma-separated, with a header
/// row naming these columns, each once, in any order:
///
/// `iin,names,birth_date,sex,doc_type,doc_number,legal_basis_kind,legal_basis_reference,legal_basis_authority,legal_basis_issued_on,expires_at,region,priority,category`
///
/// - An empty cell is an absent value.
/// - `names`: several spellings separated by `|` (`Асанов Ерлан|ASANOV YERLAN`).
/// - `doc_type` and `doc_number`: one document, both or neither.
/// - `legal_basis_kind`: `warrant`, `court_decision` or `search_order`; `legal_basis_issued_on`
///   and `birth_date` are `YYYY-MM-DD`.
/// - `expires_at`: RFC 3339, or `YYYY-MM-DD` for the end of that day in Almaty (23:59:59+05:00).
/// - `priority`: `low`, `normal` (when empty), `high` or `critical`.
/// - `category`: `evading_investigation`, `evading_court`, `evading_sentence` or
///   `missing_person`.
///
/// Wanted vehicles come in the same file with the optional columns
/// `kind,plate,vehicle_description,link_watch_id,link_case`: `kind` is `vehicle`, `plate` the
/// plate as the order writes it, and the entry is tied to a wanted person's entry
/// (`link_watch_id`) or a case (`link_case`). Face templates do not travel in CSV (use
/// `POST /v1/watchlist`).
///
/// Every row becomes a watch entry, checked as `POST /v1/watchlist` checks one (legal basis and
/// a future expiry mandatory, the IIN validated). The answer is 200 with the stored rows' ids
/// and the refused rows' problems, by their line in the file (the header is line 1). A file
/// without a header, with an unknown or missing column, without rows or not in UTF-8 is
/// refused whole: 422 `invalid_csv`.
#[utoipa::path(
    post, path = "/v1/watchlist/import",
    request_body(content = String, content_type = "text/csv", description = "A header row, then one entry per row"),
    responses(
        (status = 200, description = "The rows stored and the rows refused", body = ImportReport),
        (status = 422, description = "Not readable as the import format: no header, an unknown or missing column, no rows, not UTF-8", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 413, description = "Larger than the body limit"),
    ),
    security(("bearer" = [])), tag = "watchlist"
)]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    let actor = caller.require(&[Role::Admin])?.clone();
    let now = state.clock.now();
    let store = state.store.clone();
    let pipeline = state.pipeline.clone();
    let report = blocking(move || {
        let parsed = parse(&body, now)?;
        let (lines, entries): (Vec<u64>, Vec<NewWatchEntry>) = parsed.valid.into_iter().unzip();
        let stored = store.add_watch_many(entries, &actor, now)?;
        let report = ImportReport {
            accepted: lines
                .into_iter()
                .zip(&stored)
                .map(|(line, entry)| ImportedRow { line, id: entry.id })
                .collect(),
            rejected: parsed.rejected,
        };
        store.append_audit(
            vec![AuditDraft::new(
                actor.id.clone(),
                "watch.import",
                "watchlist",
                serde_json::json!({
                    "accepted": report.accepted.len(),
                    "rejected": report.rejected.len(),
                }),
            )],
            now,
        )?;
        // One rebuild of the matchers from the store, rather than one per entry. Should it fail,
        // the entries are stored and the refresh loop picks them up within a second.
        if !stored.is_empty()
            && let Err(e) = pipeline.refresh()
        {
            tracing::warn!(error = %e, entries = stored.len(), "imported entries wait for the next refresh");
        }
        Ok(report)
    })
    .await?;
    Ok(Json(report))
}

/// A file read: the valid rows' entries with their lines, and the refused rows.
#[derive(Debug)]
pub(crate) struct ParsedImport {
    pub valid: Vec<(u64, NewWatchEntry)>,
    pub rejected: Vec<RejectedRow>,
}

fn file_problem(message: impl Into<String>) -> ApiError {
    ApiError::unprocessable(vec![Rejection::new(codes::INVALID_CSV, message)])
}

/// Reads a whole file, checking every row against `now`.
pub(crate) fn parse(body: &[u8], now: DateTime<Utc>) -> ApiResult<ParsedImport> {
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|e| {
        file_problem(format!(
            "the file is not UTF-8 (byte {} is not); save it as UTF-8",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(file_problem(format!(
            "the file is empty; it needs a header row: {}",
            COLUMNS.join(",")
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| file_problem(format!("the header row cannot be read: {e}")))?
        .clone();
    let columns = columns(&header)?;

    let mut parsed = ParsedImport {
        valid: Vec::new(),
        rejected: Vec::new(),
    };
    let mut lines = Lines::new(text);
    let mut rows = 0usize;
    for record in reader.records() {
        rows += 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                // Only the shape of a row can fail here (the text is UTF-8 and in memory).
                let Some(line) = e.position().map(|p| lines.at(p.byte())) else {
                    return Err(file_problem(format!("the file cannot be read: {e}")));
                };
                parsed.rejected.push(RejectedRow {
                    line,
                    problems: vec![Rejection::new(codes::INVALID_CSV, e.to_string())],
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if record.len() != header.len() {
            parsed.rejected.push(RejectedRow {
                line,
                problems: vec![Rejection::new(
                    codes::INVALID_CSV,
                    format!(
                        "the row has {} cells, the header {}",
                        record.len(),
                        header.len()
                    ),
                )],
            });
            continue;
        }
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::trim)
                .filter(|c| !c.is_empty())
        };
        match row_entry(cell, now) {
            Ok(entry) => parsed.valid.push((line, entry)),
            Err(problems) => parsed.rejected.push(RejectedRow { line, problems }),
        }
    }
    if rows == 0 {
        return Err(file_problem("the file has a header but no rows"));
    }
    Ok(parsed)
}

/// Line numbers of records, from their byte offsets. The reader's own line count is not the
/// file's (it skips blank lines and counts `\r\n` late), and a record's offset may point at
/// the end of the line before it; a record never starts with a line break, so the first
/// character after the breaks is where it starts. Offsets come in order, so one pass over the
/// text counts every line.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    breaks: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            offset: 0,
            breaks: 0,
        }
    }

    /// The 1-based line of the record at `byte`.
    fn at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start >= self.offset {
            self.breaks += self.text[self.offset..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.offset = start;
        }
        self.breaks + 1
    }
}

/// Where each column is; every problem with the header at once.
fn columns(header: &csv::StringRecord) -> ApiResult<HashMap<&'static str, usize>> {
    let mut found = HashMap::new();
    let mut problems = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        match COLUMNS
            .iter()
            .chain(OPTIONAL_COLUMNS.iter())
            .find(|c| **c == name)
        {
            Some(column) => {
                if found.insert(*column, i).is_some() {
                    problems.push(format!("column {name:?} appears twice"));
                }
            }
            None => problems.push(format!("unknown column {name:?}")),
        }
    }
    let missing: Vec<_> = COLUMNS
        .iter()
        .filter(|c| !found.contains_key(*c))
        .copied()
        .collect();
    if !missing.is_empty() {
        problems.push(format!("missing columns: {}", missing.join(", ")));
    }
    if problems.is_empty() {
        return Ok(found);
    }
    problems.push(format!(
        "the header must name: {} (and may add: {})",
        COLUMNS.join(","),
        OPTIONAL_COLUMNS.join(",")
    ));
    Err(ApiError::unprocessable(
        problems
            .into_iter()
            .map(|p| Rejection::new(codes::INVALID_CSV, p))
            .collect(),
    ))
}

/// A unit enum from its snake_case name, any case.
fn by_name<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_ascii_lowercase())).ok()
}

/// RFC 3339, or a date meaning the last second of that day in Almaty (Kazakhstan keeps one
/// time zone, UTC+5, all year).
fn expiry(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let end = day.and_hms_opt(23, 59, 59)?;
    FixedOffset::east_opt(5 * 3600)?
        .from_local_datetime(&end)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// One row as a new entry, or every problem in it: those of the cells themselves first, then
/// those `WatchEntryInput::validate` finds, as for a single entry.
fn row_entry<'a>(
    cell: impl Fn(&str) -> Option<&'a str>,
    now: DateTime<Utc>,
) -> Result<NewWatchEntry, Vec<Rejection>> {
    let mut problems = Vec::new();

    let documents = match (cell("doc_type"), cell("doc_number")) {
        (Some(doc_type), Some(number)) => vec![DocumentInput {
            doc_type: doc_type.to_ascii_lowercase(),
            number: number.to_string(),
            country: None,
        }],
        (None, None) => Vec::new(),
        (Some(_), None) | (None, Some(_)) => {
            problems.push(
                Rejection::new(
                    codes::INVALID_DOCUMENT,
                    "a document needs both doc_type and doc_number",
                )
                .at(if cell("doc_type").is_some() {
                    "doc_number"
                } else {
                    "doc_type"
                }),
            );
            Vec::new()
        }
    };
    let person = PersonInput {
        iin: cell("iin").map(str::to_string),
        documents,
        names: cell("names")
            .map(|names| {
                names
                    .split('|')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        birth_date: cell("birth_date").map(str::to_string),
        sex: cell("sex").map(|s| s.to_ascii_lowercase()),
    };

    // A basis with some cells filled is a basis given, however badly; all empty is none.
    let basis_given = [
        "legal_basis_kind",
        "legal_basis_reference",
        "legal_basis_authority",
        "legal_basis_issued_on",
    ]
    .iter()
    .any(|c| cell(c).is_some());
    let kind = match cell("legal_basis_kind") {
        Some(text) => by_name::<LegalBasisKind>(text).or_else(|| {
            problems.push(
                Rejection::new(
                    codes::INVALID_LEGAL_BASIS,
                    format!(
                        "legal basis kind {text:?} is not warrant, court_decision or search_order"
                    ),
                )
                .at("legal_basis_kind"),
            );
            None
        }),
        None if basis_given => {
            problems.push(
                Rejection::new(
                    codes::INVALID_LEGAL_BASIS,
                    "the legal basis needs a kind: warrant, court_decision or search_order",
                )
                .at("legal_basis_kind"),
            );
            None
        }
        None => None,
    };
    let issued_on = match cell("legal_basis_issued_on") {
        Some(text) => text.parse::<NaiveDate>().ok().or_else(|| {
            problems.push(
                Rejection::new(
                    codes::INVALID_LEGAL_BASIS,
                    format!("legal_basis_issued_on {text:?} is not a YYYY-MM-DD date"),
                )
                .at("legal_basis_issued_on"),
            );
            None
        }),
        None if basis_given => {
            problems.push(
                Rejection::new(
                    codes::INVALID_LEGAL_BASIS,
                    "the legal basis needs the date it was issued on",
                )
                .at("legal_basis_issued_on"),
            );
            None
        }
        None => None,
    };
    let legal_basis = match (kind, issued_on) {
        (Some(kind), Some(issued_on)) => Some(LegalBasis {
            kind,
            // Empty ones are refused by validation, with its own words.
            reference: cell("legal_basis_reference").unwrap_or("").to_string(),
            authority: cell("legal_basis_authority").unwrap_or("").to_string(),
            issued_on,
        }),
        _ => None,
    };

    let expires_at = cell("expires_at").and_then(|text| {
        expiry(text).or_else(|| {
            problems.push(
                Rejection::new(
                    codes::INVALID_TIME,
                    format!("expires_at {text:?} is neither RFC 3339 nor YYYY-MM-DD"),
                )
                .at("expires_at"),
            );
            None
        })
    });
    let expiry_given = cell("expires_at").is_some();

    let region = match cell("region") {
        Some(code) => Region::parse(code)
            .map_err(|e| {
                problems.push(Rejection::new(codes::INVALID_REGION, e.to_string()).at("region"))
            })
            .ok(),
        None => {
            problems.push(
                Rejection::new(codes::MISSING_FIELD, "every entry needs a region").at("region"),
            );
            None
        }
    };
    let priority = match cell("priority") {
        Some(text) => by_name::<Priority>(text).unwrap_or_else(|| {
            problems.push(
                Rejection::new(
                    codes::INVALID_WATCH_ENTRY,
                    format!("priority {text:?} is not low, normal, high or critical"),
                )
                .at("priority"),
            );
            Priority::default()
        }),
        None => Priority::default(),
    };
    let category = match cell("category") {
        Some(text) => by_name::<Category>(text).or_else(|| {
            problems.push(
                Rejection::new(
                    codes::INVALID_WATCH_ENTRY,
                    format!(
                        "category {text:?} is not evading_investigation, evading_court, \
                         evading_sentence or missing_person"
                    ),
                )
                .at("category"),
            );
            None
        }),
        None => {
            problems.push(
                Rejection::new(codes::MISSING_FIELD, "every entry needs a category").at("category"),
            );
            None
        }
    };

    let kind = match cell("kind") {
        None => WatchKind::Wanted,
        Some(text) => by_name::<WatchKind>(text).unwrap_or_else(|| {
            problems.push(
                Rejection::new(
                    codes::INVALID_WATCH_ENTRY,
                    format!("kind {text:?} is not wanted or vehicle"),
                )
                .at("kind"),
            );
            // The rest of the row is checked as what it most likely is.
            if cell("plate").is_some() {
                WatchKind::Vehicle
            } else {
                WatchKind::Wanted
            }
        }),
    };
    let vehicle = cell("plate").map(|plate| iz_model::Vehicle {
        plate: plate.to_string(),
        description: cell("vehicle_description").map(str::to_string),
    });
    let watch_id = match cell("link_watch_id") {
        Some(text) => text.parse::<WatchId>().ok().or_else(|| {
            problems.push(
                Rejection::new(
                    codes::INVALID_WATCH_ENTRY,
                    format!("link_watch_id {text:?} is not an entry's number"),
                )
                .at("link_watch_id"),
            );
            None
        }),
        None => None,
    };
    let case_reference = cell("link_case").map(str::to_string);
    let link = (watch_id.is_some() || case_reference.is_some()).then_some(iz_model::WatchLink {
        watch_id,
        case_reference,
    });

    // Validation runs even when a cell was refused, so that a row's every problem is named at
    // once; a refused region or category stands in as any value, since the result is dropped.
    let input = WatchEntryInput {
        kind,
        person,
        legal_basis,
        expires_at,
        region: region
            .or_else(|| Region::all().next())
            .ok_or_else(|| vec![Rejection::new(codes::INVALID_REGION, "no region is known")])?,
        priority,
        category: category.unwrap_or(Category::EvadingInvestigation),
        vehicle,
        link,
        faces: Vec::new(),
    };
    let cells_ok = problems.is_empty();
    // A CSV row carries no face templates, so the dimension they are checked against is moot.
    match input.validate(now, iz_model::EventPolicy::default().face_dimension) {
        Ok(entry) if cells_ok => Ok(entry),
        Ok(_) => Err(problems),
        Err(found) => {
            // A basis or expiry that was given but unreadable is already named; "required"
            // would say it was left out.
            problems.extend(found.into_iter().filter(|p| {
                !(p.code == codes::LEGAL_BASIS_REQUIRED && basis_given
                    || p.code == codes::EXPIRY_REQUIRED && expiry_given)
            }));
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "iin,names,birth_date,sex,doc_type,doc_number,legal_basis_kind,legal_basis_reference,legal_basis_authority,legal_basis_issued_on,expires_at,region,priority,category";
    const GOOD: &str = "900514300121,Асанов Ерлан|ASANOV YERLAN,1990-05-14,male,passport,N12345678,warrant,W-2026-0001,Almaty city court,2026-10-01,2027-10-01,KZ-75,high,evading_investigation";

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    fn file(rows: &[&str]) -> String {
        std::iter::once(HEADER)
            .chain(rows.iter().copied())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn codes_of(rejected: &RejectedRow) -> Vec<(&'static str, Option<&'static str>)> {
        rejected
            .problems
            .iter()
            .map(|p| (p.code, p.field))
            .collect()
    }

    fn file_error(body: &str) -> ApiError {
        parse(body.as_bytes(), now()).expect_err("refused whole")
    }

    #[test]
    fn a_good_row_becomes_the_entry_a_json_body_would() {
        let parsed = parse(file(&[GOOD]).as_bytes(), now()).expect("readable");
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let (line, entry) = &parsed.valid[0];
        assert_eq!(*line, 2);
        assert_eq!(entry.person.names, ["Асанов Ерлан", "ASANOV YERLAN"]);
        assert_eq!(entry.person.documents[0].number, "N12345678");
        assert_eq!(entry.legal_basis.kind, LegalBasisKind::Warrant);
        assert_eq!(entry.priority, Priority::High);
        assert_eq!(
            entry.expires_at,
            DateTime::parse_from_rfc3339("2027-10-01T23:59:59+05:00").expect("time"),
            "a date is the end of that day in Almaty"
        );
    }

    #[test]
    fn empty_cells_are_absent_and_priority_defaults_to_normal() {
        let row = "900514300121,,,,,,warrant,W-1,Court,2026-10-01,2027-01-01T00:00:00Z,KZ-75,,missing_person";
        let parsed = parse(file(&[row]).as_bytes(), now()).expect("readable");
        let (_, entry) = &parsed.valid[0];
        assert_eq!(entry.priority, Priority::Normal);
        assert!(entry.person.names.is_empty() && entry.person.documents.is_empty());
        assert_eq!(entry.category, Category::MissingPerson);
    }

    #[test]
    fn a_row_names_every_problem_by_its_column() {
        let row = "900514300122,X,,,passport,,court_order,W-1,Court,2026-10-01,soon,KZ-99,urgent,";
        let parsed = parse(file(&[GOOD, row]).as_bytes(), now()).expect("readable");
        assert_eq!(parsed.valid.len(), 1, "the good row stays good");
        assert_eq!(parsed.rejected[0].line, 3);
        assert_eq!(
            codes_of(&parsed.rejected[0]),
            [
                (codes::INVALID_DOCUMENT, Some("doc_number")),
                (codes::INVALID_LEGAL_BASIS, Some("legal_basis_kind")),
                (codes::INVALID_TIME, Some("expires_at")),
                (codes::INVALID_REGION, Some("region")),
                (codes::INVALID_WATCH_ENTRY, Some("priority")),
                (codes::MISSING_FIELD, Some("category")),
                (codes::INVALID_IIN, Some("person")),
            ]
        );
    }

    #[test]
    fn a_row_without_legal_basis_or_expiry_is_refused_as_a_json_entry_would_be() {
        let row = "900514300121,,,,,,,,,,,KZ-75,,evading_court";
        let parsed = parse(file(&[row]).as_bytes(), now()).expect("readable");
        assert_eq!(
            codes_of(&parsed.rejected[0]),
            [
                (codes::LEGAL_BASIS_REQUIRED, Some("legal_basis")),
                (codes::EXPIRY_REQUIRED, Some("expires_at")),
            ]
        );
    }

    #[test]
    fn lines_are_the_files_even_with_a_bom_blank_lines_and_quoted_line_breaks() {
        let quoted = GOOD.replace("Асанов Ерлан|ASANOV YERLAN", "\"Асанов\nЕрлан\"");
        let body = format!("\u{feff}{HEADER}\r\n{GOOD}\r\n\r\n{quoted}\r\n{GOOD},extra\r\n");
        let parsed = parse(body.as_bytes(), now()).expect("readable");
        let lines: Vec<u64> = parsed.valid.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 4]);
        assert_eq!(parsed.rejected[0].line, 6, "after a row of two lines");
        assert_eq!(codes_of(&parsed.rejected[0]), [(codes::INVALID_CSV, None)]);
    }

    #[test]
    fn a_file_that_is_not_the_format_is_refused_whole() {
        for body in ["", " \n", HEADER] {
            let e = file_error(body);
            assert_eq!(e.code, codes::INVALID_CSV, "{body:?}: {}", e.message);
        }
        let e = file_error(&format!(
            "{},nickname\n{GOOD},x",
            HEADER.replace(",sex", "")
        ));
        assert_eq!(e.code, codes::INVALID_CSV);
        assert!(
            e.message.contains("unknown column \"nickname\""),
            "{}",
            e.message
        );
        assert!(e.message.contains("missing columns: sex"), "{}", e.message);
        let e = parse(b"iin\n\xff\xfe", now()).expect_err("not UTF-8");
        assert!(e.message.contains("UTF-8"), "{}", e.message);
    }

    #[test]
    fn wanted_vehicles_come_in_the_same_file_tied_to_a_person_or_a_case() {
        let header = format!("{HEADER},kind,plate,vehicle_description,link_watch_id,link_case");
        let basis = "search_order,SO-2026-9,Almaty city police,2026-10-01,2027-10-01,KZ-75,,evading_investigation";
        let rows = [
            format!("{GOOD},,,,,"),
            format!(",,,,,,{basis},vehicle,123 ABC 02,white Camry,7,"),
            format!(",,,,,,{basis},VEHICLE,777 KZA 01,,,CASE-2026-113"),
            format!(",,,,,,{basis},vehicle,,,7,"),
            format!(",,,,,,{basis},vehicle,123 ABC 02,,,"),
            format!(",,,,,,{basis},lorry,123 ABC 02,,seven,"),
            format!("{GOOD},,123 ABC 02,,,"),
        ];
        let body = std::iter::once(header)
            .chain(rows)
            .collect::<Vec<_>>()
            .join("\n");
        let parsed = parse(body.as_bytes(), now()).expect("readable");
        let kinds: Vec<(u64, WatchKind)> = parsed.valid.iter().map(|(l, e)| (*l, e.kind)).collect();
        assert_eq!(
            kinds,
            [
                (2, WatchKind::Wanted),
                (3, WatchKind::Vehicle),
                (4, WatchKind::Vehicle)
            ]
        );
        let camry = &parsed.valid[1].1;
        assert_eq!(
            camry
                .vehicle
                .as_ref()
                .map(|v| (v.plate.as_str(), v.description.as_deref())),
            Some(("123 ABC 02", Some("white Camry")))
        );
        assert_eq!(camry.link.as_ref().and_then(|l| l.watch_id), Some(7));
        assert_eq!(
            parsed.valid[2]
                .1
                .link
                .as_ref()
                .and_then(|l| l.case_reference.as_deref()),
            Some("CASE-2026-113")
        );
        type Problems = Vec<(&'static str, Option<&'static str>)>;
        let refused: Vec<(u64, Problems)> = parsed
            .rejected
            .iter()
            .map(|r| (r.line, codes_of(r)))
            .collect();
        assert_eq!(
            refused,
            [
                (5, vec![(codes::MISSING_FIELD, Some("vehicle"))]),
                (6, vec![(codes::MISSING_FIELD, Some("link"))]),
                (
                    7,
                    vec![
                        (codes::INVALID_WATCH_ENTRY, Some("kind")),
                        (codes::INVALID_WATCH_ENTRY, Some("link_watch_id")),
                        (codes::MISSING_FIELD, Some("link")),
                    ]
                ),
                (8, vec![(codes::INVALID_WATCH_ENTRY, Some("vehicle"))]),
            ]
        );
    }

    #[test]
    fn header_names_are_trimmed_and_any_case_in_any_order() {
        let mut names: Vec<&str> = HEADER.split(',').collect();
        names.reverse();
        let header = names
            .iter()
            .map(|n| format!(" {} ", n.to_uppercase()))
            .collect::<Vec<_>>()
            .join(",");
        let mut cells: Vec<&str> = GOOD.split(',').collect();
        cells.reverse();
        let body = format!("{header}\n{}", cells.join(","));
        let parsed = parse(body.as_bytes(), now()).expect("readable");
        assert_eq!(parsed.valid.len(), 1, "{:?}", parsed.rejected);
    }
}
