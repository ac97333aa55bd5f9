//! The xlsx kit every workbook bdtx writes is made with (rust_xlsxwriter): cell values,
//! formats, tables with their header and print setup, cutting at Excel's limits, a
//! reproducible workbook, labels from `schemas/report.toml`.

use super::text_width::{column_pt, column_width_for, text_pt, Face, CELL_PADDING_PT};
use crate::domain::schema::Schemas;
use anyhow::Result;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// A cell of a report table.
#[derive(Clone)]
pub enum Val {
    Text(String),
    Num(f64),
    Pct(Option<f64>),
}

pub(crate) fn num(n: u32) -> Val {
    Val::Num(n as f64)
}

/// Most UTF-16 units Excel holds in a cell.
const MAX_CELL_UNITS: usize = 32_767;

/// A text cell; text past Excel's limit (a 40,000-character "name") is cut and marked "…",
/// so one oversized value cannot stop the reports (summary.json and the CSV keep it whole).
pub(crate) fn txt(s: impl Into<String>) -> Val {
    let mut s = s.into();
    if s.len() > MAX_CELL_UNITS {
        let mut units = 0;
        let cut = s.char_indices().find(|(_, c)| {
            units += c.len_utf16();
            units > MAX_CELL_UNITS - 1
        });
        if let Some((at, _)) = cut {
            s.truncate(at);
            s.push('…');
        }
    }
    Val::Text(s)
}

/// The formats every report table uses.
pub struct Formats {
    title: Format,
    title_left: Format,
    header: Format,
    text: Format,
    num: Format,
    pct: Format,
    /// Numbers with a fraction (scores, averages): "#,##0" would print 6.5 as 7. One or two
    /// decimals, the same for the whole column.
    dec: [Format; 2],
    bold_dec: [Format; 2],
    /// The STT column: no thousands separator.
    plain: Format,
    pub(crate) bold_text: Format,
    bold_num: Format,
    bold_pct: Format,
    pub(crate) note: Format,
    /// A report's body text (12-point, justified).
    pub(crate) body: Format,
    /// Widths already given to each (sheet, column).
    widths: std::cell::RefCell<std::collections::HashMap<(String, u16), f64>>,
    /// Heights given to each (sheet, row), for estimating where pages break.
    heights: std::cell::RefCell<std::collections::HashMap<(String, u32), f64>>,
    /// Rows that name the group under them (a bold line without figures: "Xã Đông Phong"),
    /// by sheet: a page break set by bdtx never leaves one at the foot of a page.
    pub(crate) group_labels: std::cell::RefCell<std::collections::HashSet<(String, u32)>>,
    /// Points the widest line of each half of a sheet's letterhead needs (the issuing body
    /// left, the motto right), by sheet: `official::fit_halves` widens the columns to them.
    pub(crate) halves_need: std::cell::RefCell<std::collections::HashMap<String, (f64, f64)>>,
    /// Table sheets are written row by row (`table_sheet`).
    row_by_row: bool,
    /// Headers of the column that says whose line it is ("Tên trường", "Họ và tên", from
    /// report.toml): kept in view when scrolling right.
    name_headers: Vec<String>,
    /// The last line of a table cut at Excel's last row (report.toml `rows_left_out`).
    rows_left_out: String,
    /// The header of a table's sequence-number column (report.toml `col_no`): its numbers
    /// print without thousands separators.
    seq_header: String,
}

/// A workbook whose table sheets hold more rows than this in all writes them row by row
/// (rust_xlsxwriter's low-memory mode): a sheet held whole costs memory for every cell, but
/// is formatted a column at a time, which is faster.
const WHOLE_SHEETS_UP_TO_ROWS: usize = 20_000;

