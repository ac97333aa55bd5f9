//! Reads a workbook of any format calamine knows into plain grids of cells.
//! One call per file; the caller runs them in parallel.

use crate::domain::text::fold;
use crate::input::legacy::{convert_cell, detect, fits, Legacy};
use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, SheetVisible, Sheets};
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::OnceLock;

/// One worksheet as read, with the offset of its first used cell so that row numbers in
/// reports are the ones the school sees in Excel. The cells stay in calamine's `Range`:
/// copying them out would cost an allocation per text cell.
#[derive(Debug, Clone)]
pub struct SheetGrid {
    /// The tab name as written (issues name it so the school finds the sheet).
    pub name: String,
    /// The tab name in Unicode (converted from TCVN3/VNI with the cells), for finding
    /// sheets by name.
    pub unicode_name: String,
    pub hidden: bool,
    /// 0-based (row, column) of grid cell (0, 0) in the worksheet.
    pub origin: (u32, u32),
    cells: Range<Data>,
    /// The legacy font encoding the sheet's text was converted from, if any.
    pub legacy: Option<Legacy>,
    /// Non-blank cells far from the table that were not read: how many, and the first.
    pub far: Option<FarCells>,
    /// `fold` of the text cells of the rows a header is searched in, and of the rows below,
    /// each made on first use: a sheet no kind recognises only ever folds its top rows.
    folds: [OnceLock<Folds>; 2],
}

/// Rows from the top that the header search reads (`recognise` searches this many).
pub const TOP_ROWS: usize = 41;

/// The folded text of each text cell. A sheet repeats few texts many times (genders,
/// qualifications, training outcomes), so each distinct text is folded once.
#[derive(Debug, Clone, Default)]
struct Folds {
    /// Per cell, row-major: 0 when the cell holds no text, else 1 + its index in `texts`.
    index: Vec<u32>,
    texts: Vec<String>,
}

impl Folds {
    /// The folds of `rows` of `cells`.
    fn of(cells: &Range<Data>, rows: std::ops::Range<usize>) -> Folds {
        let mut seen: rustc_hash::FxHashMap<&str, u32> = Default::default();
        let mut texts = Vec::new();
        let index = cells
            .rows()
            .take(rows.end)
            .skip(rows.start)
            .flatten()
            .map(|d| match d {
                Data::String(s) if !crate::domain::text::is_blank(s) => {
                    *seen.entry(s).or_insert_with(|| {
                        texts.push(fold(s));
                        texts.len() as u32
                    })
                }
                _ => 0,
            })
            .collect();
        Folds { index, texts }
    }
}

impl SheetGrid {
    /// A grid of `rows` starting at A1 (rows may differ in length), as tests and fixtures
    /// build them.
    pub fn from_rows(name: &str, rows: Vec<Vec<Data>>) -> SheetGrid {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut cells = if rows.is_empty() || width == 0 {
            Range::empty()
        } else {
            Range::new((0, 0), (rows.len() as u32 - 1, width as u32 - 1))
        };
        for (r, row) in rows.into_iter().enumerate() {
            for (c, d) in row.into_iter().enumerate() {
                cells[(r, c)] = d;
            }
        }
        SheetGrid {
            name: name.to_string(),
            unicode_name: name.to_string(),
            hidden: false,
            origin: (0, 0),
            cells,
            legacy: None,
            far: None,
            folds: Default::default(),
        }
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.cells.height()
    }

    /// Row `r`'s cells (empty past the last row).
    pub fn row(&self, r: usize) -> &[Data] {
        if r < self.height() {
            &self.cells[r]
        } else {
            &[]
        }
    }

    pub fn rows(&self) -> impl Iterator<Item = &[Data]> {
        self.cells.rows()
    }

    /// 1-based Excel row number of grid row `index`.
    pub fn excel_row(&self, index: usize) -> u32 {
        self.origin.0 + index as u32 + 1
    }

    /// 0-based worksheet column of grid column `index`.
    pub fn sheet_col(&self, index: usize) -> u32 {
        self.origin.1 + index as u32
    }

    pub fn cell(&self, row: usize, col: usize) -> &Data {
        self.row(row).get(col).unwrap_or(&Data::Empty)
    }

