//! What bdtx needs to know of an OpenDocument spreadsheet before calamine reads it: the merged
//! cells, which calamine does not report (the `number-rows-spanned` / `number-columns-spanned`
//! of the cells in `content.xml`), and how many cells calamine will hold. calamine parses every
//! sheet when it opens the file and fills the rectangle from a sheet's first to its last value,
//! repeated rows included: one stray value far away makes it hold billions of cells.

use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{BufReader, Read};

/// The most XML events read before giving up (a merged-cell list is a convenience; a file
/// that needs more is read without it).
const MAX_EVENTS: usize = 50_000_000;

/// One pass over `content.xml`.
#[derive(Debug, Default)]
pub struct OdsScan {
    /// Merged ranges by sheet name.
    pub merges: HashMap<String, Vec<Dimensions>>,
    /// Cells calamine will hold for the workbook (values and formulas, every sheet).
    pub cells: u64,
}

/// Scans an .ods file's bytes (empty when it cannot be read: calamine reports that).
pub fn scan_bytes(bytes: &[u8]) -> OdsScan {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return OdsScan::default();
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return OdsScan::default();
    };
    scan(BufReader::new(content))
}

fn scan(content: impl Read) -> OdsScan {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut merges: HashMap<String, Vec<Dimensions>> = HashMap::new();
    let mut held = Held::default();
    let mut sheet = String::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut buf = Vec::new();
    for _ in 0..MAX_EVENTS {
        buf.clear();
        let (e, empty) = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) if e.local_name().as_ref() == "table-row" => {
                held.end_row(row, row_repeat);
                row = row.saturating_add(row_repeat);
                continue;
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "table" => {
                held.end_sheet();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "table" => {
                sheet = attr(&e, "table:name").unwrap_or_default();
                row = 0;
            }
            "table-row" => {
                col = 0;
                row_repeat = number(&e, "table:number-rows-repeated").unwrap_or(1);
                if empty {
                    held.end_row(row, row_repeat);
                    row = row.saturating_add(row_repeat);
                }
            }
            "table-cell" | "covered-table-cell" => {
                let repeat = number(&e, "table:number-columns-repeated").unwrap_or(1);
                let rows = number(&e, "table:number-rows-spanned").unwrap_or(1);
                let cols = number(&e, "table:number-columns-spanned").unwrap_or(1);
                if rows > 1 || cols > 1 {
                    merges.entry(sheet.clone()).or_default().push(Dimensions {
                        start: (row, col),
                        end: (row.saturating_add(rows - 1), col.saturating_add(cols - 1)),
                    });
                }
                if has_value(&e) {
                    held.value(col, repeat);
                }
                col = col.saturating_add(repeat);
            }
            _ => {}
        }
    }
    held.end_sheet();
    OdsScan {
        merges,
        cells: held.total,
    }
}

/// A cell calamine keeps: one with a value, a type or a formula.
fn has_value(e: &BytesStart) -> bool {
    e.attributes().flatten().any(|a| {
        let key = a.key.as_ref();
        key.starts_with("office:") && key.ends_with("value")
            || key == "office:value-type"
            || key == "table:formula"
    })
}

/// The cells calamine holds: each row's cells up to its last value, as read, and then the
/// rectangle from the sheet's first to its last value with repeated rows written out; each
/// twice, once for values and once for formulas.
#[derive(Default)]
struct Held {
    /// Columns up to the current row's last value (end, exclusive) and the first value.
    row_end: u32,
    row_start: Option<u32>,
    in_rows: u64,
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
    total: u64,
}

impl Held {
    fn value(&mut self, col: u32, repeat: u32) {
        self.row_end = col.saturating_add(repeat);
        self.row_start.get_or_insert(col);
    }

    fn end_row(&mut self, row: u32, repeat: u32) {
        if let Some(start) = self.row_start.take() {
            let last = row.saturating_add(repeat - 1);
            self.rows = Some(self.rows.map_or((row, last), |(a, _)| (a, last)));
            let end = self.row_end - 1;
            self.cols = Some(
                self.cols
                    .map_or((start, end), |(a, b)| (a.min(start), b.max(end))),
            );
            self.in_rows += u64::from(self.row_end);
        }
        self.row_end = 0;
    }

    fn end_sheet(&mut self) {
        let extent = |r: Option<(u32, u32)>| r.map_or(0, |(a, b)| u64::from(b - a) + 1);
        let rectangle = extent(self.rows) * extent(self.cols);
        self.total += 2 * self.in_rows.max(rectangle);
        *self = Held {
            total: self.total,
            ..Held::default()
        };
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    let value = a
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()?;
    Some(value.into_owned())
}

fn number(e: &BytesStart, name: &str) -> Option<u32> {
    attr(e, name)?.parse().ok().filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_spans_after_repeated_rows_and_cells() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="Đội ngũ">
              <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-repeated="3"/>
                <table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>GV</text:p></table:table-cell>
              </table:table-row>
              <table:table-row><table:covered-table-cell table:number-columns-repeated="4"/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-spanned="5"/></table:table-row>
            </table:table>
            <table:table table:name="BDTX"><table:table-row/><table:table-row><table:table-cell table:number-columns-spanned="2"/></table:table-row></table:table>
        </office:spreadsheet></office:body></office:document-content>"#;
        let m = scan(xml.as_bytes()).merges;
        let dims = |v: &[Dimensions]| v.iter().map(|d| (d.start, d.end)).collect::<Vec<_>>();
        assert_eq!(
            dims(&m["Đội ngũ"]),
            vec![((2, 3), (3, 3)), ((4, 0), (4, 4))]
        );
        assert_eq!(dims(&m["BDTX"]), vec![((1, 0), (1, 1))]);
    }

    #[test]
    fn counts_the_cells_calamine_will_hold() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="A">
              <table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
              <table:table-row table:number-rows-repeated="999"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-repeated="9"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>
            </table:table>
            <table:table table:name="B"><table:table-row table:number-rows-repeated="4"><table:table-cell table:formula="of:=1"/></table:table-row></table:table>
        </office:spreadsheet></office:body></office:document-content>"#;
        // A: rows 1..=1001 by columns A..J; B: 4 rows of one cell; values and formulas.
        assert_eq!(scan(xml.as_bytes()).cells, 2 * (1001 * 10) + 2 * 4);
    }
}