impl Formats {
    pub fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_font_name("Times New Roman")
            .set_font_size(12)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let bold = cell.clone().set_bold();
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_name("Times New Roman")
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            title_left: Format::new()
                .set_bold()
                .set_font_name("Times New Roman")
                .set_font_size(14),
            header: bold
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDEBF7)),
            text: cell.clone(),
            num: cell.clone().set_num_format("#,##0"),
            pct: cell.clone().set_num_format("0.00%"),
            dec: [
                cell.clone().set_num_format("#,##0.0"),
                cell.clone().set_num_format("#,##0.00"),
            ],
            bold_dec: [
                bold.clone().set_num_format("#,##0.0"),
                bold.clone().set_num_format("#,##0.00"),
            ],
            plain: cell.clone().set_num_format("0"),
            bold_text: bold.clone(),
            bold_num: bold.clone().set_num_format("#,##0"),
            bold_pct: bold.set_num_format("0.00%"),
            widths: Default::default(),
            heights: Default::default(),
            halves_need: Default::default(),
            group_labels: Default::default(),
            row_by_row: false,
            name_headers: Vec::new(),
            rows_left_out: String::new(),
            seq_header: String::new(),
            note: Format::new()
                .set_italic()
                .set_font_name("Times New Roman")
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            body: Format::new()
                .set_font_name("Times New Roman")
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::Justify)
                .set_align(FormatAlign::Top),
        }
    }

    /// The formats of a workbook whose table sheets hold `rows` rows in all. The bound can
    /// be lowered with BDTX_WHOLE_SHEETS_UP_TO_ROWS, for tests of the low-memory mode on a
    /// small district.
    pub fn for_rows(rows: usize) -> Formats {
        let bound = std::env::var("BDTX_WHOLE_SHEETS_UP_TO_ROWS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(WHOLE_SHEETS_UP_TO_ROWS);
        Formats {
            row_by_row: rows > bound,
            ..Formats::new()
        }
    }

    /// The formats of a small workbook written row by row all the same: rust_xlsxwriter
    /// assembles each sheet held whole on a thread of its own when saving, which is much of
    /// the cost of a one-page letter.
    pub fn row_by_row() -> Formats {
        Formats {
            row_by_row: true,
            ..Formats::new()
        }
    }

    /// These formats, freezing the columns up to the school's or person's name as
    /// report.toml names them, telling its sequence-number column by its header, and with
    /// its wording of a table cut at Excel's last row.
    pub fn naming(mut self, s: &crate::domain::schema::Schemas) -> Formats {
        self.name_headers = vec![s.label("col_school").into(), s.label("col_name").into()];
        self.rows_left_out = s.label("rows_left_out").into();
        self.seq_header = s.label("col_no").into();
        self
    }

    /// A new sheet for tables, held whole or written row by row as `for_rows` decided.
    pub fn table_sheet<'w>(&self, wb: &'w mut Workbook) -> Result<&'w mut Worksheet> {
        Ok(if self.row_by_row {
            wb.add_worksheet_with_low_memory()?
        } else {
            wb.add_worksheet()
        })
    }
}

/// Width of a column nobody set, in Excel's unit.
pub(crate) const DEFAULT_COLUMN_WIDTH: f64 = 8.43;

/// Height of a row nobody set, in points (Times New Roman 12 as LibreOffice lays it out).
pub(crate) const DEFAULT_ROW_HEIGHT: f64 = 15.0;

impl Formats {
    /// Sets a row's height and remembers it for `printed_height`.
    pub(crate) fn set_height(&self, ws: &mut Worksheet, row: u32, height: f64) -> Result<()> {
        ws.set_row_height(row, height)?;
        self.heights.borrow_mut().insert((ws.name(), row), height);
        Ok(())
    }

    /// Sets column `col` to `width` before a table is written under text that wraps across
    /// it (a report's body), so the text is measured against the table's widths.
    pub(crate) fn preset_width(&self, ws: &mut Worksheet, col: u16, width: f64) -> Result<()> {
        ws.set_column_width(col, width)?;
        self.widths.borrow_mut().insert((ws.name(), col), width);
        Ok(())
    }

    /// The height of `row`, in points.
    pub(crate) fn height(&self, ws: &Worksheet, row: u32) -> f64 {
        let heights = self.heights.borrow();
        heights
            .get(&(ws.name(), row))
            .copied()
            .unwrap_or(DEFAULT_ROW_HEIGHT)
    }