    /// `text::fold` of cell (`row`, `col`) when it holds non-blank text.
    pub fn folded(&self, row: usize, col: usize) -> Option<&str> {
        let width = self.cells.width();
        if col >= width || row >= self.height() {
            return None;
        }
        let (part, rows) = if row < TOP_ROWS {
            (0, 0..TOP_ROWS)
        } else {
            (1, TOP_ROWS..self.height())
        };
        let folds = self.folds[part].get_or_init(|| Folds::of(&self.cells, rows.clone()));
        match folds.index[(row - rows.start) * width + col] {
            0 => None,
            i => Some(&folds.texts[i as usize - 1]),
        }
    }
}

/// A workbook's sheets, in workbook order.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// Path relative to the input folder.
    pub file: String,
    pub sheets: Vec<SheetGrid>,
}

/// Why a file could not be read; each maps to a Vietnamese message in `messages.toml`.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    Password,
    Unreadable(String),
    Empty,
    /// Past a limit of `read::limits` (declared or real size): never allocated.
    TooLarge(String),
}

impl ReadError {
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Password => "file_password",
            ReadError::Unreadable(_) => "file_unreadable",
            ReadError::Empty => "file_empty",
            ReadError::TooLarge(_) => "file_too_large",
        }
    }

    /// What is known beyond the code ("tệp nén (zip) bị hỏng"), if anything.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ReadError::Unreadable(d) | ReadError::TooLarge(d) => Some(d),
            ReadError::Password | ReadError::Empty => None,
        }
    }

    /// The error problem of file `rel`: its code, and the detail when there is one.
    pub fn issue(&self, rel: &str) -> crate::domain::issue::Issue {
        use crate::domain::issue::{Issue, Severity};
        let loc = crate::domain::model::Loc::file(rel);
        match self.detail() {
            Some(d) => Issue::new(Severity::Error, self.code(), &loc, &[("detail", d)]),
            None => Issue::new(Severity::Error, self.code(), &loc, &[]),
        }
    }
}

/// The code and the detail; users read the message `messages.toml` gives the code.
impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.detail() {
            Some(d) => write!(f, "{}: {d}", self.code()),
            None => f.write_str(self.code()),
        }
    }
}

impl std::error::Error for ReadError {}

/// OLE compound-file signature: legacy .xls, and also encrypted (password-protected) .xlsx.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub use super::limits;

/// Reads the workbook at `path` (named `rel` in problems): its bytes once, within
/// `limits::MAX_FILE_BYTES`, then `read_workbook_bytes`.
pub fn read_workbook(path: &Path, rel: &str) -> Result<Workbook, ReadError> {
    match read_bounded(path) {
        Ok(bytes) => read_workbook_bytes(&bytes, rel),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            Err(ReadError::TooLarge(e.to_string()))
        }
        Err(e) => Err(io_error(e)),
    }
}

/// A file's bytes, refused past `limits::MAX_FILE_BYTES` without reading further (the size
/// a file system reports is not trusted: a device reports none).
pub fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("tệp lớn hơn {} MB", limits::MAX_FILE_BYTES >> 20),
        ));
    }
    Ok(bytes)
}

