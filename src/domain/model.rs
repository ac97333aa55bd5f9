//! The normalised records every later stage works on.

use chrono::NaiveDate;
/// Short texts (names, codes) are stored inline: a district's people are millions of small
/// strings, and a heap allocation each would double the memory.
pub use compact_str::CompactString as Text;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

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

/// The three groups of staff a school's figures are split into: managers (CBQL), teachers
/// (GV) and support staff (NV). A role's group is set in the `role` vocabulary.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Deserialize, Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Manager,
    Teacher,
    #[default]
    Support,
}

impl Category {
    /// The code used in the tables, summary.json and `schemas/*.toml`.
    pub fn code(self) -> &'static str {
        match self {
            Category::Manager => "manager",
            Category::Teacher => "teacher",
            Category::Support => "support",
        }
    }
}

/// A person's sex as the retirement schedule and the figures need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// From a code of the `gender` vocabulary.
    pub fn from_code(code: &str) -> Option<Gender> {
        match code {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

/// The BDTX result a person is counted under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Completed,
    NotCompleted,
}

impl Outcome {
    /// From a code of the `training_result` vocabulary.
    pub fn from_code(code: &str) -> Option<Outcome> {
        match code {
            "completed" => Some(Outcome::Completed),
            "not_completed" => Some(Outcome::NotCompleted),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::NotCompleted => "not_completed",
        }
    }
}

/// A person from a staff list, with canonical codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub loc: Loc,
    /// Registry code of the school, set when the file is attributed.
    pub school: Text,
    pub name: Text,
    /// Folded name used for joining and duplicate checks.
    pub name_key: Text,
    pub birth_date: Option<NaiveDate>,
    /// How much of `birth_date` the school wrote ("1997" is a year only).
    pub birth_precision: Precision,
    pub gender: Option<Gender>,
    pub ethnicity: Option<Text>,
    pub minority: bool,
    pub party_member: bool,
    /// Role code from the `role` vocabulary and its category (manager, teacher, support).
    pub role: Text,
    pub category: Category,
    /// Posts held concurrently (kiêm nhiệm), role codes joined by ",": "Giáo viên kiêm thư
    /// viện" is a teacher holding "library".
    pub concurrent: Option<Text>,
    pub subject: Option<Text>,
    /// The subject taught, a code of the `subject` vocabulary: from Môn dạy, else from the
    /// role ("Giáo viên Tiếng Anh").
    pub subject_code: Option<Text>,
    pub qualification: Option<Text>,
    pub political_theory: Option<Text>,
    pub it_level: Option<Text>,
    pub language_level: Option<Text>,
    pub standard_rating: Option<Text>,
    pub civil_servant_rating: Option<Text>,
    /// Marked as studying to reach the training standard ("Đang học nâng chuẩn").
    pub upgrading: bool,
    /// "permanent" (biên chế) or "contract" (hợp đồng), from the `employment` vocabulary.
    pub employment: Option<Text>,
    /// Holds the education-management training certificate (bồi dưỡng CBQL giáo dục): None
    /// when not written (a blank cell or no such column).
    pub management_training: Option<bool>,
    /// Holds the state-management training certificate (quản lý nhà nước).
    pub state_management: bool,
}

/// A row of a BDTX results sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRow {
    pub loc: Loc,
    pub school: Text,
    pub name: Text,
    pub name_key: Text,
    pub birth_date: Option<NaiveDate>,
    pub birth_precision: Precision,
    pub role: Option<Text>,
    /// One score per content in `[training].contents`; None when blank or invalid.
    pub scores: Vec<Option<f64>>,
    pub modules: Option<Text>,
    /// Result as written by the school ("completed" / "not_completed").
    pub declared: Option<Text>,
    /// Result bdtx retains: from the scores when present, else the declared one.
    pub outcome: Option<Outcome>,
    /// TT 26/2012 grade (code of `[training.tt26].grades`) when that rule set is chosen.
    pub grade: Option<Text>,
}

/// How much of a date was written: a full date, a month and year ("10/1997"), or a year
/// only ("1997", stored as 1 January).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    #[default]
    Day,
    Month,
    Year,
}

impl Precision {
    /// Whether two birth dates can be the same person's: they agree at the coarser precision.
    ///
    /// ```
    /// use bdtx::domain::model::Precision;
    /// let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let year_only = (d(1997, 1, 1), Precision::Year);
    /// assert!(Precision::compatible(year_only, (d(1997, 10, 14), Precision::Day)));
    /// assert!(!Precision::compatible(year_only, (d(1998, 10, 14), Precision::Day)));
    /// assert!(!Precision::compatible((d(1997, 1, 1), Precision::Day), (d(1997, 10, 14), Precision::Day)));
    /// ```
    pub fn compatible(a: (NaiveDate, Precision), b: (NaiveDate, Precision)) -> bool {
        use chrono::Datelike;
        match a.1.max(b.1) {
            Precision::Day => a.0 == b.0,
            Precision::Month => (a.0.year(), a.0.month()) == (b.0.year(), b.0.month()),
            Precision::Year => a.0.year() == b.0.year(),
        }
    }

    /// The date as far as it was written: "14/10/1997", "10/1997" or "1997".
    ///
    /// ```
    /// use bdtx::domain::model::Precision;
    /// let d = chrono::NaiveDate::from_ymd_opt(1997, 1, 1).unwrap();
    /// assert_eq!(Precision::Year.format(d), "1997");
    /// assert_eq!(Precision::Day.format(d), "01/01/1997");
    /// ```
    pub fn format(self, date: NaiveDate) -> String {
        let pattern = match self {
            Precision::Day => "%d/%m/%Y",
            Precision::Month => "%m/%Y",
            Precision::Year => "%Y",
        };
        date.format(pattern).to_string()
    }
}

/// A school from the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    pub code: String,
    pub name: String,
    /// "tieu_hoc" or "thcs" (codes of the `school_level` vocabulary).
    pub level: String,
    pub commune: Option<String>,
    /// "Cụm/Khu vực", when the registry groups communes.
    pub cluster: Option<String>,
    pub classes: Option<f64>,
    pub students: Option<f64>,
    pub sessions: Option<f64>,
    /// Flagged "Vùng khó khăn" in the registry: lower thresholds apply.
    pub disadvantaged: bool,
    /// The levels a multi-level school teaches (TH&THCS: tieu_hoc, thcs); empty for a school
    /// of one level. Its teacher norm is computed per level (TT 20/2023 Art. 2.5).
    pub levels: Vec<String>,
    /// A PTDTNT / PTDTBT school (its level's boarding ratio applies).
    pub boarding: bool,
    /// Every other numeric registry column, by key (current and target levels, goals …).
    pub figures: std::collections::BTreeMap<String, f64>,
}

impl School {
    /// A school known only by code, name and level (`tieu_hoc` / `thcs`); the rest empty.
    pub fn new(code: &str, name: &str, level: &str) -> School {
        School {
            code: code.into(),
            name: name.into(),
            level: level.into(),
            commune: None,
            cluster: None,
            classes: None,
            students: None,
            sessions: None,
            disadvantaged: false,
            levels: Vec::new(),
            boarding: false,
            figures: Default::default(),
        }
    }
}