    /// The width of the first `columns` columns, in points.
    pub(crate) fn width_pt(&self, ws: &Worksheet, columns: u16) -> f64 {
        self.widths_of(ws, 0..columns)
            .into_iter()
            .map(|(_, w)| column_pt(w.unwrap_or(DEFAULT_COLUMN_WIDTH)))
            .sum()
    }

    /// The widths given to `columns` of the sheet (None: left at the default).
    pub(crate) fn widths_of(
        &self,
        ws: &Worksheet,
        columns: std::ops::Range<u16>,
    ) -> Vec<(u16, Option<f64>)> {
        let (widths, name) = (self.widths.borrow(), ws.name());
        columns
            .map(|c| (c, widths.get(&(name.clone(), c)).copied()))
            .collect()
    }
}

impl Default for Formats {
    fn default() -> Self {
        Self::new()
    }
}

/// Lines of text a table's header row holds.
const HEADER_LINES: usize = 4;

/// Rows of an Excel worksheet.
pub(crate) const SHEET_ROWS: u32 = 1_048_576;

/// Writes a titled table at `top`; rows listed in `bold_rows` are totals. Returns the next free row.
///
/// A table that would run past Excel's last row is cut there, its last row saying how many
/// rows are left out and where they are (summary.json, du_lieu/): a province's list of a
/// million rows cannot stop the reports. A table that would start past the last row is left
/// out for the same reason.
pub fn write_table(
    ws: &mut Worksheet,
    f: &Formats,
    top: u32,
    title: &str,
    headers: &[&str],
    rows: &[Vec<Val>],
    bold_rows: &[usize],
) -> Result<u32> {
    write_table_with(ws, f, top, title, headers, rows, bold_rows, &[])
}

/// A row of a table written as one bold line merged across its first columns (a letter's
/// line naming a file, over the problems of that file): its index among the rows, its text
/// and the last column merged. Written with the row, so a sheet written row by row can hold
/// it.
pub(crate) struct MergedRow<'a> {
    pub row: usize,
    pub text: &'a str,
    pub last_col: u16,
    pub height: f64,
}

