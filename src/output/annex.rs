//! `phu_luc_<năm học>.xlsx`: the lists that go with the signed report as its annexes, each
//! sheet headed as an annex is (Nghị định 30/2020): "Phụ lục n", its title, "(Kèm theo Báo
//! cáo số … ngày … của …)". Completers (for the certificates), those not completed, the
//! accreditation detail, the staff by group.

use super::official::Letterhead;
use super::xlsx::{a4_landscape, new_workbook, Formats, Table};
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use crate::pipeline::Figures;
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};

/// The annex workbook as xlsx bytes, in the formats `f`.
pub fn annex(fig: &Figures, f: Formats, s: &Schemas, lh: &Letterhead) -> Result<Vec<u8>> {
    annex_with(fig, f, s, lh, ROWS_PER_SHEET)
}

/// Data rows of one annex sheet: Excel's last row less the heading, header and notes.
pub const ROWS_PER_SHEET: usize = super::xlsx::SHEET_ROWS as usize - 32;

type Build<'a> = Box<dyn Fn() -> Result<Table> + 'a>;

/// `annex`, a list longer than `rows_per_sheet` going on over as many sheets as it needs
/// ("PL1 Hoàn thành BDTX (2)" …, headed "Phụ lục 1 (tiếp theo, phần 2)"): a country's list
/// of completers passes Excel's last row. Each list is built when its sheets are written,
/// so only one is held at a time.
pub fn annex_with(
    fig: &Figures,
    f: Formats,
    s: &Schemas,
    lh: &Letterhead,
    rows_per_sheet: usize,
) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&fig.school_year)?;
    let tables: [(&str, Build); 4] = [
        (
            "sheet_annex_completers",
            Box::new(|| super::report::completers_table(fig, s)),
        ),
        (
            "sheet_annex_not_completed",
            Box::new(|| super::report::not_completed_table(fig, s)),
        ),
        (
            "sheet_annex_targets",
            Box::new(|| Ok(super::targets_sheet::detail_table(fig, s))),
        ),
        (
            "sheet_annex_groups",
            Box::new(|| Ok(super::groups_sheet::table(fig, s))),
        ),
    ];
    for (n, (name, build)) in tables.iter().enumerate() {
        let table = build()?;
        for (p, part) in split(table, rows_per_sheet.max(1)).into_iter().enumerate() {
            let ws = f
                .table_sheet(&mut wb)?
                .set_name(part_name(s.label(name), p))?;
            let heading = match p {
                0 => s.label("annex_number").replace("{n}", &(n + 1).to_string()),
                _ => fill(
                    s.label("annex_continued"),
                    &[("n", &(n + 1).to_string()), ("part", &(p + 1).to_string())],
                ),
            };
            annex_sheet(ws, &f, &heading, part, fig, s, lh)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// A table cut into tables of at most `rows` rows, each with the header and title; the
/// notes go under the last; bold rows keep their place.
fn split(table: Table, rows: usize) -> Vec<Table> {
    if table.rows.len() <= rows {
        return vec![table];
    }
    let Table {
        title,
        headers,
        rows: all,
        bold,
        notes,
    } = table;
    let count = all.len().div_ceil(rows);
    let mut parts = Vec::with_capacity(count);
    let mut all = all.into_iter();
    for p in 0..count {
        let chunk: Vec<_> = all.by_ref().take(rows).collect();
        let first = p * rows;
        parts.push(Table {
            title: title.clone(),
            headers: headers.clone(),
            bold: bold
                .iter()
                .filter(|&&b| (first..first + chunk.len()).contains(&b))
                .map(|b| b - first)
                .collect(),
            rows: chunk,
            notes: if p + 1 == count {
                notes.clone()
            } else {
                Vec::new()
            },
        });
    }
    parts
}

/// The sheet name of part `p` (from 0): the name, then "name (2)" …, within Excel's 31
/// characters.
fn part_name(name: &str, p: usize) -> String {
    if p == 0 {
        return name.to_string();
    }
    let suffix = format!(" ({})", p + 1);
    let kept: String = name.chars().take(31 - suffix.chars().count()).collect();
    format!("{}{suffix}", kept.trim_end())
}

/// Annex `n`: its number, title and the report it goes with, then the table.
fn annex_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    heading: &str,
    mut table: Table,
    fig: &Figures,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let last_col = table.headers.len().saturating_sub(1) as u16;
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let year = fig.school_year.rsplit('-').next().unwrap_or("").trim();
    let office = lh.issuer.get(1).cloned().unwrap_or_default();
    let reference = lh
        .reference
        .clone()
        .unwrap_or_else(|| s.label("reference_blank").to_string());
    let attached = fill(
        s.label("annex_attached"),
        &[
            ("reference", &reference),
            ("year", year),
            ("office", &office),
        ],
    );
    let lines = [
        (heading.to_string(), base.clone().set_bold()),
        (
            std::mem::take(&mut table.title),
            base.clone().set_bold().set_font_size(14),
        ),
        (attached, base.set_italic()),
    ];
    for (r, (text, format)) in lines.iter().enumerate() {
        if last_col > 0 {
            ws.merge_range(r as u32, 0, r as u32, last_col, text, format)?;
        } else {
            ws.write_string_with_format(r as u32, 0, text, format)?;
        }
    }
    f.set_height(ws, 1, 36.0)?;
    f.set_height(ws, 2, 32.0)?;
    // The title is the sheet's heading above: the table itself has none.
    table.write_at(ws, f, 2)?;
    a4_landscape(ws);
    Ok(())
}
