//! A school's own check of its files before it sends them: what the office's run would say
//! of exactly these files, without the rest of the district. The same stages as the batch job
//! up to the records as counted (read → recognise → rows → normalise → validate → join, and
//! the staffing check of each row), without tables, threads or a file system, so that it also
//! runs in the self-check page as WebAssembly (`wasm`).
//!
//! Out of its scope, and said so on the page: what needs the whole district (schools that
//! sent nothing) and the school year when neither the office nor the registry gives one.
//!
//! ```
//! let schemas = bdtx::domain::schema::Schemas::load(None).unwrap();
//! let registry = std::fs::read("input/danh_muc_truong.xlsx").unwrap();
//! let input = bdtx::check::CheckInput {
//!     registry: ("danh_muc_truong.xlsx", &registry),
//!     files: vec![("TH001_ds.xlsx", b"PK\x03\x04 cut short")],
//!     school_year: Some("2024-2025"),
//!     fallback_year: "2024-2025".to_string(),
//!     bdtx_rules: Default::default(),
//! };
//! let report = bdtx::check::check(&input, &schemas).unwrap();
//! assert_eq!(report.problems[0].code, "file_unreadable");
//! assert_eq!(report.problems[0].school.as_deref(), Some("TH001"));
//! assert!(report.schools.is_empty());
//! ```

#[cfg(feature = "batch")]
pub mod page;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use crate::analyse::staffing::analyse;
use crate::combine::intake::{attribute, collect, settle, Collected, YearSource};
use crate::domain::issue::{Issue, Severity, SeverityCounts};
use crate::domain::model::{Category, School};
use crate::domain::schema::{BdtxRules, Schemas};
use crate::input::attribute::SchoolMatcher;
use crate::input::ingest::ingest_bytes;
use crate::input::read::read_workbook_bytes;
use crate::input::registry::{parse_registry, Registry};
use crate::input::rows::Markers;
use serde::Serialize;
use std::collections::BTreeMap;

/// Problems only the whole district's run can tell: never on the page.
pub const DISTRICT_CODES: [&str; 2] = ["missing_submission", "missing_staff_list"];

/// What to check: the office's registry and the school's files, each (name, bytes).
pub struct CheckInput<'a> {
    pub registry: (&'a str, &'a [u8]),
    pub files: Vec<(&'a str, &'a [u8])>,
    /// The school year the office reports (`--year`); None: the registry's, else the one
    /// most files name, else `fallback_year` (the one in progress), as in the office's run.
    pub school_year: Option<&'a str>,
    pub fallback_year: String,
    pub bdtx_rules: BdtxRules,
}

/// What the office's run would say of the files.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub school_year: String,
    /// Each file given, in order, with the school it was found to be from (or why none).
    pub files: Vec<FileReport>,
    /// Each school a file was found to be from, with what was read of it.
    pub schools: Vec<SchoolReport>,
    /// Every problem, in the letter's order (file, sheet, row, column, code).
    pub problems: Vec<Problem>,
    pub errors: u32,
    pub warnings: u32,
}

#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    /// Registry code of its school, when one was found.
    pub school: Option<String>,
    /// Else why not: the message of the file's first error (not read, no school found …).
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SchoolReport {
    pub code: String,
    pub name: String,
    /// People read from its staff lists by role: managers, teachers, support staff.
    pub managers: usize,
    pub teachers: usize,
    pub support: usize,
    /// Rows of its staff lists rejected (no role, duplicate …).
    pub people_rejected: usize,
    /// BDTX rows read (naming a person).
    pub training_rows: usize,
}

/// One problem as the letter prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub code: String,
    /// "error", "warning" or "info", and its Vietnamese label.
    pub severity: String,
    pub severity_label: String,
    pub file: String,
    /// "Đội ngũ!G12", "Đội ngũ, dòng 12", the sheet, or "" for the file as a whole.
    pub location: String,
    pub row: Option<u32>,
    pub what: String,
    pub fix: String,
    /// The whole message, as summary.json gives it.
    pub message: String,
    /// Registry code of the school it belongs to, if known.
    pub school: Option<String>,
}

