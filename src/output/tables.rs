//! The normalised tables as CSV (UTF-8), for officers who want to filter them further.

use anyhow::Result;
use polars::prelude::*;
use std::path::Path;

pub fn write_csv(df: &DataFrame, path: &Path) -> Result<()> {
    let mut buf = Vec::new();
    let mut df = df.clone();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut df)?;
    super::write_atomic(path, &buf)
}
