//! The merged ranges of an .xlsx's sheets, found without parsing the sheets twice. calamine's
//! `merge_cells_by_sheet_name` parses a sheet's whole XML again to reach `<mergeCells>`,
//! which comes after the cells: a fifth of the reading time. Here each sheet part is inflated
//! and only what follows `</sheetData>` is parsed. A sheet this cannot place is left to
//! calamine.

use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Read, Seek};

/// Sheet name → its merged ranges, for the sheets whose part was found.
pub fn merges<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> HashMap<String, Vec<Dimensions>> {
    let mut out = HashMap::new();
    let (Some(workbook), Some(rels)) = (
        part(zip, "xl/workbook.xml"),
        part(zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return out;
    };
    let targets: HashMap<String, String> = workbook_rels(&rels).into_iter().collect();
    for (name, id) in sheet_ids(&workbook) {
        let Some(target) = targets.get(&id) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        if let Some(xml) = part(zip, &path) {
            out.insert(name, merge_refs(&xml));
        }
    }
    out
}

/// A part's bytes, within `limits::MAX_PART_BYTES`.
fn part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    zip.by_name(name)
        .ok()?
        .take(super::limits::MAX_PART_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// Each `<sheet>` of workbook.xml: its name and relationship id.
fn sheet_ids(xml: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    each_start(xml, "sheet", |e| {
        let name = attr(e, |k| k == "name")?;
        let id = attr(e, |k| k == "r:id" || k.ends_with(":id"))?;
        out.push((name, id));
        Some(())
    });
    out
}

/// Each relationship of workbook.xml.rels: its id and target.
fn workbook_rels(xml: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    each_start(xml, "Relationship", |e| {
        out.push((attr(e, |k| k == "Id")?, attr(e, |k| k == "Target")?));
        Some(())
    });
    out
}

/// The `<mergeCell ref="A1:C2">` ranges of a sheet part, read after its cells.
fn merge_refs(xml: &[u8]) -> Vec<Dimensions> {
    let tail = memchr::memmem::rfind(xml, b"sheetData>").map_or(xml, |at| &xml[at..]);
    let mut out = Vec::new();
    each_start(tail, "mergeCell", |e| {
        out.push(range(&attr(e, |k| k == "ref")?)?);
        Some(())
    });
    out
}

/// Calls `f` on every start or empty element named `local` (any prefix).
fn each_start(xml: &[u8], local: &str, mut f: impl FnMut(&BytesStart) -> Option<()>) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    // The tail of a sheet starts inside its root: closing tags without their opening.
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => {
                f(&e);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

fn attr(e: &BytesStart, key: impl Fn(&str) -> bool) -> Option<String> {
    let a = e.attributes().flatten().find(|a| key(a.key.as_ref()))?;
    let value = a
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()?;
    Some(value.into_owned())
}

/// "B2:D5" (or "B2") as zero-based (row, column) corners.
fn range(text: &str) -> Option<Dimensions> {
    let (a, b) = text.split_once(':').unwrap_or((text, text));
    Some(Dimensions {
        start: cell(a)?,
        end: cell(b)?,
    })
}

/// "AB12" (absolute "$AB$12" too) as zero-based (row, column).
fn cell(text: &str) -> Option<(u32, u32)> {
    let text = text.replace('$', "");
    let digits = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = text.split_at(digits);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_alphabetic()
            .then(|| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1)
    })?;
    let row: u32 = number.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_cells() {
        let d = range("B2:AA10").unwrap();
        assert_eq!((d.start, d.end), ((1, 1), (9, 26)));
        assert_eq!(range("$C$3").map(|d| d.end), Some((2, 2)));
        assert_eq!(range("A0"), None);
        assert_eq!(range("12"), None);
    }

    #[test]
    fn merges_after_the_cells_only() {
        let xml = br#"<worksheet xmlns:x="s"><sheetData><row><c r="A1"><v>1</v></c></row></sheetData><x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><mergeCell ref="B2:B4"></mergeCell></x:mergeCells></worksheet>"#;
        let found: Vec<_> = merge_refs(xml).iter().map(|d| (d.start, d.end)).collect();
        assert_eq!(found, [((0, 0), (0, 2)), ((1, 1), (3, 1))]);
    }
}
