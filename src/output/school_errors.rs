//! `output/loi/<code>.xlsx`: the letter the office sends each school with its problems, to
//! print on A4 portrait: the office's letterhead, the school's name and the year, the
//! deadline, how many errors and warnings, then one row per problem grouped by file, with
//! the cell ("Đội ngũ!G12"), what is wrong and what to do. The machine code of each problem
//! stays in a last, hidden column for the office's own filtering.
//!
//! Files no school was found for go to the office itself, as a plain list (`office_list`).

use super::official::{heading_at, signatures_at, Letterhead};
use super::report::issues_sheet;
use super::xlsx::{a4_portrait, new_workbook, num, txt, write_table_with, Formats, MergedRow, Val};
use crate::domain::issue::{Issue, SeverityCounts};
use crate::domain::schema::Schemas;
use crate::domain::text::{fill, fold};
use crate::pipeline::Figures;
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};

/// Columns of the letter's table: STT, cell, severity, what is wrong, what to do, code.
const COLUMNS: u16 = 6;
/// The letterhead's issuer takes the columns before this one (STT, cell, severity).
const HEADING_SPLIT: u16 = 3;
/// The hidden column of machine codes.
const CODE_COL: u16 = COLUMNS - 1;
/// Column widths of a letter without a table of problems (a reminder to send files).
const LETTER_WIDTHS: [f64; 5] = [6.0, 22.0, 11.0, 40.0, 40.0];

/// The list of problems of files no school was found for, to the office.
pub fn office_list(issues: &[Issue], s: &Schemas, year: &str) -> Result<Vec<u8>> {
    let mut wb = new_workbook(year)?;
    let f = Formats::row_by_row().naming(s);
    let ws = f.table_sheet(&mut wb)?.set_name(s.label("sheet_issues"))?;
    issues_sheet(ws, &f, issues, s, year)?;
    Ok(wb.save_to_buffer()?)
}

/// The school a letter goes to: all it says of it besides the problems.
pub struct Addressee<'a> {
    pub code: &'a str,
    /// Its name in the registry; None for a school the registry does not hold.
    pub name: Option<&'a str>,
    /// It sent nothing: the letter asks for its files.
    pub reminder: bool,
}

impl<'a> Addressee<'a> {
    /// The school `code` as the figures know it.
    pub fn of(code: &'a str, fig: &'a Figures) -> Addressee<'a> {
        Addressee {
            code,
            name: fig.school(code).map(|r| r.school.name.as_str()),
            reminder: fig.missing_submissions.iter().any(|c| c == code),
        }
    }

    /// "Trường Tiểu học Kim Đồng": the name as a letter addresses it.
    fn school(&self) -> String {
        match self.name {
            Some(name) if fold(name).starts_with("truong") => name.to_string(),
            Some(name) => format!("Trường {name}"),
            None => self.code.to_string(),
        }
    }
}

