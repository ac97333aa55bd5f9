//! The workbook the office sends each school to fill (`bdtx template`): the same headers,
//! vocabularies and rules the reader uses, from `schemas/`, so the two never drift. Dropdowns for
//! every vocabulary column, date and 0–10 score validation, input messages, locked headers and
//! a guide sheet; no formulas.

use crate::domain::model::School;
use crate::domain::schema::{Schemas, SheetKind};
use crate::domain::text::{column_letter, fill};
use crate::output::xlsx::new_workbook;
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, ProtectionOptions, Workbook, Worksheet,
};
use std::collections::BTreeMap;

/// Header row of the data sheets (0-based); data starts below it.
pub const HEADER_ROW: u32 = 3;

/// A value written into the template before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

/// Rows to prefill, each a map from column key to value.
#[derive(Debug, Clone, Default)]
pub struct Prefill {
    pub staff: Vec<BTreeMap<String, Fill>>,
    pub training: Vec<BTreeMap<String, Fill>>,
}

#[derive(Debug, Clone)]
pub struct TemplateOptions {
    pub school_year: String,
    pub deadline: String,
    pub contact: String,
    /// Rows prepared (formatted, validated) for each list.
    pub rows: u32,
}

struct Styles {
    header: Format,
    title: Format,
    cell: Format,
    date: Format,
    label: Format,
}

fn styles() -> Styles {
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    let cell = base.clone().set_border(FormatBorder::Thin).set_unlocked();
    Styles {
        header: base
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xDDEBF7)),
        title: base.clone().set_bold().set_font_size(14),
        date: cell.clone().set_num_format("dd/mm/yyyy"),
        cell,
        label: base.set_bold(),
    }
}

/// The vocabularies the template's dropdowns use, each a column of the hidden list sheet.
fn list_columns(s: &Schemas) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for kind in [&s.staff, &s.training] {
        for key in &kind.template {
            if let Some(v) = kind.column(key).and_then(|c| c.vocab.clone()) {
                if !names.contains(&v) {
                    names.push(v);
                }
            }
        }
    }
    names
}

/// The dropdown values of a vocabulary: its canonical labels.
pub fn list_values(s: &Schemas, vocab: &str) -> Vec<String> {
    s.vocab[vocab]
        .entries
        .iter()
        .map(|e| e.label.clone())
        .collect()
}

/// The range a dropdown of `vocab` refers to, e.g. `='Danh mục'!$C$2:$C$17`.
pub fn list_reference(s: &Schemas, vocab: &str) -> Option<String> {
    let col = list_columns(s).iter().position(|v| v == vocab)? as u32;
    let letter = column_letter(col);
    let n = list_values(s, vocab).len() + 1;
    Some(format!(
        "='{}'!${letter}$2:${letter}${n}",
        s.label("template_sheet_lists")
    ))
}

/// The template for one school (or a blank one), as xlsx bytes.
pub fn school_template(
    school: Option<&School>,
    prefill: &Prefill,
    opts: &TemplateOptions,
    s: &Schemas,
) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&opts.school_year)?;
    info_sheet(&mut wb, school, opts, s)?;
    let staff = wb
        .add_worksheet()
        .set_name(s.label("template_sheet_staff"))?;
    data_sheet(staff, &s.staff, &prefill.staff, school, opts, s)?;
    let training = wb
        .add_worksheet()
        .set_name(s.label("template_sheet_training"))?;
    data_sheet(training, &s.training, &prefill.training, school, opts, s)?;
    guide_sheet(&mut wb, opts, s)?;
    lists_sheet(&mut wb, s)?;
    Ok(wb.save_to_buffer()?)
}

fn info_sheet(
    wb: &mut Workbook,
    school: Option<&School>,
    opts: &TemplateOptions,
    s: &Schemas,
) -> Result<()> {
    let st = styles();
    let ws = wb
        .add_worksheet()
        .set_name(s.label("template_sheet_info"))?;
    let rows = [
        (s.registry.label_of("code"), school.map(|x| x.code.clone())),
        (s.registry.label_of("name"), school.map(|x| x.name.clone())),
        (
            s.label("template_year").to_string(),
            Some(opts.school_year.clone()),
        ),
        (
            s.label("template_deadline").to_string(),
            Some(opts.deadline.clone()),
        ),
        (
            s.label("template_contact").to_string(),
            Some(opts.contact.clone()),
        ),
    ];
    for (r, (label, value)) in rows.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, label, &st.label)?;
        match value {
            Some(v) if r >= 2 || school.is_some() => ws.write_string(r as u32, 1, v)?,
            // A blank template: the school types its code and name.
            _ => ws.write_blank(r as u32, 1, &st.cell)?,
        };
    }
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 45)?;
    ws.protect();
    Ok(())
}

