//! Staffing norms, as written in `schemas/norms.toml`: teachers per class (TT 20/2023),
//! principals and vice-principals, the retirement schedule (NĐ 135/2020) and the age bands of
//! the staffing report.

use crate::domain::model::School;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Norms {
    pub teachers_per_class: TeachersPerClass,
    pub managers: ManagerNorms,
    pub retirement: Retirement,
    pub age_bands: AgeBands,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ManagerNorms {
    pub source: String,
    pub principals: u32,
    pub max_vice_principals: u32,
}

/// Retirement age in months by year of retirement, for one sex.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct AgeSchedule {
    pub before: u32,
    pub start: u32,
    pub step: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Retirement {
    pub source: String,
    pub from_year: i32,
    pub forecast_years: u32,
    pub male: AgeSchedule,
    pub female: AgeSchedule,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgeBands {
    pub limits: Vec<u32>,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeachersPerClass {
    pub source: String,
    pub default_sessions: u8,
    pub pioneer_leader_per_school: u32,
    #[serde(flatten)]
    pub by_level: BTreeMap<String, toml::Value>,
}

impl TeachersPerClass {
    /// Teachers per class for a school level and sessions a day.
    pub fn ratio(&self, level: &str, sessions: Option<f64>) -> Option<f64> {
        let sessions = sessions
            .map(|s| s.round() as u8)
            .unwrap_or(self.default_sessions);
        self.by_level
            .get(level)?
            .get(format!("sessions_{sessions}"))?
            .as_float()
    }

    /// Teachers a school should have: round(classes × ratio) plus the Tổng phụ trách Đội.
    /// None when the registry gives no classes.
    pub fn required(&self, school: &School) -> Option<u32> {
        let classes = school.classes?;
        let ratio = self.ratio(&school.level, school.sessions)?;
        Some((classes * ratio).round() as u32 + self.pioneer_leader_per_school)
    }
}
