//! The normalised records every later stage works on.

use crate::issue::Loc;
use chrono::NaiveDate;

/// A person from a staff list, with canonical codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub loc: Loc,
    /// Registry code of the school, set when the file is attributed.
    pub school: String,
    pub name: String,
    /// Folded name used for joining and duplicate checks.
    pub name_key: String,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub minority: bool,
    pub party_member: bool,
    /// Role code from the `role` vocabulary and its category (manager, teacher, support).
    pub role: String,
    pub category: String,
    pub subject: Option<String>,
    pub qualification: Option<String>,
    pub political_theory: Option<String>,
    pub it_level: Option<String>,
    pub language_level: Option<String>,
    pub standard_rating: Option<String>,
    pub civil_servant_rating: Option<String>,
    /// Marked as studying to reach the training standard ("Đang học nâng chuẩn").
    pub upgrading: bool,
}

/// A row of a BDTX results sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRow {
    pub loc: Loc,
    pub school: String,
    pub name: String,
    pub name_key: String,
    pub birth_date: Option<NaiveDate>,
    pub role: Option<String>,
    /// One score per content in `[training].contents`; None when blank or invalid.
    pub scores: Vec<Option<f64>>,
    pub modules: Option<String>,
    /// Result as written by the school ("completed" / "not_completed").
    pub declared: Option<String>,
    /// Result bdtx retains: from the scores when present, else the declared one.
    pub outcome: Option<String>,
    /// TT 26/2012 grade (code of `[training.tt26].grades`) when that rule set is chosen.
    pub grade: Option<String>,
}

/// A school from the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    pub code: String,
    pub name: String,
    /// "tieu_hoc" or "thcs" (codes of the `school_level` vocabulary).
    pub level: String,
    pub commune: Option<String>,
    pub classes: Option<f64>,
    pub students: Option<f64>,
    pub sessions: Option<f64>,
    /// Flagged "Vùng khó khăn" in the registry: lower thresholds apply.
    pub disadvantaged: bool,
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
            classes: None,
            students: None,
            sessions: None,
            disadvantaged: false,
            figures: Default::default(),
        }
    }
}
