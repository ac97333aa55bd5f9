//! A data problem: where it is (file, sheet, Excel row, column letter), how bad, a stable
//! code and the Vietnamese message the school reads.

use crate::domain::schema::Schemas;
use crate::domain::text::{column_letter, fill};
use serde::Serialize;
use std::sync::Arc;

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

/// Where in the input a value came from. `row` is the 1-based Excel row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// Shared by every record of a sheet.
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub row: Option<u32>,
    pub col: Option<u32>,
}

impl Loc {
    pub fn file(file: &str) -> Loc {
        Loc {
            file: file.into(),
            ..Loc::default()
        }
    }

    pub fn cell(file: &str, sheet: &str, row: u32, col: Option<u32>) -> Loc {
        Loc {
            file: file.into(),
            sheet: sheet.into(),
            row: Some(row),
            col,
        }
    }
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
