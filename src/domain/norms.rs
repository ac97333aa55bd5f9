//! Staffing norms, as written in `schemas/norms.toml`: teachers per class (TT 20/2023),
//! principals and vice-principals, the retirement schedule (NĐ 135/2020) and the age bands of
//! the staffing report.

use crate::domain::model::{Person, School};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Norms {
    pub teachers_per_class: TeachersPerClass,
    pub managers: ManagerNorms,
    pub retirement: Retirement,
    pub age_bands: AgeBands,
    pub upgrading: Upgrading,
}

/// Who of the teachers below the training standard must upgrade (NĐ 71/2020 Art. 2): those
/// with enough service left before retirement on the roadmap's start date.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Upgrading {
    pub source: String,
    /// The roadmap's start month (7/2020).
    pub from_year: i32,
    pub from_month: u32,
    /// Months of service left on `from` needed to be subject to upgrading.
    pub months_left: u32,
    /// The same for primary teachers whose highest qualification is trung cấp.
    pub months_left_primary_intermediate: u32,
}

impl Norms {
    /// Whether `p`, a teacher below the standard in a school of `level`, must upgrade: with
    /// no birth date or sex the service left is unknown, and the teacher is counted as one
    /// who must.
    pub fn must_upgrade(&self, p: &Person, level: &str) -> bool {
        let (Some(birth), Some(gender)) = (p.birth_date, p.gender) else {
            return true;
        };
        let female = gender == crate::domain::model::Gender::Female;
        let (year, month) = retirement_month(birth, female, &self.retirement);
        let u = &self.upgrading;
        let left = (year * 12 + month as i32) - (u.from_year * 12 + u.from_month as i32);
        let needed = if level == "tieu_hoc" && p.qualification.as_deref() == Some("intermediate") {
            self.upgrading.months_left_primary_intermediate
        } else {
            self.upgrading.months_left
        };
        left >= needed as i32
    }
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
    /// Ages and retirements are taken on this day of the school year's last year (month, day).
    pub reference_month: u32,
    pub reference_day: u32,
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

/// How a number of teachers with a fraction is made whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    #[default]
    Down,
    Nearest,
    Up,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeachersPerClass {
    pub source: String,
    pub default_sessions: u8,
    pub pioneer_leader_per_school: u32,
    /// How classes × ratio becomes a whole number of teachers.
    pub rounding: Rounding,
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

    /// Teachers a school should have: classes × ratio made whole (`rounding`) plus the Tổng
    /// phụ trách Đội. None when the registry gives no classes.
    pub fn required(&self, school: &School) -> Option<u32> {
        let classes = school.classes?;
        let ratio = self.ratio(&school.level, school.sessions)?;
        // A product such as 12 × 1.9 = 22.799999… is 22.8: rounded to 6 decimals first.
        let exact = (classes * ratio * 1e6).round() / 1e6;
        let whole = match self.rounding {
            Rounding::Down => exact.floor(),
            Rounding::Nearest => exact.round(),
            Rounding::Up => exact.ceil(),
        };
        Some(whole as u32 + self.pioneer_leader_per_school)
    }

    /// Whether the ratio of `level` depends on the sessions a day, so that a school without
    /// its "Số buổi/ngày" cannot be measured against the norm.
    pub fn needs_sessions(&self, level: &str) -> bool {
        let ratio = |n: u8| {
            self.by_level
                .get(level)
                .and_then(|v| v.get(format!("sessions_{n}")))
        };
        ratio(1) != ratio(2)
    }
}

/// The month (year, month) a person reaches retirement age: the first month whose age in
/// months reaches the age required in that month's year (NĐ 135/2020 Art. 3–4).
///
/// ```
/// use bdtx::domain::norms::retirement_month;
/// let s = bdtx::domain::schema::Schemas::load(None).unwrap();
/// let r = &s.targets.norms.retirement;
/// let born = |y, m| chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap();
/// assert_eq!(retirement_month(born(1965, 5), false, r), (2026, 11));
/// assert_eq!(retirement_month(born(1970, 3), true, r), (2027, 7));
/// assert_eq!(retirement_month(born(1961, 10), false, r), (2022, 4));
/// ```
pub fn retirement_month(birth: NaiveDate, female: bool, r: &Retirement) -> (i32, u32) {
    let schedule = if female { r.female } else { r.male };
    let born = birth.year() * 12 + birth.month0() as i32;
    // Ages only rise, so the first month at or past the age of its year is the one.
    let mut month = born + schedule.before.min(schedule.start) as i32;
    loop {
        let year = month.div_euclid(12);
        if month - born >= age_in(year, &schedule, r.from_year) as i32 {
            return (year, month.rem_euclid(12) as u32 + 1);
        }
        month += 1;
    }
}

fn age_in(year: i32, s: &AgeSchedule, from_year: i32) -> u32 {
    if year < from_year {
        s.before
    } else {
        (s.start + s.step * (year - from_year) as u32).min(s.max)
    }
}
