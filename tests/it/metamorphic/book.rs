//! An in-memory school workbook for the metamorphic tests: cells, merges, hidden sheets and
//! what each staff or BDTX table holds (where its header and data rows are, which column
//! is which), so that transformations compose. Read from the committed sample with
//! calamine; written as .xlsx (rust_xlsxwriter) or .ods (by hand: a zip of XML).

use bdtx::domain::text::fold;
use calamine::{open_workbook, Data, Reader, SheetVisible, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Write;
use std::path::Path;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
    /// A real date cell (a serial number with a date format), shown as dd/mm/yyyy.
    Date(chrono::NaiveDate),
}

impl Cell {
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) if !t.trim().is_empty() => Some(t),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            Cell::Num(_) | Cell::Date(_) => false,
        }
    }
}

/// A merged range, inclusive: (first row, first column, last row, last column).
pub type Merge = (usize, usize, usize, usize);

/// Which table a sheet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Staff,
    Training,
}

/// What a sheet's table is: maintained by every transformation.
#[derive(Clone, Debug)]
pub struct Table {
    pub kind: Kind,
    /// First header row and how many header rows (1 or 2).
    pub top: usize,
    pub header_rows: usize,
    /// First column; the table is `keys.len()` columns wide.
    pub left: usize,
    /// What each column holds: "seq", "name", "birth", "gender", "female_mark", "role",
    /// "score", "party", … ("other" for columns no transformation needs).
    pub keys: Vec<&'static str>,
    /// One past the last data row (rows `top + header_rows .. end`).
    pub end: usize,
}

impl Table {
    pub fn first_data(&self) -> usize {
        self.top + self.header_rows
    }

    pub fn data_rows(&self) -> std::ops::Range<usize> {
        self.first_data()..self.end
    }

    /// Worksheet column of the first column holding `key`.
    pub fn col(&self, key: &str) -> Option<usize> {
        self.keys
            .iter()
            .position(|k| *k == key)
            .map(|i| self.left + i)
    }

    pub fn width(&self) -> usize {
        self.keys.len()
    }
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    pub table: Option<Table>,
}