/// The letter of `school_year` to `to` about `issues` (sorted by file, sheet, row): a công
/// văn asking it to fix them, or, when it sent nothing, to send its files.
pub fn school_letter(
    to: &Addressee,
    issues: &[Issue],
    school_year: &str,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<Vec<u8>> {
    let mut wb = new_workbook(school_year)?;
    let f = Formats::row_by_row().naming(s);
    let ws = f.table_sheet(&mut wb)?.set_name(s.label("sheet_issues"))?;
    let (school, reminder) = (to.school(), to.reminder);
    let span = (HEADING_SPLIT, CODE_COL - 1);
    let top = letter_heading(ws, &f, span, reminder, school_year, lh, s)?;
    let lines = match reminder {
        true => reminder_lines(&school, school_year, lh, s),
        false => opening_lines(&school, issues, school_year, lh, s),
    };
    let text = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_text_wrap()
        .set_align(FormatAlign::Justify)
        .set_align(FormatAlign::Top);
    let centered = text.clone().set_align(FormatAlign::Center);
    let mut r = top;
    for (i, line) in lines.iter().enumerate() {
        let style = if i == 0 { &centered } else { &text };
        ws.merge_range(r, 0, r, span.1, line, style)?;
        // About 95 characters to a line across the page.
        ws.set_row_height(r, 16.0 * line.chars().count().div_ceil(95).max(1) as f64)?;
        r += 1;
    }
    let next = match reminder {
        true => {
            // No table sets the columns: the letter's own widths.
            for (col, width) in LETTER_WIDTHS.iter().enumerate() {
                ws.set_column_width(col as u16, *width)?;
            }
            ws.set_column_hidden(CODE_COL)?;
            r
        }
        false => problems_table(ws, &f, r - 1, issues, s)?,
    };
    ws.merge_range(next, 0, next, span.1, s.label("letter_closing"), &text)?;
    let recipients = [
        s.label("letter_recipients_school").to_string(),
        s.label("letter_recipients_archive").to_string(),
    ];
    signatures_at(ws, next + 2, span, lh, s, false, &recipients)?;
    a4_portrait(ws);
    Ok(wb.save_to_buffer()?)
}

/// The top of a công văn: the issuing body and the motto, the number (the office's
/// abbreviation, the figure left to write) and the date, the subject ("V/v …") under the
/// number. Returns the first free row.
fn letter_heading(
    ws: &mut Worksheet,
    f: &Formats,
    span: (u16, u16),
    reminder: bool,
    school_year: &str,
    lh: &Letterhead,
    s: &Schemas,
) -> Result<u32> {
    // The report's number belongs to the report: the letter's is the office's to give, after
    // its abbreviation.
    let number = match &lh.abbreviation {
        Some(a) => s.label("letter_number").replace("{abbreviation}", a),
        None => s.label("letter_number_blank").to_string(),
    };
    let head = Letterhead {
        reference: Some(number),
        ..lh.clone()
    };
    heading_at(ws, f, span, "", school_year, &head, s)?;
    let key = if reminder {
        "letter_subject_reminder"
    } else {
        "letter_subject"
    };
    let subject = s.label(key).replace("{year}", school_year);
    let small = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    ws.merge_range(4, 0, 4, span.0 - 1, &subject, &small)?;
    f.set_height(ws, 4, 64.0)?;
    f.set_height(ws, 5, 8.0)?;
    Ok(6)
}

/// The office as a sentence names it ("Phòng giáo dục và đào tạo").
pub(crate) fn office_name(lh: &Letterhead) -> String {
    let body = lh
        .issuer
        .get(1)
        .map(|b| b.to_lowercase())
        .unwrap_or_default();
    let mut chars = body.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn deadline(lh: &Letterhead, s: &Schemas) -> String {
    lh.deadline
        .clone()
        .unwrap_or_else(|| s.label("blank").to_string())
}

/// "Kính gửi", what the school is asked to do, the deadline and the counts.
fn opening_lines(
    school: &str,
    issues: &[Issue],
    school_year: &str,
    lh: &Letterhead,
    s: &Schemas,
) -> Vec<String> {
    let counts = SeverityCounts::of(issues);
    vec![
        s.label("letter_to").replace("{school}", school),
        fill(
            s.label("letter_intro"),
            &[("year", school_year), ("office", &office_name(lh))],
        ),
        s.label("letter_deadline")
            .replace("{deadline}", &deadline(lh, s)),
        fill(
            s.label("letter_counts"),
            &[
                ("errors", &counts.errors.to_string()),
                ("warnings", &counts.warnings.to_string()),
            ],
        ),
        s.label("letter_self_check")
            .replace("{office}", &office_name(lh)),
    ]
}

/// "Kính gửi" and the reminder to a school that sent nothing.
fn reminder_lines(school: &str, school_year: &str, lh: &Letterhead, s: &Schemas) -> Vec<String> {
    vec![
        s.label("letter_to").replace("{school}", school),
        fill(
            s.label("letter_reminder"),
            &[
                ("year", school_year),
                ("office", &office_name(lh)),
                ("deadline", &deadline(lh, s)),
            ],
        ),
        s.label("letter_self_check")
            .replace("{office}", &office_name(lh)),
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
                // The school knows its files by name, not by the office's folders.
                let name = issue.file.rsplit('/').next().unwrap_or(&issue.file);
                s.label("letter_file").replace("{file}", name)
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
            txt(issue.location(s)),
            txt(severity.cloned().unwrap_or_default()),
            txt(what),
            txt(fix),
            txt(&issue.code),
        ]);
    }
    let bold: Vec<usize> = file_rows.iter().map(|(i, _)| *i).collect();
    let merged: Vec<MergedRow> = file_rows
        .iter()
        .map(|(i, file)| MergedRow {
            row: *i,
            text: file,
            last_col: CODE_COL - 1,
            height: 18.0,
        })
        .collect();
    let next = write_table_with(ws, f, top, "", &headers, &rows, &bold, &merged)?;
    let header_row = top + 2;
    // Wide enough for the letterhead above them (the issuer's name in these columns).
    for (col, width) in [(0, 6), (1, 22), (2, 11)] {
        ws.set_column_width(col, width)?;
    }
    ws.set_column_hidden(CODE_COL)?;
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(next)
}
