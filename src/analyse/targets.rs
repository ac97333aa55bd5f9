//! Compares each school with the staff criteria of accreditation and national-standard
//! recognition, and with its own registered targets. Every rule is data in
//! `schemas/targets.toml`; this module only knows how to measure the metrics it names.

use crate::analyse::aggregate::Measures;
use crate::domain::model::School;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

const DEFAULT_TARGETS: &str = include_str!("../../schemas/targets.toml");
const DEFAULT_NORMS: &str = include_str!("../../schemas/norms.toml");

/// What a rule measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    ShareTeachersMeetingStandard,
    ShareTeachersAboveStandard,
    ShareTeachersRatedPassOrBetter,
    ShareTeachersRatedFairOrBetter,
    ShareTeachersRatedGood,
    ShareManagersRatedPassOrBetter,
    ShareManagersRatedFairOrBetter,
    ShareManagersRatedGood,
    ShareManagersWithPoliticalTheory,
    ShareAssessedCompletedTraining,
    TeachersAgainstNorm,
    MissingSupportPosts,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub id: String,
    pub criterion: String,
    pub level: u8,
    pub school_levels: Vec<String>,
    pub metric: Metric,
    pub op: String,
    pub threshold: f64,
    #[serde(default)]
    pub threshold_disadvantaged: Option<f64>,
    pub wording: String,
    #[serde(default)]
    pub gap_unit: String,
    pub source: String,
    pub verified: bool,
    #[serde(default)]
    pub informative: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Goal {
    pub column: String,
    pub metric: Metric,
    pub wording: String,
    #[serde(default)]
    pub gap_unit: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Levels {
    pub max_level: u8,
    pub criteria: Vec<String>,
    /// National-standard level → accreditation level it needs.
    pub national_standard: BTreeMap<String, u8>,
}

/// `schemas/targets.toml` and `schemas/norms.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Targets {
    pub rules: Vec<Rule>,
    pub support_posts: BTreeMap<String, Vec<String>>,
    pub levels: Levels,
    pub goals: Vec<Goal>,
    #[serde(skip)]
    pub norms: Norms,
}

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

impl Targets {
    /// The embedded defaults, each replaced by the file of the same name in `dir` if present.
    pub fn load(dir: Option<&Path>) -> Result<Targets> {
        let read = |name: &str, default: &str| -> Result<String> {
            match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(p) => std::fs::read_to_string(&p)
                    .with_context(|| format!("không đọc được {}", p.display())),
                None => Ok(default.to_string()),
            }
        };
        let mut targets: Targets = toml::from_str(&read("targets.toml", DEFAULT_TARGETS)?)
            .context("schemas/targets.toml")?;
        targets.norms =
            toml::from_str(&read("norms.toml", DEFAULT_NORMS)?).context("schemas/norms.toml")?;
        Ok(targets)
    }
}

/// One rule judged for one school.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub rule: String,
    pub criterion: String,
    pub level: u8,
    pub met: bool,
    /// Percent for share metrics, a count otherwise.
    pub value: f64,
    pub threshold: f64,
    /// People (or posts) still needed to meet the rule.
    pub gap_people: u32,
    pub informative: bool,
}

/// A school's own goal from the registry, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalResult {
    pub column: String,
    pub met: bool,
    pub value: f64,
    pub threshold: f64,
    pub gap_people: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reachable {
    pub accreditation_level: u8,
    pub national_standard_level: u8,
}

/// Everything judged for one school.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchoolTargets {
    pub targets: Vec<RuleResult>,
    /// Highest level of each criterion met on the measurable clauses.
    pub criteria: BTreeMap<String, u8>,
    pub reachable: Reachable,
    /// Whether the registered accreditation / national-standard targets are within reach.
    pub target_reachable: Option<bool>,
    pub goals: Vec<GoalResult>,
}

/// A measured figure: numerator over denominator (a share), or a plain count.
struct Figure {
    num: u32,
    den: Option<u32>,
}

fn figure(metric: Metric, m: &Measures, school: &School, t: &Targets) -> Figure {
    let share = |num, den| Figure {
        num,
        den: Some(den),
    };
    match metric {
        Metric::ShareTeachersMeetingStandard => {
            share(m.stats.teachers_meeting_standard, m.stats.staff.teachers)
        }
        Metric::ShareTeachersAboveStandard => {
            share(m.stats.teachers_above_standard, m.stats.staff.teachers)
        }
        Metric::ShareTeachersRatedPassOrBetter => {
            share(m.teachers_rated.pass_or_better, m.stats.staff.teachers)
        }
        Metric::ShareTeachersRatedFairOrBetter => {
            share(m.teachers_rated.fair_or_better, m.stats.staff.teachers)
        }
        Metric::ShareTeachersRatedGood => share(m.teachers_rated.good, m.stats.staff.teachers),
        Metric::ShareManagersRatedPassOrBetter => {
            share(m.managers_rated.pass_or_better, m.stats.staff.managers)
        }
        Metric::ShareManagersRatedFairOrBetter => {
            share(m.managers_rated.fair_or_better, m.stats.staff.managers)
        }
        Metric::ShareManagersRatedGood => share(m.managers_rated.good, m.stats.staff.managers),
        Metric::ShareManagersWithPoliticalTheory => {
            share(m.managers_with_political_theory, m.stats.staff.managers)
        }
        Metric::ShareAssessedCompletedTraining => share(m.stats.training.completed, m.assessed),
        Metric::TeachersAgainstNorm => share(
            m.stats.staff.teachers,
            t.norms.teachers_per_class.required(school).unwrap_or(0),
        ),
        Metric::MissingSupportPosts => {
            let posts = t
                .support_posts
                .get(&school.level)
                .cloned()
                .unwrap_or_default();
            let missing = posts
                .iter()
                .filter(|p| !p.split('|').any(|r| m.roles.contains(r)))
                .count();
            Figure {
                num: missing as u32,
                den: None,
            }
        }
    }
}