/// Reads a workbook from its bytes; `rel` is its name (in problems, and its extension for
/// telling an .xls named .xlsx). The one reader of the batch job and of the self-check page
/// (no file system).
pub fn read_workbook_bytes(bytes: &[u8], rel: &str) -> Result<Workbook, ReadError> {
    // What the file is, by its content: a name can say .xlsx of an .xls or a web page.
    let format = Format::of(bytes);
    let ext = extension(Path::new(rel));
    match format {
        Format::Html => return Err(ReadError::Unreadable(unreadable("html", &ext))),
        Format::Text => return Err(ReadError::Unreadable(unreadable("text", &ext))),
        Format::Encrypted => return Err(ReadError::Password),
        _ => {}
    }
    // The zip's directory, read once for the checks and the merged ranges.
    let mut zip = match format {
        Format::Zip => zip::ZipArchive::new(Cursor::new(bytes)).ok(),
        _ => None,
    };
    let patched = match zip.as_mut() {
        Some(zip) => check_zip(zip)?,
        None => None,
    };
    // calamine reads every sheet of an .ods or .xls when it opens it: sized first.
    let mut known_merges = HashMap::new();
    let cells_to_hold = match format {
        Format::Zip if ext == "ods" => {
            let scan = crate::input::read_ods::scan_bytes(bytes);
            known_merges = scan.merges;
            Some(scan.cells)
        }
        Format::Ole => crate::input::read_xls::cells_to_hold(bytes),
        _ => None,
    };
    // An .xlsx's merged ranges, read after each sheet's cells instead of by parsing it twice
    // (a corrected copy differs only in its shared strings).
    if let Some(zip) = zip
        .as_mut()
        .filter(|_| !matches!(ext.as_str(), "ods" | "xlsb"))
    {
        known_merges = crate::input::read_xlsx::merges(zip);
    }
    if let Some(cells) = cells_to_hold.filter(|&n| n > limits::MAX_GRID_CELLS as u64) {
        return Err(ReadError::TooLarge(format!(
            "các trang tính trải rộng tới {cells} ô vì có ô nằm rất xa bảng"
        )));
    }
    let opened = |e: calamine::Error| classify(e);
    match (format, patched) {
        // Shared strings whose declared count was overstated, read from a corrected copy.
        (_, Some(bytes)) => {
            let book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| opened(e.into()))?;
            read_book(Sheets::Xlsx(book), known_merges, rel)
        }
        // An .xls under another name is read as the .xls it is.
        (Format::Ole, None) if !matches!(ext.as_str(), "xls" | "xla") => {
            let book = calamine::Xls::new(Cursor::new(bytes)).map_err(|e| opened(e.into()))?;
            read_book(Sheets::Xls(book), known_merges, rel)
        }
        // An .xlsx named .xls: read as the .xlsx it is.
        (Format::Zip, None) if matches!(ext.as_str(), "xls" | "xla") => {
            let book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| opened(e.into()))?;
            read_book(Sheets::Xlsx(book), known_merges, rel)
        }
        _ => {
            let book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(opened)?;
            read_book(book, known_merges, rel)
        }
    }
}

/// A file's format, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// .xlsx, .xlsm, .xlsb, .ods.
    Zip,
    /// An OLE container holding a workbook: .xls.
    Ole,
    /// An OLE container holding an encrypted .xlsx (saved with a password).
    Encrypted,
    /// A web page saved with a spreadsheet's name (some school software exports these).
    Html,
    /// Plain text: CSV or a tab-separated export.
    Text,
    Unknown,
}

impl Format {
    fn of(bytes: &[u8]) -> Format {
        let n = bytes.len().min(512);
        let head = &bytes[..n];
        if head.starts_with(b"PK\x03\x04") {
            return Format::Zip;
        }
        if head.starts_with(&CFB_MAGIC) {
            let encrypted = cfb::CompoundFile::open(Cursor::new(bytes))
                .map(|c| c.is_stream("EncryptedPackage") || c.is_stream("/EncryptedPackage"))
                .unwrap_or(false);
            return if encrypted {
                Format::Encrypted
            } else {
                Format::Ole
            };
        }
        let text = String::from_utf8_lossy(head).to_ascii_lowercase();
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with("<!doctype html")
            || text.starts_with("<html")
            || text.contains("<table")
        {
            return Format::Html;
        }
        let printable = head
            .iter()
            .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'));
        if n > 0 && printable && std::str::from_utf8(head).is_ok() {
            return Format::Text;
        }
        Format::Unknown
    }
}

/// The Vietnamese detail of a file that is no workbook of its name.
fn unreadable(kind: &str, ext: &str) -> String {
    match kind {
        "html" => {
            format!("tệp là trang web (HTML) được đặt tên .{ext}, không phải bảng tính Excel")
        }
        _ => format!("tệp là văn bản (CSV) được đặt tên .{ext}, không phải bảng tính Excel"),
    }
}

fn io_error(_: std::io::Error) -> ReadError {
    ReadError::Unreadable("không mở được tệp trên đĩa".to_string())
}

