//! `output/loi/<code>.xlsx`: the letter the office sends each school with its problems, to
//! print on A4 portrait: the office's letterhead, the school's name and the year, the
//! deadline, how many errors and warnings, then one row per problem grouped by file, with
//! the cell ("Đội ngũ!G12"), what is wrong and what to do. The machine code of each problem
//! stays in a last, hidden column for the office's own filtering.
//!
//! Files no school was found for go to the office itself, as a plain list (`office_list`).

use super::official::{heading_at, signatures_at, Letterhead};
use super::report::issues_sheet;
use super::xlsx::{a4_portrait, new_workbook, num, txt, write_table, Formats, Val};
use crate::domain::issue::{Issue, Severity};
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use crate::pipeline::JobResult;
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};

/// Columns of the letter's table: STT, cell, severity, what is wrong, what to do, code.
const COLUMNS: u16 = 6;
/// The letterhead's issuer takes the columns before this one (STT, cell, severity).
const HEADING_SPLIT: u16 = 3;
/// The hidden column of machine codes.
const CODE_COL: u16 = COLUMNS - 1;

/// The list of problems of files no school was found for, to the office.
pub fn office_list(issues: &[Issue], s: &Schemas, year: &str) -> Result<Vec<u8>> {
    let mut wb = new_workbook(year)?;
    let ws = wb.add_worksheet().set_name(s.label("sheet_issues"))?;
    issues_sheet(ws, &Formats::new(), issues, s, year)?;
    Ok(wb.save_to_buffer()?)
}

/// The letter to the school `code` about `issues` (sorted by file, sheet, row).
pub fn school_letter(
    code: &str,
    issues: &[Issue],
    job: &JobResult,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&job.school_year)?;
    let ws = wb.add_worksheet().set_name(s.label("sheet_issues"))?;
    let f = Formats::new();
    let school = job
        .school(code)
        .map(|r| format!("{} ({code})", r.school.name))
        .unwrap_or_else(|| code.to_string());
    // The report's number belongs to the report: the letter's is written by hand.
    let letter_head = Letterhead {
        reference: None,
        ..lh.clone()
    };
    let span = (HEADING_SPLIT, CODE_COL - 1);
    let title = s.label("letter_title").replace("{year}", &job.school_year);
    let top = heading_at(ws, &f, span, &title, job, &letter_head, s)?;
    let lines = opening_lines(&school, issues, lh, s);
    let text = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let centered = text.clone().set_bold().set_align(FormatAlign::Center);
    let mut r = top - 1;
    for (i, line) in lines.iter().enumerate() {
        let style = if i == 0 { &centered } else { &text };
        ws.merge_range(r, 0, r, span.1, line, style)?;
        // About 95 characters to a line across the page.
        ws.set_row_height(r, 16.0 * line.chars().count().div_ceil(95).max(1) as f64)?;
        r += 1;
    }
    let next = problems_table(ws, &f, r - 1, issues, s)?;
    signatures_at(
        ws,
        next + 1,
        span,
        &letter_head,
        s,
        false,
        &[
            s.label("letter_recipients_school").to_string(),
            s.label("letter_recipients_archive").to_string(),
        ],
    )?;
    a4_portrait(ws);
    Ok(wb.save_to_buffer()?)
}

/// "Kính gửi", what the school is asked to do, the deadline and the counts.
fn opening_lines(school: &str, issues: &[Issue], lh: &Letterhead, s: &Schemas) -> Vec<String> {
    let count = |severity| issues.iter().filter(|i| i.severity == severity).count();
    let deadline = lh
        .deadline
        .clone()
        .unwrap_or_else(|| s.label("blank").to_string());
    vec![
        s.label("letter_to").replace("{school}", school),
        s.label("letter_intro").to_string(),
        s.label("letter_deadline").replace("{deadline}", &deadline),
        fill(
            s.label("letter_counts"),
            &[
                ("errors", &count(Severity::Error).to_string()),
                ("warnings", &count(Severity::Warning).to_string()),
            ],
        ),
    ]
}

/// The problems, a bold line naming each file before its rows; returns the next free row.
fn problems_table(
    ws: &mut Worksheet,
    f: &Formats,
    top: u32,
    issues: &[Issue],
    s: &Schemas,
) -> Result<u32> {
    let headers = super::xlsx::labels(
        s,
        &[
            "col_no",
            "col_location",
            "col_severity",
            "col_problem",
            "col_fix",
            "col_issue_code",
        ],
    );
    let mut rows: Vec<Vec<Val>> = Vec::new();
    let mut file_rows: Vec<(usize, String)> = Vec::new();
    let mut n = 0;
    for (i, issue) in issues.iter().enumerate() {
        if i == 0 || issues[i - 1].file != issue.file {
            let file = if issue.file.is_empty() {
                s.label("letter_no_file").to_string()
            } else {
                s.label("letter_file").replace("{file}", &issue.file)
            };
            file_rows.push((rows.len(), file));
            // Written merged below; the widest column keeps the row one line high.
            rows.push(vec![txt(""); COLUMNS as usize]);
        }
        n += 1;
        let (what, fix) = issue.what_and_fix(&s.messages);
        let severity = s.messages.severity.get(issue.severity.key());
        rows.push(vec![
            num(n),
            txt(location(issue, s)),
            txt(severity.cloned().unwrap_or_default()),
            txt(what),
            txt(fix),
            txt(&issue.code),
        ]);
    }
    let bold: Vec<usize> = file_rows.iter().map(|(i, _)| *i).collect();
    let next = write_table(ws, f, top, "", &headers, &rows, &bold)?;
    let header_row = top + 2;
    for (i, file) in &file_rows {
        let r = header_row + 1 + *i as u32;
        ws.merge_range(r, 0, r, CODE_COL - 1, file, &f.bold_text)?;
        ws.set_row_height(r, 18.0)?;
    }
    // Wide enough for the letterhead above them (the issuer's name in these columns).
    for (col, width) in [(0, 6), (1, 22), (2, 11)] {
        ws.set_column_width(col, width)?;
    }
    ws.set_column_hidden(CODE_COL)?;
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(next)
}

/// Where the problem is, as a school finds it: "Đội ngũ!G12", "Đội ngũ, dòng 12", the sheet,
/// or nothing for the file as a whole.
fn location(issue: &Issue, s: &Schemas) -> String {
    let sheet = issue.sheet.as_str();
    match (sheet.is_empty(), issue.row, issue.column.as_deref()) {
        (true, ..) => String::new(),
        (false, Some(row), Some(col)) => format!("{sheet}!{col}{row}"),
        (false, Some(row), None) => fill(
            s.label("letter_sheet_row"),
            &[("sheet", sheet), ("row", &row.to_string())],
        ),
        (false, None, _) => sheet.to_string(),
    }
}