impl Sheet {
    pub fn new(name: &str, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            name: name.into(),
            hidden: false,
            rows,
            merges: Vec::new(),
            table: None,
        }
    }

    pub fn get(&self, r: usize, c: usize) -> &Cell {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&Cell::Empty)
    }

    pub fn set(&mut self, r: usize, c: usize, v: Cell) {
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = v;
    }

    pub fn take(&mut self, r: usize, c: usize) -> Cell {
        match self.rows.get_mut(r).and_then(|row| row.get_mut(c)) {
            Some(cell) => std::mem::replace(cell, Cell::Empty),
            None => Cell::Empty,
        }
    }

    pub fn row_is_empty(&self, r: usize) -> bool {
        self.rows
            .get(r)
            .is_none_or(|row| row.iter().all(Cell::is_empty))
    }

    /// Inserts `n` blank rows before row `at`, moving merges and the table.
    pub fn insert_rows(&mut self, at: usize, n: usize) {
        if at <= self.rows.len() {
            for _ in 0..n {
                self.rows.insert(at, Vec::new());
            }
        }
        for m in &mut self.merges {
            if m.0 >= at {
                m.0 += n;
                m.2 += n;
            } else if m.2 >= at {
                m.2 += n;
            }
        }
        if let Some(t) = &mut self.table {
            if t.top >= at {
                t.top += n;
            }
            if t.end >= at && t.end > t.top {
                t.end += n;
            }
        }
    }

    /// Inserts `n` blank columns before column `at` in every row.
    pub fn insert_cols(&mut self, at: usize, n: usize) {
        for row in &mut self.rows {
            if at <= row.len() {
                for _ in 0..n {
                    row.insert(at, Cell::Empty);
                }
            }
        }
        for m in &mut self.merges {
            if m.1 >= at {
                m.1 += n;
                m.3 += n;
            } else if m.3 >= at {
                m.3 += n;
            }
        }
        if let Some(t) = &mut self.table {
            if t.left >= at {
                t.left += n;
            }
        }
    }

    /// Removes column `c` from row `from` down (the title rows above keep their cells),
    /// moving merges and the table.
    pub fn remove_col(&mut self, c: usize, from: usize) {
        for row in self.rows.iter_mut().skip(from) {
            if c < row.len() {
                row.remove(c);
            }
        }
        self.merges
            .retain(|m| m.0 < from || !(m.1 == c && m.3 == c));
        for m in self.merges.iter_mut().filter(|m| m.0 >= from) {
            if m.1 > c {
                m.1 -= 1;
            }
            if m.3 >= c && m.3 > 0 {
                m.3 -= 1;
            }
        }
        if let Some(t) = &mut self.table {
            if c < t.left {
                t.left -= 1;
            } else if c < t.left + t.keys.len() {
                t.keys.remove(c - t.left);
            }
        }
    }

    /// Whether `(r, c)` lies in a merged range (its first cell included).
    pub fn merged(&self, r: usize, c: usize) -> bool {
        self.merges
            .iter()
            .any(|m| (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c))
    }

    /// Drops the merges that start on row `r`.
    pub fn unmerge_row(&mut self, r: usize) {
        self.merges.retain(|m| m.0 != r);
    }

    /// Every text cell, mutably (tab name not included).
    pub fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        self.rows.iter_mut().flatten().filter_map(|c| match c {
            Cell::Text(t) => Some(t),
            _ => None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Book {
    /// Path relative to the input folder; its extension picks the format written.
    pub path: String,
    pub sheets: Vec<Sheet>,
}

impl Book {
    pub fn read(dir: &Path, rel: &str) -> Book {
        let mut wb: Xlsx<_> = open_workbook(dir.join(rel)).expect("sample workbook");
        let meta = wb.sheets_metadata().to_vec();
        let mut sheets = Vec::new();
        for m in meta {
            let range = wb.worksheet_range(&m.name).expect("sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(|d| match d {
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Num(*f),
                    Data::Int(i) => Cell::Num(*i as f64),
                    Data::Empty => Cell::Empty,
                    other => Cell::Text(other.to_string()),
                }));
                rows.push(cells);
            }
            let merges = wb
                .merge_cells_by_sheet_name(&m.name)
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    let (a, b) = (d.start, d.end);
                    (a.0 as usize, a.1 as usize, b.0 as usize, b.1 as usize)
                })
                .collect();
            let mut sheet = Sheet {
                name: m.name.clone(),
                hidden: m.visible != SheetVisible::Visible,
                rows,
                merges,
                table: None,
            };
            sheet.table = find_table(&sheet);
            sheets.push(sheet);
        }
        Book {
            path: rel.to_string(),
            sheets,
        }
    }

    pub fn table_sheets(&self, kind: Kind) -> impl Iterator<Item = usize> + '_ {
        (0..self.sheets.len()).filter(move |&i| {
            self.sheets[i]
                .table
                .as_ref()
                .is_some_and(|t| t.kind == kind)
        })
    }

    pub fn has(&self, kind: Kind) -> bool {
        self.table_sheets(kind).next().is_some()
    }

    /// A tab name not yet used in the book, from `wanted`.
    pub fn free_name(&self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while self
            .sheets
            .iter()
            .any(|s| s.name.to_lowercase() == name.to_lowercase())
        {
            name = format!("{wanted} ({n})");
            n += 1;
        }
        name
    }

    pub fn write(&self, dir: &Path) {
        let path = dir.join(&self.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if self.path.ends_with(".ods") {
            std::fs::write(&path, self.ods()).unwrap();
        } else {
            self.xlsx(&path);
        }
    }

    fn xlsx(&self, path: &Path) {
        let mut wb = Workbook::new();
        let plain = Format::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let first_visible = self.sheets.iter().position(|s| !s.hidden).unwrap_or(0);
        for (i, sheet) in self.sheets.iter().enumerate() {
            let ws = wb.add_worksheet();
            ws.set_name(&sheet.name).unwrap();
            if i == first_visible {
                ws.set_active(true);
            } else if sheet.hidden {
                ws.set_hidden(true);
            }
            let covered = |r: usize, c: usize| {
                sheet.merges.iter().any(|m| {
                    (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c) && (r, c) != (m.0, m.1)
                })
            };
            for (r, row) in sheet.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    if covered(r, c) || sheet.merges.iter().any(|m| (m.0, m.1) == (r, c)) {
                        continue;
                    }
                    match cell {
                        Cell::Text(t) => {
                            ws.write_string(r as u32, c as u16, t).unwrap();
                        }
                        Cell::Num(n) => {
                            ws.write_number(r as u32, c as u16, *n).unwrap();
                        }
                        Cell::Date(d) => {
                            ws.write_datetime_with_format(r as u32, c as u16, xlsx_date(*d), &date)
                                .unwrap();
                        }
                        Cell::Empty => {}
                    }
                }
            }
            for m in &sheet.merges {
                let (r, c) = (m.0 as u32, m.1 as u16);
                ws.merge_range(r, c, m.2 as u32, m.3 as u16, "", &plain)
                    .unwrap();
                match sheet.get(m.0, m.1) {
                    Cell::Text(t) => ws.write_string_with_format(r, c, t, &plain).map(|_| ()),
                    Cell::Num(n) => ws.write_number_with_format(r, c, *n, &plain).map(|_| ()),
                    Cell::Date(d) => ws
                        .write_datetime_with_format(r, c, xlsx_date(*d), &date)
                        .map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .unwrap();
            }
        }
        wb.save(path).unwrap();
    }

    /// The book as an OpenDocument spreadsheet: the few parts calamine and LibreOffice need.
    fn ods(&self) -> Vec<u8> {
        let mut content = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"><office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles><office:body><office:spreadsheet>"#,
        );
        for sheet in &self.sheets {
            let style = if sheet.hidden { "ta2" } else { "ta1" };
            content += &format!(
                r#"<table:table table:name="{}" table:style-name="{style}">"#,
                xml(&sheet.name)
            );
            let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
            content += &format!(r#"<table:table-column table:number-columns-repeated="{width}"/>"#);
            for (r, row) in sheet.rows.iter().enumerate() {
                content += "<table:table-row>";
                for c in 0..width {
                    let covered = sheet.merges.iter().any(|m| {
                        (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c) && (r, c) != (m.0, m.1)
                    });
                    if covered {
                        content += "<table:covered-table-cell/>";
                        continue;
                    }
                    let span = match sheet.merges.iter().find(|m| (m.0, m.1) == (r, c)) {
                        Some(m) => format!(
                            r#" table:number-rows-spanned="{}" table:number-columns-spanned="{}""#,
                            m.2 - m.0 + 1,
                            m.3 - m.1 + 1
                        ),
                        None => String::new(),
                    };
                    match row.get(c).unwrap_or(&Cell::Empty) {
                        Cell::Text(t) => {
                            let lines: Vec<String> = t.split('\n').map(xml).collect();
                            content += &format!(
                                r#"<table:table-cell office:value-type="string"{span}><text:p>{}</text:p></table:table-cell>"#,
                                lines.join("<text:line-break/>")
                            );
                        }
                        Cell::Num(n) => {
                            content += &format!(
                                r#"<table:table-cell office:value-type="float" office:value="{n}"{span}><text:p>{n}</text:p></table:table-cell>"#
                            );
                        }
                        Cell::Date(d) => {
                            content += &format!(
                                r#"<table:table-cell office:value-type="date" office:date-value="{}"{span}><text:p>{}</text:p></table:table-cell>"#,
                                d.format("%Y-%m-%d"),
                                d.format("%d/%m/%Y")
                            );
                        }
                        Cell::Empty => content += &format!("<table:table-cell{span}/>"),
                    }
                }
                content += "</table:table-row>";
            }
            content += "</table:table>";
        }
        content += "</office:spreadsheet></office:body></office:document-content>";
        let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", deflated).unwrap();
        zip.write_all(manifest.as_bytes()).unwrap();
        zip.start_file("content.xml", deflated).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    }
}

