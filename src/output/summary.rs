//! `summary.json`: the machine-readable result, in the shape documented in README.md.

use crate::analyse::aggregate::Stats;
use crate::domain::issue::Issue;
use crate::domain::schema::Messages;
use crate::input::rows::RowCounts;
use crate::pipeline::{FailedFile, JobResult};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Files<'a> {
    read: &'a [String],
    failed: &'a [FailedFile],
    ignored: &'a [String],
}

#[derive(Serialize)]
struct SchoolEntry<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    files: &'a [String],
    intake: &'a crate::pipeline::Intake,
    /// Its list of problems in loi/, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    error_file: Option<String>,
    /// More than 10% of its rows rejected or unmatched: check its files before signing.
    needs_check: bool,
    #[serde(flatten)]
    stats: &'a Stats,
    #[serde(flatten)]
    targets: &'a crate::analyse::targets::SchoolTargets,
    training_detail: &'a crate::analyse::aggregate::TrainingDetail,
    staffing: Option<&'a crate::analyse::staffing::SchoolStaffing>,
    /// Managers, teachers, support staff and all: headcounts, qualifications, levels.
    groups: &'a crate::analyse::groups::Groups,
}

/// The issues with their messages, made as they are written (a national run has millions).
struct Issues<'a>(&'a [Issue], &'a Messages);

impl Serialize for Issues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|i| IssueEntry {
            file: &i.file,
            sheet: &i.sheet,
            row: i.row,
            column: i.column.as_deref(),
            severity: i.severity,
            code: &i.code,
            message: i.message(self.1),
            school: i.school.as_deref(),
        }))
    }
}

#[derive(Serialize)]
struct IssueEntry<'a> {
    file: &'a str,
    sheet: &'a str,
    row: Option<u32>,
    column: Option<&'a str>,
    severity: crate::domain::issue::Severity,
    code: &'a str,
    message: String,
    school: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary<'a> {
    school_year: &'a str,
    files: Files<'a>,
    district: &'a Stats,
    district_groups: &'a crate::analyse::groups::Groups,
    district_training_detail: &'a crate::analyse::aggregate::TrainingDetail,
    bdtx_rules: &'a str,
    schools: Vec<SchoolEntry<'a>>,
    issues: Issues<'a>,
    missing_submissions: &'a [String],
    /// Files no school was found for, with the closest registry schools by name.
    unmatched_files: &'a [crate::pipeline::UnmatchedFile],
    /// Registry units of other levels left out (label → how many).
    registry_left_out: &'a BTreeMap<String, u32>,
    retirements: &'a [crate::analyse::staffing::Retiree],
    reached_retirement: &'a [crate::analyse::staffing::Retiree],
    rows: &'a BTreeMap<String, RowCounts>,
}

/// Writes summary.json to `out`, the whole job's result (streamed: at national scale it runs to hundreds of megabytes).
/// `error_files` maps school codes to their file in `loi/`.
pub fn write_json(
    job: &JobResult,
    messages: &Messages,
    error_files: &BTreeMap<String, String>,
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    let (fig, rec) = (&job.figures, &job.received);
    let summary = Summary {
        school_year: &fig.school_year,
        files: Files {
            read: &rec.files_read,
            failed: &rec.files_failed,
            ignored: &rec.files_ignored,
        },
        district: &fig.district.stats,
        district_groups: &fig.district.groups,
        district_training_detail: &fig.district_training_detail,
        bdtx_rules: &job.bdtx_rules,
        schools: fig
            .schools
            .iter()
            .map(|s| SchoolEntry {
                code: &s.school.code,
                name: &s.school.name,
                level: &s.school.level,
                files: &s.files,
                intake: &s.intake,
                error_file: error_files.get(&s.school.code).map(|f| format!("loi/{f}")),
                needs_check: s.intake.needs_check(),
                stats: &s.measures.stats,
                targets: &s.targets,
                training_detail: &s.training_detail,
                staffing: fig.staffing.schools.get(&s.school.code),
                groups: &s.measures.groups,
            })
            .collect(),
        issues: Issues(&job.issues, messages),
        missing_submissions: &fig.missing_submissions,
        unmatched_files: &rec.unmatched_files,
        registry_left_out: &rec.registry_left_out,
        retirements: &fig.staffing.retirees,
        reached_retirement: &fig.staffing.reached_retirement,
        rows: &rec.rows,
    };
    serde_json::to_writer_pretty(out, &summary)
}
