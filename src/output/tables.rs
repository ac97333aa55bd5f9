//! The normalised tables as CSV (UTF-8), for officers who want to filter them further, and as
//! Parquet, for a province that loads them into DuckDB or a warehouse.

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

/// The table as Parquet (polars' writer), through a temp file renamed into place.
pub fn write_parquet(df: &DataFrame, path: &Path) -> Result<()> {
    super::write_atomic_with(path, |w| {
        let mut df = df.clone();
        ParquetWriter::new(w).finish(&mut df)?;
        Ok(())
    })
}