/// `write_table`, with some rows written as `merged` lines.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_table_with(
    ws: &mut Worksheet,
    f: &Formats,
    top: u32,
    title: &str,
    headers: &[&str],
    rows: &[Vec<Val>],
    bold_rows: &[usize],
    merged: &[MergedRow],
) -> Result<u32> {
    // Rows left below the title, a blank row and the header row.
    let room = SHEET_ROWS.saturating_sub(top.saturating_add(3)) as usize;
    if room == 0 {
        return Ok(top);
    }
    if rows.len() > room {
        // The last row that fits says what did not.
        let mut kept = rows[..room - 1].to_vec();
        let left = (rows.len() - (room - 1)).to_string();
        let note = match f.rows_left_out.as_str() {
            "" => format!("… {left}"),
            text => crate::domain::text::fill(
                text,
                &[("rows", &left), ("limit", &SHEET_ROWS.to_string())],
            ),
        };
        kept.push(vec![txt(note)]);
        return write_table_with(ws, f, top, title, headers, &kept, bold_rows, merged);
    }
    let header_row = top + 2;
    // Several tables may share a sheet: a column keeps the widest width any of them needs.
    let widths: Vec<f64> = {
        let mut seen = f.widths.borrow_mut();
        column_widths(headers, rows)
            .into_iter()
            .enumerate()
            .map(|(c, w)| {
                let slot = seen.entry((ws.name(), c as u16)).or_insert(0.0);
                *slot = slot.max(w);
                *slot
            })
            .collect()
    };
    // A title wider than a narrow table is written left-aligned in its first cell, running
    // on to the right: merged over the table it would be cut off at both ends.
    let last_col = headers.len().saturating_sub(1) as u16;
    let fits = widths.iter().sum::<f64>() >= 1.3 * title.chars().count() as f64;
    if title.is_empty() {
        // The caller wrote its own heading.
    } else if last_col > 0 && fits {
        ws.merge_range(top, 0, top, last_col, title, &f.title)?;
    } else {
        ws.write_string_with_format(top, 0, title, &f.title_left)?;
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, widths[c])?;
    }
    // Before the data: a sheet written row by row writes each row out once the next starts.
    f.set_height(ws, header_row, 16.0 * HEADER_LINES as f64)?;
    let mut runs = FormatRuns::new(!f.row_by_row);
    // One number format a column: as many decimals as its most precise value needs (at most
    // two), so a column of scores does not mix "8", "8.3" and "7.82".
    let decimals_of = column_decimals(headers.len(), rows);
    let seq_column = headers
        .iter()
        .position(|h| !f.seq_header.is_empty() && *h == f.seq_header)
        .unwrap_or(usize::MAX);
    for (i, row) in rows.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        let bold = bold_rows.contains(&i);
        let (text, number, decimals, pct) = if bold {
            (&f.bold_text, &f.bold_num, &f.bold_dec, &f.bold_pct)
        } else {
            (&f.text, &f.num, &f.dec, &f.pct)
        };
        let figures = row.iter().any(|v| matches!(v, Val::Num(_) | Val::Pct(_)));
        if bold && !figures {
            f.group_labels.borrow_mut().insert((ws.name(), r));
        }
        let mut lines = 1;
        let line = merged.iter().find(|m| m.row == i);
        if let Some(m) = line {
            ws.merge_range(r, 0, r, m.last_col, m.text, text)?;
            ws.set_row_height(r, m.height)?;
        }
        let merged_to = line.map_or(-1, |m| i32::from(m.last_col));
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            if i32::from(c16) <= merged_to {
                continue;
            }
            match v {
                Val::Text(s) => {
                    ws.write_string(r, c16, s)?;
                    runs.add(r, c16, text);
                    let face = if bold { Face::Bold } else { Face::Regular };
                    lines = lines.max(wrapped_lines(s, widths[c], face));
                }
                Val::Num(n) => {
                    ws.write_number(r, c16, *n)?;
                    let format = match (decimals_of[c], c == seq_column) {
                        (_, true) => &f.plain,
                        (0, _) => number,
                        (d, _) => &decimals[d.min(2) - 1],
                    };
                    runs.add(r, c16, format);
                }
                Val::Pct(Some(p)) => {
                    ws.write_number(r, c16, *p)?;
                    runs.add(r, c16, pct);
                }
                // Formatting a missing cell writes it as a formatted blank.
                Val::Pct(None) => runs.add(r, c16, pct),
            }
        }
        if f.row_by_row {
            runs.apply(ws)?;
        }
        // Spreadsheet programs do not all grow rows for wrapped text on their own.
        if lines > 1 {
            f.set_height(ws, r, 15.0 * lines as f64)?;
        }
    }
    runs.apply(ws)?;
    Ok(header_row + 1 + rows.len() as u32)
}

/// The decimals each column's numbers need: 0, 1 or 2.
fn column_decimals(columns: usize, rows: &[Vec<Val>]) -> Vec<usize> {
    let mut out = vec![0; columns];
    for row in rows {
        for (c, v) in row.iter().enumerate().take(columns) {
            if let Val::Num(n) = v {
                let needs = (0..2)
                    .find(|&d| {
                        let x = n * 10f64.powi(d);
                        (x - x.round()).abs() < 1e-6
                    })
                    .unwrap_or(2) as usize;
                out[c] = out[c].max(needs);
            }
        }
    }
    out
}

/// Lines of text under a table (notes, a legend, counts), each merged across the table's
/// `columns` and wrapped, so they print within the page the table sets instead of running
/// past its right edge. Returns the next free row.
pub(crate) fn notes(
    ws: &mut Worksheet,
    f: &Formats,
    top: u32,
    columns: usize,
    lines: &[String],
) -> Result<u32> {
    paragraphs(ws, f, top, columns, lines, &f.note)
}