impl Problem {
    pub fn of(issue: &Issue, s: &Schemas) -> Problem {
        let (what, fix) = issue.what_and_fix(&s.messages);
        let key = issue.severity.key();
        Problem {
            code: issue.code.clone(),
            severity: key.to_string(),
            severity_label: s.messages.severity.get(key).cloned().unwrap_or_default(),
            file: issue.file.clone(),
            location: issue.location(s),
            row: issue.row,
            what,
            fix,
            message: issue.message(&s.messages),
            school: issue.school.clone(),
        }
    }
}

/// Checks `input.files` against the registry as the office's run would: the files read and
/// given to schools, the records settled, the rows' staffing check, then what was found.
pub fn check(input: &CheckInput, s: &Schemas) -> Result<CheckReport, String> {
    let registry = read_registry(input.registry, s)?;
    let mut job = gather(input, &registry.schools, s);
    let mut issues = std::mem::take(&mut job.issues);
    let year = YearSource {
        given: input.school_year,
        registry_title: &registry.title_lines,
        fallback: input.fallback_year.clone(),
    };
    let settled = settle(&mut job, &mut issues, year, s);
    let checked: Vec<School> = registry
        .schools
        .into_iter()
        .filter(|school| job.files_of.contains_key(&school.code))
        .collect();
    issues.extend(analyse(&job.people, &checked, &settled.school_year, s).issues);
    issues.retain(|i| !DISTRICT_CODES.contains(&i.code.as_str()));
    issues.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let counts = SeverityCounts::of(&issues);
    Ok(CheckReport {
        school_year: settled.school_year,
        files: file_reports(input, &job, &issues, s),
        schools: checked
            .iter()
            .map(|school| school_report(school, &job))
            .collect(),
        problems: issues.iter().map(|i| Problem::of(i, s)).collect(),
        errors: counts.errors,
        warnings: counts.warnings,
    })
}

fn read_registry((name, bytes): (&str, &[u8]), s: &Schemas) -> Result<Registry, String> {
    let book = read_workbook_bytes(bytes, name).map_err(|e| e.issue(name).message(&s.messages))?;
    parse_registry(&book, s).ok_or_else(|| s.label("page_no_registry").to_string())
}

/// Each file read and given to its school, as the job's `gather` does (one after another).
fn gather(input: &CheckInput, schools: &[School], s: &Schemas) -> Collected {
    let markers = Markers::new(&s.rules.rows);
    let matcher = SchoolMatcher::new(schools, s);
    let parsed = input
        .files
        .iter()
        .map(|(name, bytes)| {
            let outcome = ingest_bytes(bytes, name, s, &markers, input.bdtx_rules).map(|file| {
                let attribution = attribute(&file, &matcher);
                (file, attribution)
            });
            (name.to_string(), outcome)
        })
        .collect();
    collect(parsed, &matcher, s)
}

/// Each file given, with its school or why none.
fn file_reports(
    input: &CheckInput,
    job: &Collected,
    issues: &[Issue],
    s: &Schemas,
) -> Vec<FileReport> {
    let school_of: BTreeMap<&str, &str> = job
        .files_of
        .iter()
        .flat_map(|(code, files)| files.iter().map(move |f| (f.as_str(), code.as_str())))
        .collect();
    let why = |name: &str| {
        issues
            .iter()
            .find(|i| i.file == name && i.row.is_none() && i.severity == Severity::Error)
            .map(|i| i.message(&s.messages))
    };
    input
        .files
        .iter()
        .map(|(name, _)| FileReport {
            file: name.to_string(),
            school: school_of.get(name).map(|c| c.to_string()),
            reason: why(name),
        })
        .collect()
}

/// What was read of a school: its people by role, rows not counted, BDTX rows.
fn school_report(school: &School, job: &Collected) -> SchoolReport {
    let people = job
        .people
        .iter()
        .filter(|p| p.school.as_str() == school.code);
    let count = |c: Category| people.clone().filter(|p| p.category == c).count();
    let intake = job.intake.get(&school.code).cloned().unwrap_or_default();
    SchoolReport {
        code: school.code.clone(),
        name: school.name.clone(),
        managers: count(Category::Manager),
        teachers: count(Category::Teacher),
        support: count(Category::Support),
        people_rejected: intake.people_rejected,
        training_rows: intake.training_read,
    }
}
