//! `output/loi/<code>.xlsx`: each school's own problems, to send back to it.

use super::report::issues_sheet;
use super::xlsx::{new_workbook, Formats};
use crate::domain::issue::Issue;
use crate::domain::schema::Schemas;
use anyhow::Result;

/// The error workbook of one school (or of files no school could be found for).
pub fn school_workbook(issues: &[Issue], s: &Schemas, year: &str) -> Result<Vec<u8>> {
    let mut wb = new_workbook(year)?;
    let ws = wb.add_worksheet().set_name(s.label("sheet_issues"))?;
    issues_sheet(ws, &Formats::new(), issues, s, year)?;
    Ok(wb.save_to_buffer()?)
}