/// Lines of text merged across `columns` and wrapped, in `format` (a report's body, notes).
pub(crate) fn paragraphs(
    ws: &mut Worksheet,
    f: &Formats,
    top: u32,
    columns: usize,
    lines: &[String],
    format: &Format,
) -> Result<u32> {
    let last_col = columns.saturating_sub(1) as u16;
    // The merged cells as one column of their printed width.
    let width = column_width_for(f.width_pt(ws, last_col + 1));
    let mut r = top;
    for line in lines {
        // Past Excel's last row (a table that filled the sheet): the lines are left out.
        if r >= SHEET_ROWS {
            break;
        }
        let rows = wrapped_lines(line, width, Face::Regular) as f64;
        if last_col > 0 {
            ws.merge_range(r, 0, r, last_col, line, format)?;
        } else {
            ws.write_string_with_format(r, 0, line, format)?;
        }
        f.set_height(ws, r, 15.0 * rows)?;
        r += 1;
    }
    Ok(r)
}

/// The lines `text` takes in a column `width` wide (Excel's unit), printed in 12-point
/// `face`, wrapped at spaces as a spreadsheet program wraps it: words measured as printed
/// (`text_width`), a word wider than the column broken across lines.
fn wrapped_lines(text: &str, width: f64, face: Face) -> usize {
    text.split('\n')
        .map(|line| wrapped_line(line, width, face))
        .sum()
}

/// `wrapped_lines` of a text without line breaks.
fn wrapped_line(text: &str, width: f64, face: Face) -> usize {
    let room = (column_pt(width) - CELL_PADDING_PT).max(1.0);
    // Most cells hold one line: measured whole, without splitting it into words.
    if text_pt(text, 12.0, face) <= room {
        return 1;
    }
    let space = text_pt(" ", 12.0, face);
    let mut lines = 1;
    let mut used = 0.0;
    for word in text.split(' ') {
        let w = text_pt(word, 12.0, face);
        if used > 0.0 && used + space + w > room {
            lines += 1;
            used = 0.0;
        }
        let start = if used > 0.0 { used + space } else { 0.0 };
        // A word wider than the line is broken across lines.
        let broken = ((start + w) / room).ceil().max(1.0) as usize - 1;
        lines += broken;
        used = start + w - broken as f64 * room;
    }
    lines
}

/// The formats of table cells, applied after their values as runs of neighbouring cells
/// that share one. rust_xlsxwriter hashes the whole `Format` each time one is used:
/// formatting a run at once (`set_range_format`) hashes it once per run. A column of a table
/// is mostly one run, where a row alternates between numbers and shares; a sheet written row
/// by row can only take runs along each row.
pub(crate) struct FormatRuns<'f> {
    /// (column, row, format) cells.
    cells: Vec<(u16, u32, &'f Format)>,
    by_column: bool,
}

impl<'f> FormatRuns<'f> {
    /// Runs down columns when `by_column`, else along rows.
    pub(crate) fn new(by_column: bool) -> FormatRuns<'f> {
        FormatRuns {
            cells: Vec::new(),
            by_column,
        }
    }

    pub(crate) fn add(&mut self, row: u32, col: u16, format: &'f Format) {
        self.cells.push((col, row, format));
    }

    /// Formats every cell added so far.
    pub(crate) fn apply(&mut self, ws: &mut Worksheet) -> Result<()> {
        for (row, col, last_row, last_col, format) in self.take_ranges() {
            ws.set_range_format(row, col, last_row, last_col, format)?;
        }
        Ok(())
    }

    /// The runs of the cells added so far, as (first row, first column, last row, last
    /// column, format), and forgets the cells.
    fn take_ranges(&mut self) -> Vec<(u32, u16, u32, u16, &'f Format)> {
        // (line, position along it): a run is a stretch of one line.
        let by_column = self.by_column;
        let key = |&(col, row, _): &(u16, u32, &Format)| {
            if by_column {
                (col as u32, row)
            } else {
                (row, col as u32)
            }
        };
        // Cells added along rows (a sheet written row by row) are in order already.
        if !self.cells.is_sorted_by_key(key) {
            self.cells.sort_by_key(key);
        }
        let mut ranges = Vec::new();
        let mut cells = self.cells.drain(..).peekable();
        while let Some(first) = cells.next() {
            let (line, start) = key(&first);
            let mut end = start;
            while let Some(next) = cells.peek() {
                if key(next) != (line, end + 1) || !std::ptr::eq(next.2, first.2) {
                    break;
                }
                end += 1;
                cells.next();
            }
            let (col, row) = (first.0, first.1);
            ranges.push(if by_column {
                (row, col, end, col, first.2)
            } else {
                (row, col, row, end as u16, first.2)
            });
        }
        ranges
    }
}

