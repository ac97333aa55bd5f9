//! `phu_luc_<năm học>.xlsx`: the lists that go with the signed report as its annexes, each
//! sheet headed as an annex is (Nghị định 30/2020): "Phụ lục n", its title, "(Kèm theo Báo
//! cáo số … ngày … của …)". Completers (for the certificates), those not completed, the
//! accreditation detail, the staff by group.

use super::official::Letterhead;
use super::xlsx::{a4_landscape, new_workbook, Formats, Table};
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use crate::pipeline::JobResult;
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};

/// The annex workbook as xlsx bytes.
pub fn annex(job: &JobResult, s: &Schemas, lh: &Letterhead) -> Result<Vec<u8>> {
    let mut wb = new_workbook(&job.school_year)?;
    let f = Formats::for_rows(super::report::table_rows(job)).naming(s);
    let tables = [
        (
            "sheet_annex_completers",
            super::report::completers_table(job, s)?,
        ),
        (
            "sheet_annex_not_completed",
            super::report::not_completed_table(job, s)?,
        ),
        (
            "sheet_annex_targets",
            super::targets_sheet::detail_table(job, s),
        ),
        ("sheet_annex_groups", super::groups_sheet::table(job, s)),
    ];
    for (n, (name, table)) in tables.iter().enumerate() {
        let ws = f.table_sheet(&mut wb)?.set_name(s.label(name))?;
        annex_sheet(ws, &f, n + 1, table, job, s, lh)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Annex `n`: its number, title and the report it goes with, then the table.
fn annex_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    n: usize,
    table: &Table,
    job: &JobResult,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<()> {
    let last_col = table.headers.len().saturating_sub(1) as u16;
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let year = job.school_year.rsplit('-').next().unwrap_or("").trim();
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
        (
            s.label("annex_number").replace("{n}", &n.to_string()),
            base.clone().set_bold(),
        ),
        (
            table.title.clone(),
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
    let body = Table {
        title: String::new(),
        ..table.clone()
    };
    body.write_at(ws, f, 2)?;
    a4_landscape(ws);
    Ok(())
}
