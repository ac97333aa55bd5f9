//! What bdtx will read of one workbook: generous for schools' files (kilobytes), small enough
//! that no file can take the run down.

/// Bytes of one workbook file, read whole (schools' files are kilobytes).
pub const MAX_FILE_BYTES: u64 = 256 << 20;
/// Uncompressed bytes of one part of an .xlsx/.ods zip (sheets, shared strings).
pub const MAX_PART_BYTES: u64 = 100 << 20;
/// Uncompressed ÷ compressed size of a part above which it is a zip bomb.
pub const MAX_COMPRESSION_RATIO: u64 = 1_000;
/// Non-blank cells read from one sheet.
pub const MAX_CELLS: usize = 4_000_000;
/// Cells (blank included) of the rectangle a sheet's kept cells span.
pub const MAX_GRID_CELLS: usize = 12_000_000;
/// Columns a table can use (A..ALL); cells to the right are far cells.
pub const MAX_COLUMNS: u32 = 1_000;
/// Blank rows after which what follows is far from the table (a stray cell at the
/// bottom of the sheet), not read.
pub const MAX_ROW_GAP: u32 = 10_000;