/// Widest a table column grows: longer text wraps. At 40 a school's name stays on one line
/// and the widest sheets still print on A4 at a readable scale.
const MAX_COLUMN_WIDTH: f64 = 40.0;

/// Column widths from the longest text in each column, capped so long messages wrap: as wide
/// as its longest line prints (`text_width`), so that a code in capitals ("GVTHCS07") is not
/// broken across lines nor a school's name wrapped onto a line its row has no room for; at
/// least its count of characters and two.
pub(crate) fn column_widths(headers: &[&str], rows: &[Vec<Val>]) -> Vec<f64> {
    let mut chars: Vec<usize> = headers.iter().map(|h| header_width(h)).collect();
    let mut line_pt = vec![0.0_f64; headers.len()];
    for row in rows {
        for (c, v) in row.iter().enumerate().take(headers.len()) {
            if let Val::Text(s) = v {
                // A cell's lines are set by its line breaks: its longest line counts.
                for line in s.split('\n') {
                    chars[c] = chars[c].max(line.chars().count());
                    line_pt[c] = line_pt[c].max(text_pt(line, 12.0, Face::Regular));
                }
            }
        }
    }
    chars
        .iter()
        .zip(line_pt)
        .map(|(&n, line)| {
            let printed = column_width_for(line + CELL_PADDING_PT);
            (n as f64 + 2.0).max(printed).clamp(6.0, MAX_COLUMN_WIDTH)
        })
        .collect()
}

/// The width a header needs in the four lines its row holds (`HEADER_LINES`): the narrowest
/// at which its words wrap into them (measured as regular text, which LibreOffice's wider
/// columns hold in bold), at least its longest word, at most 16 (`column_widths` adds a
/// little room). Headers sized to one line made a 19-column summary too wide to print at a
/// readable size.
fn header_width(header: &str) -> usize {
    let longest_word = header
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    let fits = |w: usize| wrapped_lines(header, w as f64 + 2.0, Face::Regular) <= HEADER_LINES;
    (longest_word..16).find(|&w| fits(w)).unwrap_or(16)
}

/// What a sheet of one table prints: its title, header, rows (those in `bold` are totals or
/// group names) and the notes under it. Built by the report modules, framed by the workbook
/// that holds it (a plain sheet, an annex of the signed report, the office's working book).
#[derive(Clone, Default)]
pub(crate) struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Val>>,
    pub bold: Vec<usize>,
    pub notes: Vec<String>,
}

impl Table {
    pub(crate) fn new(title: String, headers: Vec<String>, rows: Vec<Vec<Val>>) -> Table {
        Table {
            title,
            headers,
            rows,
            ..Table::default()
        }
    }

    fn header_refs(&self) -> Vec<&str> {
        self.headers.iter().map(String::as_str).collect()
    }

    /// Writes the table at `top` (its title there, unless empty), then its notes, with the
    /// header frozen and filtered and repeated on every printed page.
    pub(crate) fn write_at(&self, ws: &mut Worksheet, f: &Formats, top: u32) -> Result<u32> {
        let headers = self.header_refs();
        let next = write_table(ws, f, top, &self.title, &headers, &self.rows, &self.bold)?;
        let end = notes(ws, f, next + 1, headers.len(), &self.notes)?;
        filter_and_freeze(ws, f, top, &headers, self.rows.len(), !self.bold.is_empty())?;
        Ok(end)
    }
}

