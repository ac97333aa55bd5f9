//! A data problem: where it is (file, sheet, Excel row, column letter), how bad, a stable
//! code and the Vietnamese message the school reads.

use crate::domain::model::Loc;
use crate::domain::schema::Schemas;
use crate::domain::text::{column_letter, fill};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    pub file: String,
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// Registry code of the school the problem belongs to, when known.
    pub school: Option<String>,
}

impl Issue {
    /// Builds an issue with the message of `code` from `schemas/messages.toml`.
    pub fn new(
        schemas: &Schemas,
        severity: Severity,
        code: &str,
        loc: &Loc,
        values: &[(&str, &str)],
    ) -> Issue {
        Issue {
            file: loc.file.to_string(),
            sheet: loc.sheet.to_string(),
            row: loc.row,
            column: loc.col.map(column_letter),
            severity,
            code: code.to_string(),
            message: fill(schemas.messages.issue(code), values),
            school: None,
        }
    }

    pub fn for_school(mut self, code: Option<&str>) -> Issue {
        self.school = code.map(str::to_string);
        self
    }

    /// Order used in every listing: file, sheet, row, column, code.
    pub fn sort_key(&self) -> (&str, &str, u32, &str, &str) {
        (
            &self.file,
            &self.sheet,
            self.row.unwrap_or(0),
            self.column.as_deref().unwrap_or_default(),
            &self.code,
        )
    }
}
