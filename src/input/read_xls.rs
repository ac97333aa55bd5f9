//! Sizes the sheets of a legacy .xls before calamine reads it. calamine parses every sheet when
//! it opens the file and gives each a rectangle from its first to its last cell: one stray
//! value in IV65536 makes a sheet of 16.7 million cells (half a gigabyte), and a workbook of
//! such sheets takes the run down. The BIFF records name each cell's row and column, so the
//! rectangles are known from one pass over the stream, allocating nothing per cell.

use std::io::Read;

/// Cells calamine would hold for the workbook (values and formulas, every sheet), or `None`
/// when the file is no .xls this can size (calamine then reports what is wrong with it).
pub fn cells_to_hold(bytes: &[u8]) -> Option<u64> {
    let mut book = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).ok()?;
    let name = ["Workbook", "Book"]
        .into_iter()
        .find(|n| book.is_stream(n))?;
    let mut stream = Vec::new();
    book.open_stream(name)
        .ok()?
        .take(super::limits::MAX_PART_BYTES)
        .read_to_end(&mut stream)
        .ok()?;
    cells_in_stream(&stream)
}

/// Walks the BIFF records: each sheet is a BOF … EOF substream (charts nest inside one).
fn cells_in_stream(stream: &[u8]) -> Option<u64> {
    let mut total = 0u64;
    let (mut depth, mut values, mut formulas) = (0usize, Span::default(), Span::default());
    let mut rest = stream;
    while rest.len() >= 4 {
        let typ = u16::from_le_bytes([rest[0], rest[1]]);
        let len = u16::from_le_bytes([rest[2], rest[3]]) as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        match typ {
            // An encrypted workbook: positions cannot be read; calamine says so.
            FILEPASS => return None,
            BOF => depth += 1,
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    total += values.cells() + formulas.cells();
                    (values, formulas) = (Span::default(), Span::default());
                }
            }
            _ if depth != 1 => {}
            FORMULA => formulas.add(data),
            MULRK if data.len() >= 6 => {
                values.add(data);
                let last = u16::from_le_bytes([data[len - 2], data[len - 1]]);
                values.add(&[
                    data[0],
                    data[1],
                    last.to_le_bytes()[0],
                    last.to_le_bytes()[1],
                ]);
            }
            NUMBER | LABEL | RSTRING | BOOLERR | RK | LABELSST => values.add(data),
            _ => {}
        }
    }
    Some(total + values.cells() + formulas.cells())
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const FORMULA: u16 = 0x0006;
const MULRK: u16 = 0x00BD;
const NUMBER: u16 = 0x0203;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const BOOLERR: u16 = 0x0205;
const RK: u16 = 0x027E;
const LABELSST: u16 = 0x00FD;

/// The rectangle of a sheet's cells so far (0-based rows and columns).
#[derive(Default)]
struct Span {
    rows: Option<(u16, u16)>,
    cols: Option<(u16, u16)>,
}

impl Span {
    /// A cell record: row in its first two bytes, column in the next two.
    fn add(&mut self, data: &[u8]) {
        if data.len() < 4 {
            return;
        }
        let row = u16::from_le_bytes([data[0], data[1]]);
        let col = u16::from_le_bytes([data[2], data[3]]);
        let widen =
            |r: Option<(u16, u16)>, v: u16| Some(r.map_or((v, v), |(a, b)| (a.min(v), b.max(v))));
        self.rows = widen(self.rows, row);
        self.cols = widen(self.cols, col);
    }

    fn cells(&self) -> u64 {
        let extent = |r: Option<(u16, u16)>| r.map_or(0, |(a, b)| u64::from(b - a) + 1);
        extent(self.rows) * extent(self.cols)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn cell(typ: u16, row: u16, col: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(col.to_le_bytes());
        data.extend([0u8; 16]);
        record(typ, &data)
    }

    #[test]
    fn sizes_each_sheet_from_its_first_to_its_last_cell() {
        let stream: Vec<u8> = [
            record(BOF, &[0; 8]),
            record(EOF, &[]),
            // Sheet 1: A1 and a stray value in IV65536.
            record(BOF, &[0; 8]),
            cell(LABELSST, 0, 0),
            cell(NUMBER, 65535, 255),
            // An embedded chart's records do not widen the sheet.
            record(BOF, &[0; 8]),
            cell(NUMBER, 9, 9),
            record(EOF, &[]),
            record(EOF, &[]),
            // Sheet 2: B2:D3 with a formula in C5.
            record(BOF, &[0; 8]),
            cell(RK, 1, 1),
            cell(LABEL, 2, 3),
            cell(FORMULA, 4, 2),
            record(EOF, &[]),
        ]
        .concat();
        assert_eq!(cells_in_stream(&stream), Some(65536 * 256 + 2 * 3 + 1));
    }

    #[test]
    fn a_truncated_record_is_not_sized() {
        let mut stream = record(BOF, &[0; 8]);
        stream.extend([0x03, 0x02, 0xFF, 0x00, 1]);
        assert_eq!(cells_in_stream(&stream), None);
    }
}
