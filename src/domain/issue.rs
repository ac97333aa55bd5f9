//! A data problem: where it is (file, sheet, Excel row, column letter), how bad, a stable
//! code and the values its message names. The Vietnamese message the school reads is made
//! from `schemas/messages.toml` where the issue is written out (`Issue::message`), so the
//! stages that find problems need no wording.

use crate::domain::model::Loc;
use crate::domain::schema::Messages;
use crate::domain::text::{column_letter, fill};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Nothing to correct: a note of what was done (units of other levels left out).
    Info,
}

/// How many issues there are of each severity: the one count the console, the letters and
/// the working book print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    pub errors: u32,
    pub warnings: u32,
    pub notes: u32,
}

impl SeverityCounts {
    /// ```
    /// use bdtx::domain::issue::{Issue, Severity, SeverityCounts};
    /// use bdtx::domain::model::Loc;
    /// let loc = Loc::file("a.xlsx");
    /// let issues = [
    ///     Issue::new(Severity::Error, "file_empty", &loc, &[]),
    ///     Issue::new(Severity::Warning, "hidden_sheet_skipped", &loc, &[]),
    ///     Issue::new(Severity::Error, "file_password", &loc, &[]),
    /// ];
    /// assert_eq!(SeverityCounts::of(&issues), SeverityCounts { errors: 2, warnings: 1, notes: 0 });
    /// ```
    pub fn of<'i>(issues: impl IntoIterator<Item = &'i Issue>) -> SeverityCounts {
        let mut counts = SeverityCounts::default();
        for i in issues {
            counts.add(i.severity);
        }
        counts
    }

    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.notes += 1,
        }
    }
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub file: String,
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub severity: Severity,
    pub code: String,
    /// The values the message names: (placeholder, value).
    pub args: Vec<(&'static str, String)>,
    /// Registry code of the school the problem belongs to, when known.
    pub school: Option<String>,
}

impl Issue {
    /// An issue of `code` (a key of `[issues]` in `schemas/messages.toml`) at `loc`, naming
    /// `values` in its message.
    pub fn new(
        severity: Severity,
        code: &str,
        loc: &Loc,
        values: &[(&'static str, &str)],
    ) -> Issue {
        Issue {
            file: loc.file.to_string(),
            sheet: loc.sheet.to_string(),
            row: loc.row,
            column: loc.col.map(column_letter),
            severity,
            code: code.to_string(),
            args: values.iter().map(|&(k, v)| (k, v.to_string())).collect(),
            school: None,
        }
    }

    /// The message the school reads.
    pub fn message(&self, messages: &Messages) -> String {
        let values: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fill(messages.issue(&self.code), &values)
    }

    /// The message split into what is wrong and what to do: at its "đề nghị …" when it has
    /// one, else the fix `messages.toml` gives for the code.
    pub fn what_and_fix(&self, messages: &Messages) -> (String, String) {
        let message = self.message(messages);
        let at = message.find("Đề nghị").or_else(|| message.find("đề nghị"));
        match at {
            Some(0) | None => (message, messages.fix(&self.code).to_string()),
            Some(at) => {
                let what = message[..at].trim_end_matches([' ', ';', ',', '.']);
                let fix = &message[at + "đ".len()..];
                (format!("{what}."), format!("Đ{fix}"))
            }
        }
    }

    pub fn for_school(mut self, code: Option<&str>) -> Issue {
        self.school = code.map(str::to_string);
        self
    }

    /// Where the problem is, as a school finds it: "Đội ngũ!G12", "Đội ngũ, dòng 12", the sheet,
    /// or nothing for the file as a whole.
    pub fn location(&self, s: &crate::domain::schema::Schemas) -> String {
        let sheet = self.sheet.as_str();
        match (sheet.is_empty(), self.row, self.column.as_deref()) {
            (true, ..) => String::new(),
            (false, Some(row), Some(col)) => format!("{sheet}!{col}{row}"),
            (false, Some(row), None) => fill(
                s.label("letter_sheet_row"),
                &[("sheet", sheet), ("row", &row.to_string())],
            ),
            (false, None, _) => sheet.to_string(),
        }
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
