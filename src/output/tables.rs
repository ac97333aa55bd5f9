//! The normalised tables as CSV (UTF-8), for officers who want to filter them further.

use anyhow::Result;
use polars::prelude::*;
use std::path::Path;

/// Streams the table into a temp file beside `path`, then renames it into place.
pub fn write_csv(df: &DataFrame, path: &Path) -> Result<()> {
    super::write_atomic_with(path, |w| {
        let mut df = df.clone();
        // One thread: the reports are being written on the other core at the same time.
        CsvWriter::new(w)
            .include_header(true)
            .n_threads(1)
            .finish(&mut df)?;
        Ok(())
    })
}
