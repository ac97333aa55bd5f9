//! Compares each school with the staff criteria of accreditation and national-standard
//! recognition, and with its own registered targets. Every rule is data in
//! `schemas/targets.toml` (`domain::criteria`); this module only knows how to measure the
//! metrics it names.

use crate::analyse::aggregate::Measures;
use crate::domain::criteria::{Metric, Op, Targets};
use crate::domain::model::School;
use serde::Serialize;
use std::collections::BTreeMap;

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
fn judge(f: &Figure, op: Op, threshold: f64) -> (bool, f64, u32) {
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
                Op::AtMost => f.num as f64 * 100.0 <= threshold * den as f64 + 1e-9,
                Op::AtLeast => den > 0 && f.num >= needed,
            };
            (
                met,
                value,
                if op == Op::AtMost {
                    0
                } else {
                    needed.saturating_sub(f.num)
                },
            )
        }
        None => {
            let value = f.num as f64;
            let met = if op == Op::AtMost {
                value <= threshold
            } else {
                value >= threshold
            };
            let gap = if op == Op::AtMost {
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
        let (met, value, gap_people) = judge(&f, rule.op, threshold);
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
                judge(&figure(goal.metric, m, school, t), Op::AtLeast, threshold);
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
        assert_eq!(judge(&f(19, 20), Op::AtLeast, 95.0), (true, 95.0, 0));
        let (met, _, gap) = judge(&f(18, 19), Op::AtLeast, 95.0);
        assert_eq!((met, gap), (false, 1));
        // 3 of 5 is exactly 60%.
        assert!(judge(&f(3, 5), Op::AtLeast, 60.0).0);
        assert!(!judge(&f(0, 0), Op::AtLeast, 60.0).0);
    }
}