fn xlsx_date(d: chrono::NaiveDate) -> rust_xlsxwriter::ExcelDateTime {
    use chrono::Datelike;
    rust_xlsxwriter::ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
        .unwrap()
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The key of a header text, by its folded start (the sample's own wording).
fn key_of(header: &str) -> &'static str {
    const KEYS: [(&str, &str); 22] = [
        ("stt", "seq"),
        ("ho va ten", "name"),
        ("ngay sinh", "birth"),
        ("gioi tinh", "gender"),
        ("nu", "female_mark"),
        ("dan toc", "ethnicity"),
        ("dang vien", "party"),
        ("chuc vu", "role"),
        ("mon day", "subject"),
        ("trinh do chuyen mon", "qualification"),
        ("chuyen mon", "qualification"),
        ("ly luan chinh tri", "political"),
        ("chinh tri", "political"),
        ("tin hoc", "it"),
        ("ngoai ngu", "language"),
        ("danh gia chuan", "rating"),
        ("xep loai vien chuc", "civil"),
        ("noi dung 1", "score"),
        ("noi dung 2", "score"),
        ("noi dung 3", "score"),
        ("mo dun", "modules"),
        ("xep loai", "result"),
    ];
    let f = fold(header);
    KEYS.iter()
        .find(|(h, _)| f == *h || f.starts_with(&format!("{h} ")))
        .map(|(_, k)| *k)
        .unwrap_or("other")
}

/// The staff or BDTX table of a sample sheet: the header is the row with "Họ và tên"; a
/// second header row holds the children of a merged group ("Trình độ" over "Chuyên môn").
fn find_table(sheet: &Sheet) -> Option<Table> {
    let top = (0..sheet.rows.len()).find(|&r| {
        sheet.rows[r]
            .iter()
            .any(|c| c.text().is_some_and(|t| fold(t) == "ho va ten"))
    })?;
    let row = &sheet.rows[top];
    let left = row.iter().position(|c| !c.is_empty())?;
    let right = row.iter().rposition(|c| !c.is_empty())?;
    let grouped = sheet.merges.iter().any(|m| m.0 == top && m.3 > m.1);
    let header_rows = if grouped { 2 } else { 1 };
    let mut keys = Vec::new();
    let mut width = right + 1 - left;
    if let Some(m) = sheet.merges.iter().find(|m| m.0 == top) {
        width = width.max(m.3 + 1 - left);
    }
    for c in left..left + width {
        let child = if grouped {
            sheet.get(top + 1, c).text()
        } else {
            None
        };
        let text = child.or(sheet.get(top, c).text()).unwrap_or("");
        keys.push(key_of(text));
    }
    let kind = if keys.contains(&"score") {
        Kind::Training
    } else {
        Kind::Staff
    };
    let name_col = left + keys.iter().position(|k| *k == "name")?;
    let first = top + header_rows;
    let end = (first..sheet.rows.len())
        .find(|&r| {
            sheet.row_is_empty(r)
                || sheet
                    .get(r, name_col)
                    .text()
                    .is_some_and(|t| fold(t).starts_with("tong cong"))
        })
        .unwrap_or(sheet.rows.len());
    Some(Table {
        kind,
        top,
        header_rows,
        left,
        keys,
        end,
    })
}