fn data_sheet(
    ws: &mut Worksheet,
    kind: &SheetKind,
    rows: &[BTreeMap<String, Fill>],
    school: Option<&School>,
    opts: &TemplateOptions,
    s: &Schemas,
) -> Result<()> {
    let st = styles();
    let title = fill(
        s.label("template_title"),
        &[
            ("kind", &kind.label.to_uppercase()),
            ("year", &opts.school_year),
        ],
    );
    ws.write_string_with_format(0, 0, &title, &st.title)?;
    if let Some(sc) = school {
        ws.write_string_with_format(1, 0, sc.name.to_uppercase(), &st.label)?;
    }
    let first = HEADER_ROW + 1;
    let last = HEADER_ROW + opts.rows.max(rows.len() as u32);
    for (c, key) in kind.template.iter().enumerate() {
        let Some(spec) = kind.column(key) else {
            continue;
        };
        let c16 = c as u16;
        ws.write_string_with_format(HEADER_ROW, c16, &spec.label, &st.header)?;
        let is_date = spec.value.as_deref() == Some("date");
        let width = match key.as_str() {
            "name" => 26.0,
            _ if is_date => 12.0,
            _ => (spec.label.chars().count() as f64 * 0.9).clamp(8.0, 20.0),
        };
        ws.set_column_width(c16, width)?;
        for r in first..=last {
            ws.write_blank(r, c16, if is_date { &st.date } else { &st.cell })?;
        }
        if let Some(dv) = validation(spec, s)? {
            ws.add_data_validation(first, c16, last, c16, &dv)?;
        }
        if let Some(help) = &spec.help {
            let note = DataValidation::new()
                .allow_any_value()
                .set_input_title(truncate(&spec.label, 32))?
                .set_input_message(truncate(help, 255))?;
            ws.add_data_validation(HEADER_ROW, c16, HEADER_ROW, c16, &note)?;
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let r = first + i as u32;
        for (c, key) in kind.template.iter().enumerate() {
            match row.get(key) {
                Some(Fill::Text(t)) => ws.write_string_with_format(r, c as u16, t, &st.cell)?,
                Some(Fill::Number(n)) => ws.write_number_with_format(r, c as u16, *n, &st.cell)?,
                Some(Fill::Date(d)) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c as u16, dt, &st.date)?
                }
                None => continue,
            };
        }
    }
    ws.set_row_height(HEADER_ROW, 48)?;
    ws.set_freeze_panes(first, 2)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The validation of a data column: a dropdown, a date, or a 0–10 score.
fn validation(
    spec: &crate::domain::schema::ColumnSpec,
    s: &Schemas,
) -> Result<Option<DataValidation>> {
    let title = s.label("template_error_title");
    let dv = if let Some(reference) = spec.vocab.as_deref().and_then(|v| list_reference(s, v)) {
        DataValidation::new()
            .allow_list_formula(Formula::new(reference))
            .set_error_message(s.label("template_error_list"))?
    } else {
        match spec.value.as_deref() {
            Some("date") => {
                let (from, to) = (
                    ExcelDateTime::from_ymd(1900, 1, 1)?,
                    ExcelDateTime::from_ymd(2100, 12, 31)?,
                );
                DataValidation::new()
                    .allow_date(DataValidationRule::Between(from, to))
                    .set_error_message(s.label("template_error_date"))?
            }
            Some("score") => {
                let t = &s.rules.training;
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::Between(t.min_score, t.max_score))
                    .set_error_message(s.label("template_error_score"))?
            }
            _ => return Ok(None),
        }
    };
    // Typing is stopped; pasting bypasses validation in Excel, and the reader reports that.
    Ok(Some(dv.set_error_title(title)?))
}

fn guide_sheet(wb: &mut Workbook, opts: &TemplateOptions, s: &Schemas) -> Result<()> {
    let st = styles();
    let ws = wb
        .add_worksheet()
        .set_name(s.label("template_sheet_guide"))?;
    ws.write_string_with_format(0, 0, s.label("template_guide_title"), &st.title)?;
    ws.merge_range(
        1,
        0,
        1,
        3,
        s.label("template_guide_intro"),
        &st.cell.clone().set_text_wrap().set_locked(),
    )?;
    ws.set_row_height(1, 48)?;
    ws.write_string(
        2,
        0,
        format!("{}: {}", s.label("template_deadline"), opts.deadline),
    )?;
    ws.write_string(
        3,
        0,
        format!("{}: {}", s.label("template_contact"), opts.contact),
    )?;
    // The page the office sends with the template: checked before sending, not after.
    ws.merge_range(
        4,
        0,
        4,
        3,
        s.label("template_guide_self_check"),
        &st.cell.clone().set_text_wrap().set_locked(),
    )?;
    ws.set_row_height(4, 48)?;
    let headers = [
        "template_guide_sheet",
        "template_guide_column",
        "template_guide_meaning",
        "template_guide_values",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(5, c as u16, s.label(h), &st.header)?;
    }
    let mut r = 6;
    let wrap = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    for kind in [&s.staff, &s.training] {
        for key in &kind.template {
            let Some(spec) = kind.column(key) else {
                continue;
            };
            let values = match &spec.vocab {
                Some(v) if list_values(s, v).len() > 12 => s
                    .label("template_many_values")
                    .replace("{n}", &list_values(s, v).len().to_string()),
                Some(v) => list_values(s, v).join("; "),
                None => String::new(),
            };
            for (c, text) in [
                kind.label.as_str(),
                spec.label.as_str(),
                spec.help.as_deref().unwrap_or(""),
                values.as_str(),
            ]
            .iter()
            .enumerate()
            {
                ws.write_string_with_format(r, c as u16, *text, &wrap)?;
            }
            r += 1;
        }
    }
    for (c, w) in [28.0, 26.0, 60.0, 60.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.protect();
    Ok(())
}

/// The hidden sheet the dropdowns read their values from.
fn lists_sheet(wb: &mut Workbook, s: &Schemas) -> Result<()> {
    let ws = wb
        .add_worksheet()
        .set_name(s.label("template_sheet_lists"))?;
    for (c, vocab) in list_columns(s).iter().enumerate() {
        ws.write_string(0, c as u16, vocab)?;
        for (r, v) in list_values(s, vocab).iter().enumerate() {
            ws.write_string(1 + r as u32, c as u16, v)?;
        }
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}
