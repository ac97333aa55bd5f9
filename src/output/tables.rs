//! The normalised tables as CSV (UTF-8), for officers who want to filter them further.

use anyhow::{Context, Result};
use polars::prelude::*;
use std::path::Path;

/// Streams the table into a temp file beside `path`, then renames it into place.
pub fn write_csv(df: &DataFrame, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut df = df.clone();
    CsvWriter::new(std::io::BufWriter::new(tmp.as_file_mut()))
        .include_header(true)
        .finish(&mut df)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("không ghi được {}", path.display()))?;
    Ok(())
}
