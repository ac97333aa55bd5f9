//! The merged cells of an OpenDocument spreadsheet, which calamine does not report: the
//! `number-rows-spanned` / `number-columns-spanned` of the cells in `content.xml`.

use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

/// The most XML events read before giving up (a merged-cell list is a convenience; a file
/// that needs more is read without it).
const MAX_EVENTS: usize = 50_000_000;

/// Merged ranges by sheet name (empty when the file cannot be read: calamine reports that).
pub fn merged_cells(path: &Path) -> HashMap<String, Vec<Dimensions>> {
    let Ok(file) = std::fs::File::open(path) else {
        return HashMap::new();
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return HashMap::new();
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return HashMap::new();
    };
    scan(BufReader::new(content))
}

fn scan(content: impl Read) -> HashMap<String, Vec<Dimensions>> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut merges: HashMap<String, Vec<Dimensions>> = HashMap::new();
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
                row = row.saturating_add(row_repeat);
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
                col = col.saturating_add(repeat);
            }
            _ => {}
        }
    }
    merges
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
        let m = scan(xml.as_bytes());
        let dims = |v: &[Dimensions]| v.iter().map(|d| (d.start, d.end)).collect::<Vec<_>>();
        assert_eq!(
            dims(&m["Đội ngũ"]),
            vec![((2, 3), (3, 3)), ((4, 0), (4, 4))]
        );
        assert_eq!(dims(&m["BDTX"]), vec![((1, 0), (1, 1))]);
    }
}