/// Judges `num/den` (or `num`) against a threshold, exactly: 94.99% is not 95%.
fn judge(f: &Figure, op: &str, threshold: f64) -> (bool, f64, u32) {
    match f.den {
        Some(den) => {
            let value = if den == 0 {
                0.0
            } else {
                f.num as f64 * 100.0 / den as f64
            };
            // Smallest count that reaches the threshold share of `den`.
            let needed = ((threshold * den as f64 / 100.0) - 1e-9).ceil().max(0.0) as u32;
            let met = match op {
                "<=" => f.num as f64 * 100.0 <= threshold * den as f64 + 1e-9,
                _ => den > 0 && f.num >= needed,
            };
            (
                met,
                value,
                if op == "<=" {
                    0
                } else {
                    needed.saturating_sub(f.num)
                },
            )
        }
        None => {
            let value = f.num as f64;
            let met = if op == "<=" {
                value <= threshold
            } else {
                value >= threshold
            };
            let gap = if op == "<=" {
                (value - threshold).max(0.0)
            } else {
                (threshold - value).max(0.0)
            };
            (met, value, gap as u32)
        }
    }
}

/// Judges every rule that applies to `school`, the levels it can reach and its own targets.
pub fn evaluate(school: &School, m: &Measures, t: &Targets) -> SchoolTargets {
    let mut out = SchoolTargets::default();
    for rule in t
        .rules
        .iter()
        .filter(|r| r.school_levels.contains(&school.level))
    {
        let threshold = match (school.disadvantaged, rule.threshold_disadvantaged) {
            (true, Some(x)) => x,
            _ => rule.threshold,
        };
        let f = figure(rule.metric, m, school, t);
        let (met, value, gap_people) = judge(&f, &rule.op, threshold);
        // For the norm rule the comparable figures are people: teachers against the norm.
        let (value, threshold) = match rule.metric {
            Metric::TeachersAgainstNorm => {
                (f.num as f64, f.den.unwrap_or(0) as f64 * threshold / 100.0)
            }
            _ => (value, threshold),
        };
        out.targets.push(RuleResult {
            rule: rule.id.clone(),
            criterion: rule.criterion.clone(),
            level: rule.level,
            met,
            value: (value * 100.0).round() / 100.0,
            threshold,
            gap_people,
            informative: rule.informative,
        });
    }
    for criterion in &t.levels.criteria {
        let level = (1..=t.levels.max_level)
            .take_while(|&l| {
                out.targets
                    .iter()
                    .filter(|r| &r.criterion == criterion && r.level == l && !r.informative)
                    .all(|r| r.met)
            })
            .last()
            .unwrap_or(0);
        out.criteria.insert(criterion.clone(), level);
    }
    let accreditation = out.criteria.values().copied().min().unwrap_or(0);
    let national = t
        .levels
        .national_standard
        .iter()
        .filter(|(_, &needs)| accreditation >= needs)
        .filter_map(|(k, _)| k.parse::<u8>().ok())
        .max()
        .unwrap_or(0);
    out.reachable = Reachable {
        accreditation_level: accreditation,
        national_standard_level: national,
    };
    let wanted = |k: &str| school.figures.get(k).map(|x| x.round() as u8);
    out.target_reachable = match (
        wanted("accreditation_target"),
        wanted("national_standard_target"),
    ) {
        (None, None) => None,
        (a, n) => Some(a.is_none_or(|a| a <= accreditation) && n.is_none_or(|n| n <= national)),
    };
    for goal in &t.goals {
        if let Some(&threshold) = school.figures.get(&goal.column) {
            let (met, value, gap_people) =
                judge(&figure(goal.metric, m, school, t), ">=", threshold);
            let value = (value * 100.0).round() / 100.0;
            out.goals.push(GoalResult {
                column: goal.column.clone(),
                met,
                value,
                threshold,
                gap_people,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_judged_exactly() {
        let f = |num, den| Figure {
            num,
            den: Some(den),
        };
        // 19 of 20 is 95%: met; 18 of 19 is 94.7%: one more person needed.
        assert_eq!(judge(&f(19, 20), ">=", 95.0), (true, 95.0, 0));
        let (met, _, gap) = judge(&f(18, 19), ">=", 95.0);
        assert_eq!((met, gap), (false, 1));
        // 3 of 5 is exactly 60%.
        assert!(judge(&f(3, 5), ">=", 60.0).0);
        assert!(!judge(&f(0, 0), ">=", 60.0).0);
    }
}