/// The sheets of an opened workbook, each read within `limits`.
fn read_book<RS: std::io::Read + std::io::Seek>(
    mut book: Sheets<RS>,
    mut known_merges: HashMap<String, Vec<Dimensions>>,
    rel: &str,
) -> Result<Workbook, ReadError> {
    let meta = book.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(meta.len());
    for sheet in meta {
        let read = match &mut book {
            Sheets::Xlsx(x) => x
                .worksheet_cells_reader(&sheet.name)
                .map_err(|e| classify(e.into()))
                .and_then(|mut r| {
                    bounded_range(&sheet.name, || {
                        r.next_cell().map_err(|e| classify(e.into()))
                    })
                }),
            Sheets::Xlsb(x) => x
                .worksheet_cells_reader(&sheet.name)
                .map_err(|e| classify(e.into()))
                .and_then(|mut r| {
                    bounded_range(&sheet.name, || {
                        r.next_cell().map_err(|e| classify(e.into()))
                    })
                }),
            other => other
                .worksheet_range(&sheet.name)
                .map(|r| (r, None))
                .map_err(classify),
        };
        let (mut cells, far) = match read {
            Ok(r) => r,
            // Chart sheets and dialog sheets have no cells.
            Err(_) if sheet.typ != calamine::SheetType::WorkSheet => continue,
            Err(e) => return Err(e),
        };
        let origin = cells.start().unwrap_or((0, 0));
        let merges = match known_merges.remove(&sheet.name) {
            Some(m) => m,
            None => merged_cells(&mut book, &sheet.name),
        };
        fill_merged_down(&mut cells, &merges);
        let legacy = detect_sheet(&sheet.name, &cells);
        sheets.push(SheetGrid {
            unicode_name: sheet.name.clone(),
            name: sheet.name,
            hidden: sheet.visible != SheetVisible::Visible,
            origin,
            cells,
            legacy,
            far,
            folds: Default::default(),
        });
    }
    to_unicode(&mut sheets);
    let has_cells = sheets
        .iter()
        .any(|s| s.rows().flatten().any(|c| *c != Data::Empty));
    if !has_cells {
        return Err(ReadError::Empty);
    }
    Ok(Workbook {
        file: rel.to_string(),
        sheets,
    })
}

/// A cell holding nothing a person would see: empty, or text of spaces only.
pub fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => crate::domain::text::is_blank(s),
        _ => false,
    }
}

/// Non-blank cells of a sheet left unread because they lie far from its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FarCells {
    pub count: usize,
    /// 0-based (row, column) of the first, in reading order.
    pub first: (u32, u32),
}

/// Refuses a zip (.xlsx, .ods …) whose parts would unpack past `limits`, before calamine
/// unpacks anything. A zip that declares less than a part holds needs no check: the zip
/// reader stops at the declared size ("larger than its declared uncompressed size").
///
/// calamine reserves room for as many shared strings as `sharedStrings.xml` declares: a
/// 10 KB file declaring four billion asked for 103 GB and ended the run. A declaration more
/// than the part's bytes can hold is corrected in a copy of the workbook, which is returned
/// to be read instead of the file.
fn check_zip(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<Option<Vec<u8>>, ReadError> {
    let mut overstated = None;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        if size > limits::MAX_PART_BYTES || size / packed > limits::MAX_COMPRESSION_RATIO {
            return Err(ReadError::TooLarge(format!(
                "{} ({} MB khi giải nén)",
                part.name().unwrap_or_default(),
                size >> 20
            )));
        }
        if part.name().is_ok_and(|n| n.ends_with("sharedStrings.xml")) {
            overstated = Some(i);
        }
    }
    let Some(i) = overstated else {
        return Ok(None);
    };
    let Some(patched) = corrected_shared_strings(zip, i) else {
        return Ok(None);
    };
    rewrite_part(zip, i, &patched)
        .map(Some)
        .map_err(|_| ReadError::Unreadable("tệp nén (zip) bị hỏng".to_string()))
}

/// Shared strings (part `i`) whose declared count is more than they could hold, with the
/// count corrected; None when it is believable (or the part cannot be read).
fn corrected_shared_strings<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    i: usize,
) -> Option<Vec<u8>> {
    let mut part = zip.by_index(i).ok()?.take(limits::MAX_PART_BYTES);
    // The count is in the part's first element: a count its first bytes could hold is
    // believable without unpacking the rest (a school's file: a few hundred strings). The
    // head runs on past where the count is looked for, by the longest count read.
    let mut xml = Vec::new();
    (&mut part)
        .take(UNIQUE_COUNT_HEAD + 32)
        .read_to_end(&mut xml)
        .ok()?;
    correct_unique_count(&xml, xml.len() as u64 / MIN_STRING_BYTES + 1)?;
    part.read_to_end(&mut xml).ok()?;
    correct_unique_count(&xml, xml.len() as u64 / MIN_STRING_BYTES + 1)
}

