//! The frame of an official document (Nghị định 30/2020): the issuing body and national
//! motto, the date line, the title, the signatures and the A4 print setup, around one table.

use super::text_width::{column_pt, column_width_for, widest_line_pt, Face, CELL_PADDING_PT};
use super::xlsx::{
    a4_landscape, filter_and_freeze, notes, write_table, Formats, Val, DEFAULT_COLUMN_WIDTH,
};
use crate::domain::issuer::{IssuerFields, Level};
use crate::domain::schema::Schemas;
use crate::domain::text::fill;
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, FormatUnderline, Worksheet};

/// Who issues the report and where, as printed: see `domain::issuer`.
#[derive(Debug, Clone, Default)]
pub struct Letterhead {
    /// Top-left: the parent body and the issuing office (dotted blanks when unknown).
    pub issuer: Vec<String>,
    /// Place of the date line ("Yên Hòa").
    pub place: Option<String>,
    /// "Số: 15/BC-PGDĐT" under the issuer.
    pub reference: Option<String>,
    /// The office's abbreviation in document numbers ("PGDĐT", "SGDĐT"), for its letters.
    pub abbreviation: Option<String>,
    pub signer_title: String,
    pub signer: Option<String>,
    /// "Nơi nhận" lines (without the leading dash).
    pub recipients: Vec<String>,
    /// The date by which schools send corrected files back (`--han-sua`), for their letters.
    pub deadline: Option<String>,
    /// False when a line of the issuing body was left blank for lack of data.
    pub complete: bool,
}

