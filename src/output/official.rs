//! The frame of an official document (Nghị định 30/2020): the issuing body and national
//! motto, the date line, the title, the signatures and the A4 print setup, around one table.

use super::xlsx::{filter_and_freeze, write_table, Formats, Val};
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use crate::pipeline::JobResult;
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, FormatUnderline, Worksheet};

/// Who issues the report and where: from `--district` or the registry's title rows.
#[derive(Debug, Clone, Default)]
pub struct Letterhead {
    /// One or two lines, top-left.
    pub issuer: Vec<String>,
    /// Place of the date line ("Yên Hòa").
    pub place: Option<String>,
}

impl Letterhead {
    /// From a unit name such as "Huyện Yên Hòa", with the wording of `report.toml`.
    pub fn for_district(district: &str, s: &Schemas) -> Letterhead {
        let parent = s
            .label("issuer_parent")
            .replace("{district}", district)
            .to_uppercase();
        let mut place = district.trim().to_string();
        for prefix in s.label("place_prefixes").split('|') {
            if let Some(rest) = place.strip_prefix(prefix) {
                place = rest.trim().to_string();
                break;
            }
        }
        Letterhead {
            issuer: vec![parent, s.label("issuer_body").to_string()],
            place: Some(place),
        }
    }

    /// From the registry's title rows that name an issuing body ("UBND …", "PHÒNG GD&ĐT …"),
    /// else the office's generic name.
    pub fn from_registry(job: &JobResult, s: &Schemas) -> Letterhead {
        let starts = Schemas::lower_list(&s.rules.school_match.ignore_lines_starting);
        let issuer: Vec<String> = job
            .registry_title
            .iter()
            .filter(|t| {
                starts
                    .iter()
                    .any(|p| crate::domain::text::lower(t).starts_with(p.as_str()))
            })
            .take(2)
            .map(|t| t.to_uppercase())
            .collect();
        if issuer.is_empty() {
            return Letterhead {
                issuer: vec![s.label("issuer_body").to_string()],
                place: None,
            };
        }
        Letterhead {
            issuer,
            place: None,
        }
    }
}

pub(crate) struct Styles {
    bold_center: Format,
    bold_underline: Format,
    italic_right: Format,
    title: Format,
    italic_center: Format,
}

pub(crate) fn styles() -> Styles {
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    Styles {
        bold_center: base.clone().set_bold().set_align(FormatAlign::Center),
        bold_underline: base
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_underline(FormatUnderline::Single),
        italic_right: base.clone().set_italic().set_align(FormatAlign::Right),
        title: base
            .clone()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        italic_center: base.set_italic().set_align(FormatAlign::Center),
    }
}

/// The top of an official document; returns the first free row.
pub(crate) fn heading(
    ws: &mut Worksheet,
    last_col: u16,
    title: &str,
    job: &JobResult,
    lh: &Letterhead,
    s: &Schemas,
) -> Result<u32> {
    let st = styles();
    let mid = (last_col / 2).max(1);
    // Row by row: the long sheets are low-memory ones, which cannot go back to a row.
    let motto = [
        (s.label("motto_1"), &st.bold_center),
        (s.label("motto_2"), &st.bold_underline),
    ];
    for (i, (motto, motto_style)) in motto.into_iter().enumerate() {
        if let Some(line) = lh.issuer.get(i) {
            let style = if i + 1 == lh.issuer.len().min(2) {
                &st.bold_underline
            } else {
                &st.bold_center
            };
            ws.merge_range(i as u32, 0, i as u32, mid - 1, line, style)?;
        }
        ws.merge_range(i as u32, mid, i as u32, last_col, motto, motto_style)?;
    }
    let year = job
        .school_year
        .rsplit('-')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let place = lh
        .place
        .clone()
        .unwrap_or_else(|| s.label("place_unknown").to_string());
    let date = fill(s.label("date_line"), &[("place", &place), ("year", &year)]);
    ws.merge_range(3, mid, 3, last_col, &date, &st.italic_right)?;
    ws.merge_range(5, 0, 5, last_col, title, &st.title)?;
    ws.set_row_height(5, 36)?;
    Ok(7)
}

/// The signature block under the last table.
pub(crate) fn signatures(ws: &mut Worksheet, row: u32, last_col: u16, s: &Schemas) -> Result<()> {
    let st = styles();
    let mid = (last_col / 2).max(1);
    ws.merge_range(
        row,
        0,
        row,
        mid - 1,
        s.label("signer_left"),
        &st.bold_center,
    )?;
    ws.merge_range(
        row,
        mid,
        row,
        last_col,
        s.label("signer_right"),
        &st.bold_center,
    )?;
    ws.merge_range(
        row + 1,
        0,
        row + 1,
        mid - 1,
        s.label("sign_hint_left"),
        &st.italic_center,
    )?;
    ws.merge_range(
        row + 1,
        mid,
        row + 1,
        last_col,
        s.label("sign_hint_right"),
        &st.italic_center,
    )?;
    Ok(())
}

pub(crate) fn print_setup(ws: &mut Worksheet) {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C&P / &N");
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
}

/// Writes an official sheet: heading, one table, signatures, print setup.
#[allow(clippy::too_many_arguments)] // the table and the document it sits in
pub(crate) fn official_table(
    ws: &mut Worksheet,
    f: &Formats,
    title: &str,
    headers: &[&str],
    rows: &[Vec<Val>],
    bold: &[usize],
    job: &JobResult,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<u32> {
    let last_col = headers.len().saturating_sub(1) as u16;
    let top = heading(ws, last_col, title, job, lh, s)?;
    let next = write_table(ws, f, top - 2, "", headers, rows, bold)?;
    filter_and_freeze(ws, top - 2, headers.len(), rows.len())?;
    print_setup(ws);
    Ok(next)
}