/// A shared string takes at least "<si><t/></si>": 13 bytes.
const MIN_STRING_BYTES: u64 = 13;
/// sharedStrings.xml's count is looked for in its first bytes.
const UNIQUE_COUNT_HEAD: u64 = 4096;

/// `xml` with its `uniqueCount` set to `fits` when it declares more; None when it does not.
fn correct_unique_count(xml: &[u8], fits: u64) -> Option<Vec<u8>> {
    let key = b"uniqueCount=\"";
    let head = &xml[..xml.len().min(UNIQUE_COUNT_HEAD as usize)];
    let at = head.windows(key.len()).position(|w| w == key)? + key.len();
    let digits = xml[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    let declared = std::str::from_utf8(&xml[at..at + digits]).ok()?;
    // Twenty digits or more is past any u64: overstated.
    let too_many = declared.len() >= 20 || declared.parse::<u64>().ok()? > fits;
    too_many.then(|| [&xml[..at], fits.to_string().as_bytes(), &xml[at + digits..]].concat())
}

/// A copy of the zip with part `index` replaced by `content` (stored), the rest copied as is.
fn rewrite_part<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    index: usize,
    content: &[u8],
) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i)?;
        if i == index {
            let name = part.name()?.to_string();
            drop(part);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            out.start_file(name, options)?;
            out.write_all(content)?;
        } else {
            out.raw_copy_file(part)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

/// An .xlsx or .xlsb sheet read cell by cell into a range of its real cells: blank cells are
/// dropped, and cells far right or far below the table (a stray space in XFD1048576) are
/// counted, not kept, so the range never spans what the sheet merely declares.
fn bounded_range<'a>(
    sheet: &str,
    mut next_cell: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, ReadError>,
) -> Result<(Range<Data>, Option<FarCells>), ReadError> {
    let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
    while let Some(cell) = next_cell()? {
        let value: Data = cell.get_value().clone().into();
        if is_blank(&value) {
            continue;
        }
        if cells.len() == limits::MAX_CELLS {
            return Err(ReadError::TooLarge(format!(
                "trang \"{sheet}\" có hơn {} ô",
                limits::MAX_CELLS
            )));
        }
        cells.push(calamine::Cell::new(cell.get_position(), value));
    }
    let far = drop_far_cells(&mut cells);
    let span = |pick: fn((u32, u32)) -> u32| {
        let values = cells.iter().map(|c| pick(c.get_position()));
        (values.clone().max().unwrap_or(0) + 1).saturating_sub(values.min().unwrap_or(0)) as usize
    };
    let (height, width) = (span(|p| p.0), span(|p| p.1));
    if height * width > limits::MAX_GRID_CELLS {
        return Err(ReadError::TooLarge(format!(
            "trang \"{sheet}\" rộng {height} × {width} ô"
        )));
    }
    Ok((Range::from_sparse(cells), far))
}

/// Removes the cells right of `MAX_COLUMNS` or below a run of `MAX_ROW_GAP` blank rows.
fn drop_far_cells(cells: &mut Vec<calamine::Cell<Data>>) -> Option<FarCells> {
    let mut rows: Vec<u32> = cells
        .iter()
        .filter(|c| c.get_position().1 < limits::MAX_COLUMNS)
        .map(|c| c.get_position().0)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let last_row = rows
        .windows(2)
        .find(|w| w[1] - w[0] > limits::MAX_ROW_GAP)
        .map_or(u32::MAX, |w| w[0]);
    let near = |c: &calamine::Cell<Data>| {
        let (row, col) = c.get_position();
        col < limits::MAX_COLUMNS && row <= last_row
    };
    let first = cells
        .iter()
        .filter(|c| !near(c))
        .map(|c| c.get_position())
        .min()?;
    let before = cells.len();
    cells.retain(near);
    Some(FarCells {
        count: before - cells.len(),
        first,
    })
}