/// A sheet that is one table: titled at the top, `lines` of notes under it, header frozen and
/// filtered, printed on A4 landscape with the header on every page.
pub(crate) fn write_table_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    title: &str,
    headers: &[&str],
    rows: &[Vec<Val>],
    bold_rows: &[usize],
    lines: &[String],
) -> Result<()> {
    let next = write_table(ws, f, 0, title, headers, rows, bold_rows)?;
    notes(ws, f, next + 1, headers.len(), lines)?;
    filter_and_freeze(ws, f, 0, headers, rows.len(), !bold_rows.is_empty())
}

/// Freezes the header and the columns up to the school's (or person's) name, puts an
/// autofilter on a list written by `write_table` at `top` (not on a table with total or
/// group lines, which a filter would sort in among the schools), and sets the page up for
/// printing: A4 landscape, one page wide, header repeated on every page.
pub(crate) fn filter_and_freeze(
    ws: &mut Worksheet,
    f: &Formats,
    top: u32,
    headers: &[&str],
    rows: usize,
    with_totals: bool,
) -> Result<()> {
    let header_row = top + 2;
    let names = headers
        .iter()
        .position(|h| f.name_headers.iter().any(|n| n == h))
        .map_or(0, |c| c as u16 + 1);
    ws.set_freeze_panes(header_row + 1, names)?;
    if !with_totals {
        // A table cut at Excel's last row filters down to it.
        let last = (header_row as u64 + rows.max(1) as u64).min(SHEET_ROWS as u64 - 1) as u32;
        ws.autofilter(header_row, 0, last, headers.len().saturating_sub(1) as u16)?;
    }
    ws.set_repeat_rows(header_row, header_row)?;
    a4_landscape(ws);
    Ok(())
}

/// A4 landscape, one page wide, narrow margins, page numbers in the footer.
pub(crate) fn a4_landscape(ws: &mut Worksheet) {
    a4_portrait(ws);
    ws.set_landscape();
}

/// A4 portrait (a letter), one page wide, narrow margins, page numbers in the footer.
pub(crate) fn a4_portrait(ws: &mut Worksheet) {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C&P / &N");
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
}

/// A workbook with a creation date fixed by the school year, so output is reproducible.
pub fn new_workbook(school_year: &str) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let year: u16 = school_year
        .rsplit('-')
        .next()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or(2025);
    let when = ExcelDateTime::from_ymd(year, 6, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    // Compressing is much of the saving time: level 2 saves in about half the time of the
    // default for files about a tenth larger.
    wb.set_zip_compression_level(1);
    Ok(wb)
}

pub(crate) fn labels<'a>(s: &'a Schemas, keys: &[&'a str]) -> Vec<&'a str> {
    keys.iter().map(|k| s.label(k)).collect()
}

/// `labels` as owned strings, for headers that get more columns added.
pub(crate) fn owned_labels(s: &Schemas, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| s.label(k).to_string()).collect()
}

