//! Input: from the files in the input folder to one school's records. `discover` lists the
//! files, `read` reads each workbook into grids of cells (calamine; `read_xls` and `read_ods`
//! size legacy and OpenDocument files first, `legacy` converts TCVN3/VNI text), `recognise`
//! finds the sheet kinds and header rows, `rows` maps the rows and sets aside non-data rows,
//! `normalise` turns cells into values, `ingest` does all of it for one file, `attribute`
//! finds the school a file belongs to, `registry` reads the school list.

pub mod attribute;
#[cfg(feature = "batch")]
pub mod discover;
pub mod ingest;
pub mod legacy;
pub mod limits;
pub mod normalise;
pub mod read;
pub mod read_ods;
pub mod read_xls;
pub mod read_xlsx;
pub mod recognise;
pub mod registry;
pub mod rows;
