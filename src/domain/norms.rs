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
    /// The kinds of multi-level school and the levels each teaches.
    pub multi_level: Vec<MultiLevel>,
    pub boarding: Boarding,
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
    /// For multi-level schools of at least `multi_level_min_classes` classes (NĐ 120/2020 as
    /// amended by NĐ 83/2024).
    pub max_vice_principals_multi_level: u32,
    pub multi_level_min_classes: f64,
}

impl ManagerNorms {
    /// The most vice-principals `school` may have.
    pub fn max_vice_principals_of(&self, school: &School) -> u32 {
        let classes = school.classes.unwrap_or(0.0);
        if school.levels.len() > 1 && classes >= self.multi_level_min_classes {
            self.max_vice_principals_multi_level
        } else {
            self.max_vice_principals
        }
    }
}

/// A kind of multi-level school: the levels it teaches and the words that name it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MultiLevel {
    pub levels: Vec<String>,
    pub words: Vec<String>,
}

/// Words naming a boarding or semi-boarding school for ethnic minorities.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Boarding {
    pub words: Vec<String>,
}

/// Whether `text` holds one of `words` as whole words, ignoring case and diacritics.
pub fn names_any(text: &str, words: &[String]) -> bool {
    let text = format!(" {} ", crate::domain::text::fold(text));
    words.iter().any(|w| {
        let w = crate::domain::text::fold(w);
        !w.is_empty() && text.contains(&format!(" {w} "))
    })
}

impl Norms {
    /// The levels a school teaches, from its Cấp học / Loại hình `cells` or its name: those
    /// of the first kind of multi-level school one of them names, else none (a single
    /// level). Digit codes ("12") count in the cells only: "Trường Tiểu học số 12" is one level.
    ///
    /// ```
    /// let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    /// let n = &s.targets.norms;
    /// assert_eq!(n.levels_taught(&["TH&THCS"], "Trường Kim Đồng"), ["tieu_hoc", "thcs"]);
    /// assert_eq!(n.levels_taught(&["12"], "Trường Kim Đồng"), ["tieu_hoc", "thcs"]);
    /// assert!(n.levels_taught(&["Tiểu học"], "Trường Tiểu học số 12").is_empty());
    /// ```
    pub fn levels_taught(&self, cells: &[&str], name: &str) -> Vec<String> {
        // The longest list first: "TH, THCS và THPT" also holds "THCS và THPT".
        let mut kinds: Vec<&MultiLevel> = self.multi_level.iter().collect();
        kinds.sort_by_key(|k| std::cmp::Reverse(k.levels.len()));
        let in_name = |k: &MultiLevel| {
            let words: Vec<String> = k
                .words
                .iter()
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
                .cloned()
                .collect();
            names_any(name, &words)
        };
        kinds
            .into_iter()
            .find(|k| cells.iter().any(|t| names_any(t, &k.words)) || in_name(k))
            .map(|k| k.levels.clone())
            .unwrap_or_default()
    }

    /// Whether one of `texts` names a PTDTNT / PTDTBT school.
    pub fn is_boarding(&self, texts: &[&str]) -> bool {
        texts.iter().any(|t| names_any(t, &self.boarding.words))
    }
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
    pub pioneer_leader_per_school: u32,
    /// How classes × ratio becomes a whole number of teachers.
    pub rounding: Rounding,
    #[serde(flatten)]
    pub by_level: BTreeMap<String, toml::Value>,
}

/// Why a school's teacher norm cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoNorm {
    /// The registry gives no "Số lớp".
    Classes,
    /// The registry gives no "Số buổi/ngày" for a school with primary classes.
    Sessions,
    /// A multi-level school without its classes of each level.
    ClassesPerLevel,
}

impl TeachersPerClass {
    /// Teachers per class of `level` at `school`: the boarding ratio for a PTDTNT / PTDTBT
    /// school when the level has one, else the one of its sessions a day.
    pub fn ratio(&self, level: &str, school: &School) -> Result<f64, NoNorm> {
        let table = self.by_level.get(level).ok_or(NoNorm::Classes)?;
        if school.boarding {
            if let Some(r) = table.get("boarding").and_then(|v| v.as_float()) {
                return Ok(r);
            }
        }
        let sessions = match school.sessions {
            Some(s) => s.round() as u8,
            None if self.needs_sessions(level) => return Err(NoNorm::Sessions),
            // Any key: the ratio does not depend on it.
            None => 2,
        };
        table
            .get(format!("sessions_{sessions}"))
            .and_then(|v| v.as_float())
            .ok_or(NoNorm::Sessions)
    }

    /// The most teachers a school may have (TT 20/2023): for each level it teaches, its
    /// classes × ratio made whole (`rounding`), plus the Tổng phụ trách Đội.
    pub fn required(&self, school: &School) -> Result<u32, NoNorm> {
        let classes = school.classes.ok_or(NoNorm::Classes)?;
        let parts: Vec<(&str, f64)> = if school.levels.len() > 1 {
            let of = |l: &str| school.figures.get(&format!("classes_{l}")).copied();
            school
                .levels
                .iter()
                .map(|l| of(l).map(|c| (l.as_str(), c)))
                .collect::<Option<_>>()
                .ok_or(NoNorm::ClassesPerLevel)?
        } else {
            vec![(school.level.as_str(), classes)]
        };
        let mut total = 0;
        for (level, classes) in parts {
            if classes > 0.0 {
                total += self.whole(classes * self.ratio(level, school)?);
            }
        }
        Ok(total + self.pioneer_leader_per_school)
    }

    fn whole(&self, x: f64) -> u32 {
        // A product such as 12 × 1.9 = 22.799999… is 22.8: rounded to 6 decimals first.
        let exact = (x * 1e6).round() / 1e6;
        let whole = match self.rounding {
            Rounding::Down => exact.floor(),
            Rounding::Nearest => exact.round(),
            Rounding::Up => exact.ceil(),
        };
        whole as u32
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
