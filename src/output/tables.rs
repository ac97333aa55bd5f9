//! The normalised tables as CSV (UTF-8), for officers who want to filter them further, and as
//! Parquet, for a province that loads them into DuckDB or a warehouse.

use anyhow::Result;
use polars::prelude::*;
use std::path::Path;

/// Streams the table into a temp file beside `path`, then renames it into place. A text
/// that a spreadsheet would take for a formula (starting "=", "+", "-", "@", a tab or a
/// carriage return) is written after an apostrophe, as OWASP advises for CSV files; control
/// characters are dropped. The Parquet copy keeps the text as it was read.
pub fn write_csv(df: &DataFrame, path: &Path) -> Result<()> {
    super::write_staged_with(path, |w| {
        let mut df = neutralised(df)?;
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
    super::write_staged_with(path, |w| {
        let mut df = df.clone();
        ParquetWriter::new(w).finish(&mut df)?;
        Ok(())
    })
}

/// `df` with its text columns made safe to open in a spreadsheet (see `write_csv`); the
/// columns that need nothing are shared, not copied.
fn neutralised(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    for name in df.get_column_names_owned() {
        let column = df.column(&name)?;
        let Ok(text) = column.str() else {
            continue;
        };
        if !text.iter().flatten().any(needs_care) {
            continue;
        }
        let safe: StringChunked = text
            .iter()
            .map(|v| {
                v.map(|t| {
                    if needs_care(t) {
                        safe_cell(t)
                    } else {
                        t.to_string()
                    }
                })
            })
            .collect();
        out.replace(&name, safe.with_name(name.clone()).into_column())?;
    }
    Ok(out)
}

fn needs_care(t: &str) -> bool {
    t.starts_with(['=', '+', '-', '@', '\t', '\r']) || t.chars().any(|c| c.is_control())
}

/// A cell's text without control characters, after an apostrophe when it would read as a
/// formula.
///
fn safe_cell(t: &str) -> String {
    let clean: String = t
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect();
    if clean.starts_with(['=', '+', '-', '@', '\t']) {
        format!("'{clean}")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_control_characters_dropped() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+84 912"), "'+84 912");
        assert_eq!(safe_cell("Lê\u{0}An"), "LêAn");
        assert!(!needs_care("Lê An"));
        let df = df!("name" => ["@SUM(A1)", "Lê An"], "row" => [1u32, 2]).unwrap();
        let safe = neutralised(&df).unwrap();
        let names: Vec<Option<&str>> = safe.column("name").unwrap().str().unwrap().iter().collect();
        assert_eq!(names, [Some("'@SUM(A1)"), Some("Lê An")]);
    }
}