impl Letterhead {
    /// From the issuer's fields (the registry's sheet with the CLI's over it), presets of the
    /// level in `report.toml`, else the registry's title rows that name a body ("UBND …",
    /// "PHÒNG …"), else dotted blanks.
    pub fn resolve(fields: &IssuerFields, title: &[String], s: &Schemas) -> Letterhead {
        let field = |k: &str| {
            fields
                .get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let (unit_level, area) = match field("area") {
            Some(a) => {
                let (level, bare) = Level::split_unit(&a);
                (level, Some(bare))
            }
            None => (None, None),
        };
        let level = field("level").and_then(|l| Level::parse(&l)).or(unit_level);
        let preset = |key: &str| {
            let l = level?;
            let key = format!("{key}_{}", l.code());
            let text = s.label(&key).to_string();
            match &area {
                Some(a) => Some(text.replace("{area}", a)),
                None if text.contains("{area}") => Some(text.replace("{area}", s.label("blank"))),
                None => Some(text),
            }
        };
        let starts = Schemas::lower_list(&s.rules.school_match.ignore_lines_starting);
        let mut titled = title.iter().filter(|t| {
            starts
                .iter()
                .any(|p| crate::domain::text::lower(t).starts_with(p.as_str()))
        });
        let mut from_title = || titled.next().map(|t| t.to_uppercase());
        let parent = field("parent").or_else(|| preset("issuer_parent"));
        let body = field("name").or_else(|| preset("issuer_body"));
        let (parent, body) = match (parent, body) {
            (None, None) => (from_title(), from_title()),
            other => other,
        };
        let complete = parent.is_some() && body.is_some();
        let blank = || s.label("blank").to_string();
        let signer_title = field("signer_title")
            .or_else(|| preset("signer_title"))
            .map(|t| t.to_uppercase())
            .unwrap_or_else(|| s.label("signer_title_blank").to_string());
        let abbreviation = field("abbreviation").or_else(|| preset("abbreviation"));
        Letterhead {
            issuer: vec![
                parent.map(|p| p.to_uppercase()).unwrap_or_else(blank),
                body.map(|b| b.to_uppercase()).unwrap_or_else(blank),
            ],
            place: field("place").or(area),
            reference: field("reference"),
            abbreviation,
            deadline: field("deadline"),
            signer_title,
            signer: field("signer"),
            recipients: field("recipients")
                .map(|r| {
                    r.split([';', '\n'])
                        .map(|x| x.trim().trim_start_matches('-').trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            complete,
        }
    }
}

pub(crate) struct Styles {
    bold_left: Format,
    left: Format,
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
        bold_left: base.clone().set_bold().set_italic(),
        left: base.clone().set_font_size(11),
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

/// Fewest columns the heading and signatures span: the body's name and the national motto
/// each need about half a page, wider than a narrow table's columns.
const MIN_COLUMNS: u16 = 9;

/// The first column of the right half and the last column of a document `last_col` wide.
fn halves(last_col: u16) -> (u16, u16) {
    let last_col = last_col.max(MIN_COLUMNS - 1);
    (last_col / 2, last_col)
}

/// Rows the heading takes (issuer and motto, number and date, title); `official_table` puts
/// its header row right under them.
const HEADING_ROWS: u32 = 7;

/// The top of an official document; returns the first free row.
pub(crate) fn heading(
    ws: &mut Worksheet,
    f: &Formats,
    last_col: u16,
    title: &str,
    school_year: &str,
    lh: &Letterhead,
    s: &Schemas,
) -> Result<u32> {
    heading_at(ws, f, halves(last_col), title, school_year, lh, s)
}

/// `heading` with the issuer in columns before `mid` and the motto from `mid` to `last_col`.
pub(crate) fn heading_at(
    ws: &mut Worksheet,
    f: &Formats,
    (mid, last_col): (u16, u16),
    title: &str,
    school_year: &str,
    lh: &Letterhead,
    s: &Schemas,
) -> Result<u32> {
    let st = styles();
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
    let year = school_year
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
    let reference = lh
        .reference
        .as_deref()
        .unwrap_or(s.label("reference_blank"));
    let reference = s.label("reference_line").replace("{reference}", reference);
    ws.merge_range(3, 0, 3, mid - 1, &reference, &st.italic_center)?;
    ws.merge_range(3, mid, 3, last_col, &date, &st.italic_right)?;
    let issuer = lh.issuer.iter().take(2).map(|l| (l.as_str(), Face::Bold));
    let left = issuer.chain([(reference.as_str(), Face::Italic)]);
    let right = [
        (s.label("motto_1"), Face::Bold),
        (s.label("motto_2"), Face::Bold),
        (date.as_str(), Face::Italic),
    ];
    need_halves(ws, f, widest(left), widest(right));
    // A letter writes its subject in row 4 and has no title: row 5 is left to it.
    if !title.is_empty() {
        ws.merge_range(5, 0, 5, last_col, title, &st.title)?;
        f.set_height(ws, 5, 36.0)?;
    }
    Ok(HEADING_ROWS)
}

/// The signature block under the last table: the preparer left, the signer right, and the
/// recipients ("Nơi nhận") bottom left.
pub(crate) fn signatures(
    ws: &mut Worksheet,
    row: u32,
    last_col: u16,
    lh: &Letterhead,
    s: &Schemas,
) -> Result<()> {
    signatures_at(ws, row, halves(last_col), lh, s, true, &lh.recipients)
}

/// Ends an official sheet under its last table (ending before row `after_table`): notes, if
/// any, then the signatures.
pub(crate) fn closing(
    ws: &mut Worksheet,
    f: &Formats,
    after_table: u32,
    columns: usize,
    lines: &[String],
    lh: &Letterhead,
    s: &Schemas,
) -> Result<()> {
    let next = notes(ws, f, after_table + 1, columns, lines)?;
    let block_end = next + 1 + SIGNATURE_ROWS + lh.recipients.len().max(1) as u32;
    let last_col = columns.saturating_sub(1) as u16;
    let (left, right) = signature_needs(lh, s);
    need_halves(ws, f, left, right);
    // Before the pages are estimated: widening the columns prints the sheet smaller.
    fit_halves(ws, f, halves(last_col))?;
    keep_with_table(ws, f, after_table, block_end, columns)?;
    signatures(ws, next + 1, last_col, lh, s)
}

/// The widest of some lines of 12-point text, in points.
fn widest<'t>(lines: impl IntoIterator<Item = (&'t str, Face)>) -> f64 {
    lines
        .into_iter()
        .map(|(text, face)| widest_line_pt(text, 12.0, face))
        .fold(0.0, f64::max)
}

/// Records that the left and right halves of the sheet's letterhead or signatures need
/// `left` and `right` points.
fn need_halves(ws: &Worksheet, f: &Formats, left: f64, right: f64) {
    let mut needs = f.halves_need.borrow_mut();
    let need = needs.entry(ws.name()).or_insert((0.0, 0.0));
    *need = (need.0.max(left), need.1.max(right));
}

/// What the signature block's halves need: the preparer and "Nơi nhận" left, the signer
/// right.
fn signature_needs(lh: &Letterhead, s: &Schemas) -> (f64, f64) {
    let left = [
        (s.label("signer_left"), Face::Bold),
        (s.label("sign_hint_left"), Face::Italic),
        (s.label("recipients"), Face::Bold),
    ];
    // The recipients print at 11 points, as "- name".
    let recipients = lh
        .recipients
        .iter()
        .map(|r| widest_line_pt(&format!("- {r}"), 11.0, Face::Regular))
        .fold(0.0, f64::max);
    let right = [
        (lh.signer_title.as_str(), Face::Bold),
        (s.label("sign_hint_right"), Face::Italic),
        (lh.signer.as_deref().unwrap_or(""), Face::Bold),
    ];
    (widest(left).max(recipients), widest(right))
}

/// Widens the columns of each half of the letterhead (before `mid`, and from `mid` to
/// `last_col`) that is narrower than its widest line: on a narrow sheet the motto was cut
/// off at both ends. Columns past the table (none of its widths) take the extra room;
/// otherwise every column of the half takes an equal share.
fn fit_halves(ws: &mut Worksheet, f: &Formats, (mid, last_col): (u16, u16)) -> Result<()> {
    let (left, right) = f
        .halves_need
        .borrow()
        .get(&ws.name())
        .copied()
        .unwrap_or_default();
    widen_to(ws, f, 0..mid, left)?;
    widen_to(ws, f, mid..last_col + 1, right)
}

/// Widens `columns` so that together they print at least `need` points (and the margins).
fn widen_to(
    ws: &mut Worksheet,
    f: &Formats,
    columns: std::ops::Range<u16>,
    need: f64,
) -> Result<()> {
    let widths = f.widths_of(ws, columns);
    let pt = |w: Option<f64>| column_pt(w.unwrap_or(DEFAULT_COLUMN_WIDTH));
    let short = need + CELL_PADDING_PT - widths.iter().map(|(_, w)| pt(*w)).sum::<f64>();
    if need == 0.0 || short <= 0.0 {
        return Ok(());
    }
    let empty: Vec<_> = widths
        .iter()
        .filter(|(_, w)| w.is_none())
        .copied()
        .collect();
    let taking = if empty.is_empty() { widths } else { empty };
    let share = short / taking.len().max(1) as f64;
    for (col, width) in taking {
        let wider = column_width_for(pt(width) + share);
        // In quarters of a character, up: the room is never rounded away.
        f.preset_width(ws, col, (wider * 4.0).ceil() / 4.0)?;
    }
    Ok(())
}

/// Rows of the signature block above "Nơi nhận" (titles, room to sign, name, a blank).
const SIGNATURE_ROWS: u32 = 7;
/// Width and height of the body of an A4 landscape page inside its margins, in points (the
/// height as measured on LibreOffice's pages, less the footer).
const PAGE_WIDTH_PT: f64 = 769.9;
const PAGE_HEIGHT_PT: f64 = 505.0;
/// Table rows that go with the signatures to their page rather than leave them alone.
const ROWS_WITH_SIGNATURES: u32 = 3;

/// The page breaks of an official sheet, estimated from the heights set on the rows and the
/// fit-to-width scale of the columns: a page does not cut a group of schools badly
/// (`group_break`); and the notes and signatures never
/// start a page of their own under nothing but the repeated header: when the rows from
/// `after_table` to `block_end` would not all print on the table's last page, the page
/// breaks a few table rows earlier.
fn keep_with_table(
    ws: &mut Worksheet,
    f: &Formats,
    after_table: u32,
    block_end: u32,
    columns: usize,
) -> Result<()> {
    let width = f.width_pt(ws, (columns as u16).max(MIN_COLUMNS));
    let page = PAGE_HEIGHT_PT / (PAGE_WIDTH_PT / width).min(1.0);
    let repeated = f.height(ws, HEADING_ROWS);
    // The rows of the groups' names, in order.
    let name = ws.name();
    let mut labels: Vec<u32> = f
        .group_labels
        .borrow()
        .iter()
        .filter(|(sheet, _)| *sheet == name)
        .map(|&(_, row)| row)
        .collect();
    labels.sort_unstable();
    let is_label = |row: u32| labels.binary_search(&row).is_ok();
    let mut breaks = Vec::new();
    // The first row of the page being filled, and the height it has used.
    let (mut first, mut used) = (0, 0.0);
    let mut row = 0;
    while row <= block_end {
        let h = f.height(ws, row);
        if used > 0.0 && used + h > page {
            if row >= after_table {
                // Never before the table's second data row: the header keeps a row. A group's
                // name goes over with its schools.
                let mut at = after_table.saturating_sub(ROWS_WITH_SIGNATURES);
                while at > HEADING_ROWS + 2 && is_label(at - 1) {
                    at -= 1;
                }
                if at > HEADING_ROWS + 1 && at > first {
                    breaks.push(at);
                }
                break;
            }
            first = group_break(row, first, after_table, page - repeated, &labels, &|r| {
                f.height(ws, r)
            });
            if first < row {
                breaks.push(first);
            }
            // The page's first row is on it whatever its height.
            (used, row) = (repeated + f.height(ws, first), first + 1);
            continue;
        }
        used += h;
        row += 1;
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    Ok(())
}

/// Where a page that `row` would overflow breaks, given the group of schools `row` is in (a
/// name, its schools, a subtotal when it has two or more): a small group (a quarter of a
/// page so far) that fits on a page goes over whole; else its subtotal does not start a
/// page alone (its last school goes with it), nor does its name end one. `first` is the
/// page's first row, `room` the page's height under the repeated header, `labels` the rows
/// of the groups' names in order.
fn group_break(
    row: u32,
    first: u32,
    after_table: u32,
    room: f64,
    labels: &[u32],
    height: &dyn Fn(u32) -> f64,
) -> u32 {
    // The names at or above `row` (sorted), the last of them this row's group's.
    let above = labels.partition_point(|&l| l <= row);
    let Some(&label) = labels[..above].last() else {
        return row;
    };
    let end = labels
        .get(above)
        .copied()
        .filter(|&next| next < after_table)
        .unwrap_or(after_table);
    let rows = |a: u32, b: u32| (a..b).map(height).sum::<f64>();
    let on_page = label > first && label < row;
    if on_page && rows(label, end) <= room && rows(label, row) <= room / 4.0 {
        return label;
    }
    let mut at = row;
    if at + 1 == end && at > label + 1 && at - 1 > first {
        at -= 1;
    }
    if at == label + 1 && label > first {
        at = label;
    }
    at
}

/// `signatures` split at `mid`, with or without the preparer, to `recipients`.
pub(crate) fn signatures_at(
    ws: &mut Worksheet,
    row: u32,
    (mid, last_col): (u16, u16),
    lh: &Letterhead,
    s: &Schemas,
    with_preparer: bool,
    recipients: &[String],
) -> Result<()> {
    // Past Excel's last row (a table that filled the sheet), the block is left out.
    if row as u64 + 8 + recipients.len() as u64 >= super::xlsx::SHEET_ROWS as u64 {
        return Ok(());
    }
    let st = styles();
    // Row by row, left then right: a long sheet is written in low-memory mode, which drops a
    // cell written to a row above the last one written.
    let lines = [
        (
            s.label("signer_left"),
            &lh.signer_title as &str,
            &st.bold_center,
        ),
        (
            s.label("sign_hint_left"),
            s.label("sign_hint_right"),
            &st.italic_center,
        ),
    ];
    for (i, (left, right, style)) in lines.into_iter().enumerate() {
        let r = row + i as u32;
        if with_preparer {
            ws.merge_range(r, 0, r, mid - 1, left, style)?;
        }
        ws.merge_range(r, mid, r, last_col, right, style)?;
    }
    if let Some(name) = &lh.signer {
        ws.merge_range(row + 5, mid, row + 5, last_col, name, &st.bold_center)?;
    }
    // Nơi nhận, bottom left (Nghị định 30/2020); a dotted line to fill in when not given.
    let blank = [s.label("blank").to_string()];
    let recipients = if recipients.is_empty() {
        &blank[..]
    } else {
        recipients
    };
    let top = row + 7;
    ws.merge_range(top, 0, top, mid - 1, s.label("recipients"), &st.bold_left)?;
    for (i, r) in recipients.iter().enumerate() {
        let line = format!("- {r}");
        ws.merge_range(
            top + 1 + i as u32,
            0,
            top + 1 + i as u32,
            mid - 1,
            &line,
            &st.left,
        )?;
    }
    Ok(())
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
    school_year: &str,
    s: &Schemas,
    lh: &Letterhead,
) -> Result<u32> {
    let last_col = headers.len().saturating_sub(1) as u16;
    let top = heading(ws, f, last_col, title, school_year, lh, s)?;
    let next = write_table(ws, f, top - 2, "", headers, rows, bold)?;
    filter_and_freeze(ws, f, top - 2, headers, rows.len(), !bold.is_empty())?;
    a4_landscape(ws);
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of 10 pt; groups named at rows 10, 14 and 30 (the table ends before row 60);
    /// a page holds 100 pt under its header.
    fn group_break_at(row: u32, first: u32) -> u32 {
        let labels = [10, 14, 30];
        group_break(row, first, 60, 100.0, &labels, &|_| 10.0)
    }

    #[test]
    fn a_page_breaks_a_group_of_schools_well() {
        // Group 10–13 (name, two schools, subtotal): two rows of it on the page so far, a
        // quarter of the page or less: it goes over whole.
        assert_eq!(group_break_at(12, 0), 10);
        // Group 14–29 is longer than a page: cut, but its subtotal (row 29) takes its last
        // school with it, and its name (row 14) never ends a page alone.
        assert_eq!(group_break_at(29, 20), 28);
        assert_eq!(group_break_at(15, 5), 14);
        // Mid-group, among its schools: where the page ends.
        assert_eq!(group_break_at(22, 14), 22);
        // The group began a page already: nothing to move it to.
        assert_eq!(group_break_at(15, 14), 15);
        // Group 30–59 from its name: more than a quarter of the page on it, and too long.
        assert_eq!(group_break_at(40, 28), 40);
    }

    fn resolve(fields: &[(&str, &str)], title: &[&str]) -> Letterhead {
        let s = Schemas::load(None).unwrap();
        let fields = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let title: Vec<String> = title.iter().map(|t| t.to_string()).collect();
        Letterhead::resolve(&fields, &title, &s)
    }

    #[test]
    fn presets_of_a_province_a_commune_and_a_district() {
        let p = resolve(&[("level", "Tỉnh"), ("area", "Ninh Bình")], &[]);
        assert_eq!(p.issuer, ["UBND TỈNH NINH BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]);
        assert_eq!(
            (p.signer_title.as_str(), p.place.as_deref()),
            ("GIÁM ĐỐC", Some("Ninh Bình"))
        );
        let c = resolve(&[("area", "Xã Tân Lập"), ("signer", "Lê Văn An")], &[]);
        assert_eq!(c.issuer, ["UBND XÃ TÂN LẬP", "PHÒNG VĂN HÓA - XÃ HỘI"]);
        assert_eq!(
            (c.signer_title.as_str(), c.signer.as_deref()),
            ("TRƯỞNG PHÒNG", Some("Lê Văn An"))
        );
        let d = resolve(
            &[("area", "Huyện Yên Hòa"), ("reference", "15/BC-PGDĐT")],
            &[],
        );
        assert_eq!(
            d.issuer,
            ["UBND HUYỆN YÊN HÒA", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"]
        );
        assert_eq!(d.reference.as_deref(), Some("15/BC-PGDĐT"));
        assert!(p.complete && c.complete && d.complete);
    }

    #[test]
    fn nothing_given_leaves_blanks_never_a_made_up_body() {
        let n = resolve(&[], &["DANH MỤC TRƯỜNG HỌC NĂM HỌC 2024-2025"]);
        assert_eq!(
            n.issuer,
            [
                "................................",
                "................................"
            ]
        );
        assert_eq!(
            (n.signer_title.as_str(), n.place.as_deref()),
            ("THỦ TRƯỞNG ĐƠN VỊ", None)
        );
        assert!(!n.complete);
        // The registry's title rows that name a body are data, not made up.
        let t = resolve(&[], &["UBND huyện Yên Hòa", "Phòng GD&ĐT"]);
        assert_eq!(t.issuer, ["UBND HUYỆN YÊN HÒA", "PHÒNG GD&ĐT"]);
    }
}