/// The merged ranges of an .xlsx or .xls sheet (.ods: `read_ods`; none for .xlsb, whose
/// merges calamine does not read).
fn merged_cells<RS: std::io::Read + std::io::Seek>(
    book: &mut Sheets<RS>,
    sheet: &str,
) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A cell merged down over several rows shows its value on each of them: schools merge a
/// role, a gender or a qualification shared by consecutive people. The value is copied
/// down the merge's first column (within the sheet's cells; a merge across columns only,
/// such as a group label or a title, keeps its value in its first cell).
fn fill_merged_down(cells: &mut Range<Data>, merges: &[Dimensions]) {
    let Some(end) = cells.end() else {
        return;
    };
    for m in merges.iter().filter(|m| m.end.0 > m.start.0) {
        let (top, col) = m.start;
        let Some(value) = cells
            .get_value((top, col))
            .filter(|v| **v != Data::Empty)
            .cloned()
        else {
            continue;
        };
        for row in top + 1..=m.end.0.min(end.0) {
            if cells.get_value((row, col)) == Some(&Data::Empty) {
                cells.set_value((row, col), value.clone());
            }
        }
    }
}

/// The legacy font encoding (TCVN3, VNI) a sheet's texts and tab name are typed in, if any.
fn detect_sheet(name: &str, cells: &Range<Data>) -> Option<Legacy> {
    detect(sheet_texts(name, cells))
}

fn sheet_texts<'a>(name: &'a str, cells: &'a Range<Data>) -> impl Iterator<Item = &'a str> + Clone {
    let texts = cells.rows().flatten().filter_map(|d| match d {
        Data::String(s) => Some(s.as_str()),
        _ => None,
    });
    std::iter::once(name).chain(texts)
}

/// Converts the sheets typed in a legacy Vietnamese font to Unicode, cells and tab names, in
/// place. A sheet too short to tell on its own (the two lines of "Th«ng tin tr­êng") is
/// converted when it reads better in the one encoding found in the workbook's other sheets.
fn to_unicode(sheets: &mut [SheetGrid]) {
    let found: Vec<Legacy> = sheets.iter().filter_map(|s| s.legacy).collect();
    let workbook = match found.first() {
        Some(&enc) if found.iter().all(|&e| e == enc) => Some(enc),
        _ => None,
    };
    for sheet in sheets.iter_mut() {
        if sheet.legacy.is_none() {
            sheet.legacy =
                workbook.filter(|&enc| fits(enc, sheet_texts(&sheet.name, &sheet.cells)));
        }
        let Some(legacy) = sheet.legacy else {
            continue;
        };
        sheet.unicode_name = convert_cell(legacy, &sheet.name);
        for r in 0..sheet.cells.height() {
            for cell in sheet.cells[r].iter_mut() {
                if let Data::String(s) = cell {
                    *s = convert_cell(legacy, s);
                }
            }
        }
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A reading error as a school reads it: in Vietnamese, what is wrong with the file (the
/// library's English words stay out of the letter).
fn classify(e: calamine::Error) -> ReadError {
    let text = e.to_string().to_ascii_lowercase();
    if text.contains("password") || text.contains("encrypt") {
        return ReadError::Password;
    }
    let detail = if text.contains("zip") || text.contains("declared") || text.contains("archive") {
        "tệp nén (zip) của bảng tính bị hỏng hoặc không đầy đủ"
    } else if text.contains("xml") {
        "nội dung bảng tính bị hỏng (XML không hợp lệ)"
    } else if text.contains("unsupported") || text.contains("unknown") || text.contains("extension")
    {
        "không phải bảng tính Excel hoặc OpenDocument"
    } else {
        "tệp bị hỏng hoặc không đúng định dạng bảng tính"
    };
    ReadError::Unreadable(detail.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_cells_above_and_below_the_header_search_rows() {
        let rows: Vec<Vec<Data>> = (0..TOP_ROWS + 10)
            .map(|r| {
                vec![
                    Data::String(format!("Row-{r}")),
                    Data::String("SAME".into()),
                    Data::Float(r as f64),
                    Data::String("  ".into()),
                ]
            })
            .collect();
        let grid = SheetGrid::from_rows("DS", rows);
        assert_eq!(grid.folded(0, 0), Some("row 0"));
        assert_eq!(grid.folded(TOP_ROWS - 1, 1), Some("same"));
        assert_eq!(grid.folded(TOP_ROWS, 0), Some("row 41"));
        assert_eq!(grid.folded(TOP_ROWS + 9, 1), Some("same"));
        assert_eq!(grid.folded(TOP_ROWS + 9, 2), None);
        assert_eq!(grid.folded(3, 3), None);
        assert_eq!(grid.folded(TOP_ROWS + 10, 0), None);
        assert_eq!(grid.folded(0, 4), None);
    }
}