pub(crate) fn titled(s: &Schemas, key: &str, year: &str) -> String {
    s.label(key).replace("{year}", year)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of a 3×3 table: numbers in column 0, shares in column 1 but for one, text in
    /// column 2; `true` marks a run formatted as shares.
    fn runs_of_table(by_column: bool) -> Vec<(u32, u16, u32, u16, bool)> {
        let (num, pct) = (Format::new(), Format::new().set_num_format("0.00%"));
        let mut runs = FormatRuns::new(by_column);
        for row in 5..8 {
            runs.add(row, 0, &num);
            runs.add(row, 1, if row == 6 { &num } else { &pct });
            runs.add(row, 2, &num);
        }
        let ranges = runs
            .take_ranges()
            .into_iter()
            .map(|(r, c, lr, lc, f)| (r, c, lr, lc, std::ptr::eq(f, &pct)))
            .collect();
        assert!(runs.take_ranges().is_empty());
        ranges
    }

    /// A table longer than a worksheet is cut at its last row with a note, not an error.
    #[test]
    fn a_table_past_the_last_row_is_cut_with_a_note() {
        let f = Formats::for_rows(2_000_000);
        let mut wb = Workbook::new();
        let ws = f.table_sheet(&mut wb).unwrap();
        let rows: Vec<Vec<Val>> = (0..SHEET_ROWS + 10).map(|i| vec![num(i)]).collect();
        let next = write_table(ws, &f, 0, "", &["STT"], &rows, &[]).unwrap();
        assert_eq!(next, SHEET_ROWS);
        // The next table has no room left: left out, not an error.
        assert_eq!(
            write_table(ws, &f, next, "", &["STT"], &rows[..2], &[]).unwrap(),
            next
        );
        // Notes under it have no room either: left out, not an error; the filter stops at
        // the last row.
        let lines = ["Note".to_string()];
        assert_eq!(notes(ws, &f, next + 1, 1, &lines).unwrap(), next + 1);
        filter_and_freeze(ws, &f, 0, &["STT"], rows.len(), false).unwrap();
    }

    #[test]
    fn wrapped_lines_count_words_that_fit() {
        // A 9-wide column prints 51 points: 45 for text, about eight small letters.
        assert_eq!(wrapped_lines("Lê An", 9.0, Face::Regular), 1);
        assert_eq!(wrapped_lines("Nguyễn Thị Hoa", 9.0, Face::Regular), 2);
        assert_eq!(
            wrapped_lines("abcdefghij abcdefghij abc", 9.0, Face::Regular),
            4
        );
        assert_eq!(wrapped_lines(&"x".repeat(21), 9.0, Face::Regular), 3);
        assert_eq!(wrapped_lines("", 9.0, Face::Regular), 1);
        // A line break starts a line.
        assert_eq!(wrapped_lines("Lê An\nLê An", 9.0, Face::Regular), 2);
        // Capitals are wider: eight of them take two lines where eight small letters take one.
        assert_eq!(wrapped_lines("GVTHCS07", 9.0, Face::Regular), 2);
        assert_eq!(wrapped_lines("gvthcs07", 9.0, Face::Regular), 1);
    }

    /// A column of module codes is as wide as a code prints (60 points in LibreOffice): it
    /// was 10 wide (by eight characters and two of room), 56 points, and broke "GVTHCS0/7".
    #[test]
    fn a_column_of_codes_holds_its_widest_code() {
        let rows = vec![vec![txt("GVTHCS07")], vec![txt("GV 1")]];
        let widths = column_widths(&["Code"], &rows);
        assert!(column_pt(widths[0]) >= 60.0 + CELL_PADDING_PT, "{widths:?}");
        assert_eq!(wrapped_lines("GVTHCS07", widths[0], Face::Regular), 1);
        // Small letters keep the width their count gives.
        assert_eq!(column_widths(&["Code"], &[vec![txt("abcdefgh")]]), [10.0]);
    }

    #[test]
    fn text_past_excels_limit_is_cut_and_marked() {
        let units = |v: Val| match v {
            Val::Text(t) => (t.encode_utf16().count(), t.ends_with('…')),
            _ => (0, false),
        };
        assert_eq!(units(txt("a".repeat(40_000))), (32_767, true));
        assert_eq!(units(txt("😀".repeat(20_000))), (32_767, true));
        assert_eq!(units(txt("Lê An")), (5, false));
    }

    #[test]
    fn format_runs_go_down_columns_or_along_rows() {
        assert_eq!(
            runs_of_table(true),
            [
                (5, 0, 7, 0, false),
                (5, 1, 5, 1, true),
                (6, 1, 6, 1, false),
                (7, 1, 7, 1, true),
                (5, 2, 7, 2, false)
            ]
        );
        assert_eq!(
            runs_of_table(false),
            [
                (5, 0, 5, 0, false),
                (5, 1, 5, 1, true),
                (5, 2, 5, 2, false),
                (6, 0, 6, 2, false),
                (7, 0, 7, 0, false),
                (7, 1, 7, 1, true),
                (7, 2, 7, 2, false)
            ]
        );
    }
}
