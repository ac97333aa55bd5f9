//! `xu_ly_du_lieu_<năm học>.xlsx`: the office's working book, never signed: how each
//! school's files were received and read (files, people read and rejected, BDTX rows not
//! matched, problems), every data problem with its machine code, and the row accounting of
//! every sheet read.

use super::xlsx::{new_workbook, num, owned_labels, titled, txt, Formats, Table, Val};
use crate::domain::issue::Issue;
use crate::domain::issue::SeverityCounts;
use crate::domain::schema::Schemas;
use crate::pipeline::{Figures, Received};
use anyhow::Result;
use std::collections::HashMap;

/// The working book as xlsx bytes, in the formats `f`: what was `received` from each school
/// of `fig`, the `issues` found in it, and its rows.
pub fn working(
    fig: &Figures,
    received: &Received,
    issues: &[Issue],
    f: Formats,
    s: &Schemas,
) -> Result<Vec<u8>> {
    let year = &fig.school_year;
    let mut wb = new_workbook(year)?;
    let tables = [
        ("sheet_intake", intake_table(fig, received, issues, s)),
        ("sheet_issues", super::report::issues_table(issues, s, year)),
        ("sheet_rows", super::report::rows_table(received, year, s)),
    ];
    for (name, table) in &tables {
        let ws = f.table_sheet(&mut wb)?.set_name(s.label(name))?;
        table.write_at(ws, &f, 0)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// One line per school: what it sent and what became of it; the office's line first.
fn intake_table(fig: &Figures, received: &Received, issues: &[Issue], s: &Schemas) -> Table {
    let headers = owned_labels(
        s,
        &[
            "col_no",
            "col_code",
            "col_school",
            "col_commune",
            "col_status",
            "col_files",
            "col_people_read",
            "col_people_rejected",
            "col_training_unmatched",
            "col_errors",
            "col_warnings",
            "col_check",
            "col_file_list",
        ],
    );
    // School (None: the office) → its issues by severity.
    let mut counts: HashMap<Option<&str>, SeverityCounts> = HashMap::new();
    for i in issues {
        counts.entry(None).or_default().add(i.severity);
        if let Some(code) = i.school.as_deref() {
            counts.entry(Some(code)).or_default().add(i.severity);
        }
    }
    let count = |code: Option<&str>| counts.get(&code).copied().unwrap_or_default();
    let sum = |f: fn(&crate::pipeline::Intake) -> usize| {
        fig.schools.iter().map(|r| f(&r.intake) as u32).sum::<u32>()
    };
    let mut rows = vec![vec![
        txt(""),
        txt(""),
        txt(s.label("district_row")),
        txt(""),
        txt(format!(
            "{}/{}",
            fig.schools.len() - fig.missing_submissions.len(),
            fig.schools.len()
        )),
        num(received.files_read.len() as u32),
        num(sum(|i| i.people_read)),
        num(sum(|i| i.people_rejected)),
        num(sum(|i| i.training_unmatched)),
        num(count(None).errors),
        num(count(None).warnings),
        txt(""),
        txt(""),
    ]];
    for (i, r) in fig.schools.iter().enumerate() {
        let status = if fig.missing_submissions.contains(&r.school.code) {
            "status_missing"
        } else if r.measures.stats.staff.total == 0 {
            "status_partial"
        } else {
            "status_submitted"
        };
        let code = Some(r.school.code.as_str());
        let row: Vec<Val> = vec![
            num(i as u32 + 1),
            txt(&r.school.code),
            txt(&r.school.name),
            txt(r.school.commune.clone().unwrap_or_default()),
            txt(s.label(status)),
            num(r.files.len() as u32),
            num(r.intake.people_read as u32),
            num(r.intake.people_rejected as u32),
            num(r.intake.training_unmatched as u32),
            num(count(code).errors),
            num(count(code).warnings),
            txt(if r.intake.needs_check() {
                s.label("check_files")
            } else {
                ""
            }),
            txt(r.files.join("; ")),
        ];
        rows.push(row);
    }
    Table {
        bold: vec![0],
        ..Table::new(titled(s, "title_intake", &fig.school_year), headers, rows)
    }
}
