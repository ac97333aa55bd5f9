//! Compares each school with the staff criteria of accreditation and national-standard
//! recognition, and with its own registered targets. Every rule is data in
//! `schemas/targets.toml` (`domain::criteria`); this module only knows how to measure the
//! metrics it names.

use crate::analyse::aggregate::Measures;
use crate::analyse::groups::GroupCounts;
use crate::domain::criteria::{Metric, Op, Targets};
use crate::domain::model::School;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the data says of a rule: met, not met, or not judged (with the reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgment {
    Met,
    NotMet,
    NotJudged,
}

/// Why a rule is not judged; each has a label `reason_<code>` in `report.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotJudged {
    /// The school sent no staff list.
    NoStaffData,
    /// Nobody the rule counts (a share of managers in a school with none listed).
    NobodyCounted,
    /// The registry gives no "Số lớp" for the school.
    NoClasses,
    /// The registry gives no "Số buổi/ngày" for a primary school.
    NoSessions,
    /// A multi-level school without its classes of each level in the registry.
    NoClassesPerLevel,
    /// The staff list names no teacher's subject (no Môn dạy, no subject in the role).
    NoSubjects,
    /// Counting the people whose value is not written as failing and as passing gives
    /// different answers.
    MissingValues,
}

impl NotJudged {
    pub fn code(self) -> &'static str {
        match self {
            NotJudged::NoStaffData => "no_staff_data",
            NotJudged::NobodyCounted => "nobody_counted",
            NotJudged::NoClasses => "no_classes",
            NotJudged::NoSessions => "no_sessions",
            NotJudged::NoClassesPerLevel => "no_classes_per_level",
            NotJudged::NoSubjects => "no_subjects",
            NotJudged::MissingValues => "missing_values",
        }
    }
}

/// One rule judged for one school.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub rule: String,
    pub criterion: String,
    pub level: u8,
    pub judgment: Judgment,
    /// Set when `judgment` is `not_judged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_judged: Option<NotJudged>,
    /// `judgment == met`, kept for readers of earlier summaries.
    pub met: bool,
    /// Percent for share metrics (people whose value is not written counted as failing), a
    /// count otherwise.
    pub value: f64,
    pub threshold: f64,
    /// People (or posts) still needed to meet the rule, when it is not met.
    pub gap_people: u32,
    /// People the rule counts whose value is not written.
    pub unknown: u32,
    pub informative: bool,
    /// What is missing, for rules on posts and subjects: post entries of `[support_posts]`
    /// or subject entries of `[programme_subjects]` nobody fills.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// A school's own goal from the registry, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalResult {
    pub column: String,
    pub judgment: Judgment,
    pub met: bool,
    pub value: f64,
    pub threshold: f64,
    pub gap_people: u32,
    pub unknown: u32,
}

/// The highest levels the staff data leaves open: a level with a rule not met caps the
/// school below it. None when no Mức 1 rule is shown not met and the Mức 1 of some
/// criterion could not be judged either way.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reachable {
    pub accreditation_level: Option<u8>,
    pub national_standard_level: Option<u8>,
}

/// Everything judged for one school.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchoolTargets {
    pub targets: Vec<RuleResult>,
    /// Highest level of each criterion shown met by the data: every level up to it has at
    /// least one judged rule, and all its rules are met. 0 when a Mức 1 rule is not met;
    /// None when Mức 1 is neither shown met nor shown not met (a rule not judged).
    pub criteria: BTreeMap<String, Option<u8>>,
    pub reachable: Reachable,
    /// Whether the registered accreditation / national-standard targets are within reach.
    pub target_reachable: Option<bool>,
    pub goals: Vec<GoalResult>,
}

/// A measured figure: `num` people (or posts) of `den`, and `unknown` more whose value is
/// not written, who may or may not count.
struct Figure {
    num: u32,
    unknown: u32,
    den: Option<u32>,
    /// What is missing (posts, subjects), for the count metrics.
    missing: Vec<String>,
}

impl Figure {
    fn count(num: u32, unknown: u32, missing: Vec<String>) -> Figure {
        Figure {
            num,
            unknown,
            den: None,
            missing,
        }
    }
}

/// The entries of `wanted` ("library|equipment": either fills it) nobody in `have` fills.
pub fn unfilled<'w>(
    wanted: &'w [String],
    have: &std::collections::BTreeSet<String>,
) -> Vec<&'w String> {
    wanted
        .iter()
        .filter(|w| !w.split('|').any(|x| have.contains(x)))
        .collect()
}

/// The subjects of the programme of every level `school` teaches (a multi-level school's
/// levels together), without repeats.
pub fn programme_subjects<'t>(school: &School, t: &'t Targets) -> Vec<&'t String> {
    let levels: Vec<&str> = match school.levels.is_empty() {
        true => vec![school.level.as_str()],
        false => school.levels.iter().map(String::as_str).collect(),
    };
    let mut out: Vec<&String> = Vec::new();
    for level in levels {
        for subject in t.programme_subjects.get(level).into_iter().flatten() {
            if !out.contains(&subject) {
                out.push(subject);
            }
        }
    }
    out
}

/// The figure of `metric`, or why it cannot be measured.
fn figure(metric: Metric, m: &Measures, school: &School, t: &Targets) -> Result<Figure, NotJudged> {
    if m.stats.staff.total == 0 {
        return Err(NotJudged::NoStaffData);
    }
    let share = |num, unknown, den| {
        if den == 0 {
            Err(NotJudged::NobodyCounted)
        } else {
            Ok(Figure {
                num,
                unknown,
                den: Some(den),
                missing: Vec::new(),
            })
        }
    };
    let (teachers, managers) = (m.stats.staff.teachers, m.stats.staff.managers);
    let (t_unknown, m_unknown) = (m.teachers_unrated, m.managers_unrated);
    match metric {
        Metric::ShareTeachersMeetingStandard => share(
            m.stats.teachers_meeting_standard,
            m.teachers_without_qualification,
            teachers,
        ),
        Metric::ShareTeachersAboveStandard => share(
            m.stats.teachers_above_standard,
            m.teachers_without_qualification,
            teachers,
        ),
        Metric::ShareTeachersRatedPassOrBetter => {
            share(m.teachers_rated.pass_or_better, t_unknown, teachers)
        }
        Metric::ShareTeachersRatedFairOrBetter => {
            share(m.teachers_rated.fair_or_better, t_unknown, teachers)
        }
        Metric::ShareTeachersRatedGood => share(m.teachers_rated.good, t_unknown, teachers),
        Metric::ShareManagersRatedPassOrBetter => {
            share(m.managers_rated.pass_or_better, m_unknown, managers)
        }
        Metric::ShareManagersRatedFairOrBetter => {
            share(m.managers_rated.fair_or_better, m_unknown, managers)
        }
        Metric::ShareManagersRatedGood => share(m.managers_rated.good, m_unknown, managers),
        Metric::ShareManagersWithPoliticalTheory => share(
            m.managers_with_political_theory,
            m.managers_without_political_theory,
            managers,
        ),
        Metric::ShareAssessedCompletedTraining => share(
            m.stats.training.completed,
            m.stats.training.no_result,
            m.assessed,
        ),
        Metric::ShareAllStaffMeetingStandard => {
            let all = group(m, "all");
            share(all.meeting_standard, all.qualification_unknown, all.total)
        }
        Metric::ShareAllStaffAboveStandard => {
            let all = group(m, "all");
            share(all.above_standard, all.qualification_unknown, all.total)
        }
        Metric::ShareAllStaffPartyMembers => {
            let all = group(m, "all");
            share(all.party_members, 0, all.total)
        }
        Metric::ShareManagersAboveStandard => {
            let g = group(m, "managers");
            share(g.above_standard, g.qualification_unknown, g.total)
        }
        Metric::ShareManagersWithManagementTraining => {
            let g = group(m, "managers");
            share(
                g.management_training,
                g.management_training_unknown,
                g.total,
            )
        }
        Metric::ShareManagersWithStateManagement => {
            let g = group(m, "managers");
            share(g.state_management, 0, g.total)
        }
        Metric::ShareManagersWithIntermediatePoliticalTheory => {
            let g = group(m, "managers");
            let held = g.political_in(&crate::analyse::groups::INTERMEDIATE_OR_HIGHER);
            share(held, g.political_unknown(), g.total)
        }
        Metric::ShareTeachersOnContract => {
            let g = group(m, "teachers");
            share(g.contract, g.total - g.permanent - g.contract, g.total)
        }
        Metric::TeachersAgainstNorm => {
            use crate::domain::norms::NoNorm;
            match t.norms.teachers_per_class.required(school) {
                Ok(norm) => share(teachers, 0, norm),
                Err(NoNorm::Classes) => Err(NotJudged::NoClasses),
                Err(NoNorm::Sessions) => Err(NotJudged::NoSessions),
                Err(NoNorm::ClassesPerLevel) => Err(NotJudged::NoClassesPerLevel),
            }
        }
        Metric::MissingSupportPosts => {
            let posts = t
                .support_posts
                .get(&school.level)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let missing: Vec<String> = unfilled(posts, &m.roles).into_iter().cloned().collect();
            Ok(Figure::count(missing.len() as u32, 0, missing))
        }
        Metric::SubjectsWithoutTeacher => {
            if teachers == 0 {
                return Err(NotJudged::NobodyCounted);
            }
            if m.subjects.is_empty() {
                return Err(NotJudged::NoSubjects);
            }
            let wanted: Vec<String> = programme_subjects(school, t).into_iter().cloned().collect();
            let missing: Vec<String> = unfilled(&wanted, &m.subjects)
                .into_iter()
                .cloned()
                .collect();
            // A teacher whose subject is not written may teach one of the missing subjects.
            let unknown = (missing.len() as u32).min(m.teachers_without_subject);
            Ok(Figure::count(
                missing.len() as u32 - unknown,
                unknown,
                missing,
            ))
        }
    }
}

/// The figures of one group ("managers", "teachers", "support", "all"); none when nobody.
fn group<'m>(m: &'m Measures, name: &str) -> std::borrow::Cow<'m, GroupCounts> {
    match m.groups.get(name) {
        Some(g) => std::borrow::Cow::Borrowed(g),
        None => std::borrow::Cow::Owned(GroupCounts::default()),
    }
}

/// What judging one figure gives.
#[derive(Debug, PartialEq)]
struct Verdict {
    judgment: Judgment,
    /// Percent of `den` counted (unknowns failing), or the count.
    value: f64,
    gap: u32,
}

/// Judges `num/den` (or `num`) against a threshold, exactly (94.99% is not 95%), once with
/// every unknown failing and once with every unknown passing: met when both meet it, not met
/// when neither does, not judged otherwise.
fn judge(f: &Figure, op: Op, threshold: f64) -> Verdict {
    let (low, high) = (f.num, f.num + f.unknown);
    let Some(den) = f.den else {
        let meets = |x: u32| match op {
            Op::AtLeast => x as f64 >= threshold,
            Op::AtMost => x as f64 <= threshold,
        };
        let gap = match op {
            Op::AtLeast => (threshold - high as f64).max(0.0),
            Op::AtMost => (low as f64 - threshold).max(0.0),
        };
        return verdict(meets(low), meets(high), op, low as f64, gap as u32);
    };
    // Smallest count that reaches the threshold share of `den`.
    let needed = ((threshold * den as f64 / 100.0) - 1e-9).ceil().max(0.0) as u32;
    let meets = |x: u32| match op {
        Op::AtLeast => x >= needed,
        Op::AtMost => x as f64 * 100.0 <= threshold * den as f64 + 1e-9,
    };
    let value = low as f64 * 100.0 / den as f64;
    let gap = match op {
        Op::AtLeast => needed.saturating_sub(high),
        Op::AtMost => 0,
    };
    verdict(meets(low), meets(high), op, value, gap)
}

fn verdict(low_meets: bool, high_meets: bool, op: Op, value: f64, gap: u32) -> Verdict {
    // For "at least", more people passing helps; for "at most", fewer.
    let (worst, best) = match op {
        Op::AtLeast => (low_meets, high_meets),
        Op::AtMost => (high_meets, low_meets),
    };
    let judgment = if worst {
        Judgment::Met
    } else if !best {
        Judgment::NotMet
    } else {
        Judgment::NotJudged
    };
    Verdict {
        judgment,
        value,
        gap: if judgment == Judgment::NotMet { gap } else { 0 },
    }
}

/// Judges every rule that applies to `school`, the levels it reaches and its own targets.
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
        let result = match figure(rule.metric, m, school, t) {
            Ok(f) => {
                let v = judge(&f, rule.op, threshold);
                // For the norm rule the comparable figures are people: teachers against the norm.
                let (value, threshold) = match rule.metric {
                    Metric::TeachersAgainstNorm => {
                        (f.num as f64, f.den.unwrap_or(0) as f64 * threshold / 100.0)
                    }
                    _ => (v.value, threshold),
                };
                let not_judged =
                    (v.judgment == Judgment::NotJudged).then_some(NotJudged::MissingValues);
                (
                    v.judgment, not_judged, value, threshold, v.gap, f.unknown, f.missing,
                )
            }
            Err(why) => (
                Judgment::NotJudged,
                Some(why),
                0.0,
                threshold,
                0,
                0,
                Vec::new(),
            ),
        };
        let (judgment, not_judged, value, threshold, gap_people, unknown, missing) = result;
        out.targets.push(RuleResult {
            rule: rule.id.clone(),
            criterion: rule.criterion.clone(),
            level: rule.level,
            judgment,
            not_judged,
            met: judgment == Judgment::Met,
            value: (value * 100.0).round() / 100.0,
            threshold,
            gap_people,
            unknown,
            informative: rule.informative,
            missing,
        });
    }
    let mut ceiling: Option<u8> = None;
    // Whether every criterion's Mức 1 is shown met or not met.
    let mut every_criterion_judged = true;
    for criterion in &t.levels.criteria {
        let rules_at = |l: u8| {
            out.targets
                .iter()
                .filter(move |r| &r.criterion == criterion && r.level == l && !r.informative)
        };
        let reached = (1..=t.levels.max_level)
            .take_while(|&l| {
                rules_at(l).next().is_some() && rules_at(l).all(|r| r.judgment == Judgment::Met)
            })
            .last();
        let level_1_failed = rules_at(1).any(|r| r.judgment == Judgment::NotMet);
        let level = reached.or(level_1_failed.then_some(0));
        out.criteria.insert(criterion.clone(), level);
        every_criterion_judged &= level.is_some();
        // A level with a rule not met caps the school below it.
        if let Some(l) =
            (1..=t.levels.max_level).find(|&l| rules_at(l).any(|r| r.judgment == Judgment::NotMet))
        {
            ceiling = Some(ceiling.map_or(l - 1, |c| c.min(l - 1)));
        }
    }
    // A Mức 1 not met settles it (no level); any other level needs every Mức 1 judged.
    let accreditation = match ceiling {
        Some(0) => Some(0),
        _ => every_criterion_judged.then(|| ceiling.unwrap_or(t.levels.max_level)),
    };
    let national = accreditation.map(|a| {
        t.levels
            .national_standard
            .iter()
            .filter(|(_, &needs)| a >= needs)
            .filter_map(|(k, _)| k.parse::<u8>().ok())
            .max()
            .unwrap_or(0)
    });
    out.reachable = Reachable {
        accreditation_level: accreditation,
        national_standard_level: national,
    };
    let wanted = |k: &str| school.figures.get(k).map(|x| x.round() as u8);
    out.target_reachable = match (
        wanted("accreditation_target"),
        wanted("national_standard_target"),
        accreditation,
        national,
    ) {
        (None, None, ..) | (_, _, None, _) | (_, _, _, None) => None,
        (a, n, Some(acc), Some(nat)) => {
            Some(a.is_none_or(|a| a <= acc) && n.is_none_or(|n| n <= nat))
        }
    };
    for goal in &t.goals {
        if let Some(&threshold) = school.figures.get(&goal.column) {
            let (judgment, value, gap_people, unknown) = match figure(goal.metric, m, school, t) {
                Ok(f) => {
                    let v = judge(&f, Op::AtLeast, threshold);
                    (v.judgment, v.value, v.gap, f.unknown)
                }
                Err(_) => (Judgment::NotJudged, 0.0, 0, 0),
            };
            out.goals.push(GoalResult {
                column: goal.column.clone(),
                judgment,
                met: judgment == Judgment::Met,
                value: (value * 100.0).round() / 100.0,
                threshold,
                gap_people,
                unknown,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(num: u32, unknown: u32, den: u32) -> Figure {
        Figure {
            num,
            unknown,
            den: Some(den),
            missing: Vec::new(),
        }
    }

    #[test]
    fn shares_are_judged_exactly() {
        // 19 of 20 is 95%: met; 18 of 19 is 94.7%: one more person needed.
        let v = judge(&f(19, 0, 20), Op::AtLeast, 95.0);
        assert_eq!((v.judgment, v.value, v.gap), (Judgment::Met, 95.0, 0));
        let v = judge(&f(18, 0, 19), Op::AtLeast, 95.0);
        assert_eq!((v.judgment, v.gap), (Judgment::NotMet, 1));
        // 3 of 5 is exactly 60%.
        assert_eq!(
            judge(&f(3, 0, 5), Op::AtLeast, 60.0).judgment,
            Judgment::Met
        );
    }

    #[test]
    fn unknown_values_are_counted_both_ways() {
        // 9 of 10 rated Đạt and 1 blank against 95%: 90% or 100%, not judged.
        let v = judge(&f(9, 1, 10), Op::AtLeast, 95.0);
        assert_eq!((v.judgment, v.gap), (Judgment::NotJudged, 0));
        // 8 rated Đạt, 1 blank: 90% at best, not met; one more person needed.
        let v = judge(&f(8, 1, 10), Op::AtLeast, 95.0);
        assert_eq!((v.judgment, v.gap), (Judgment::NotMet, 1));
        // 10 of 10 with nobody blank.
        assert_eq!(
            judge(&f(10, 0, 10), Op::AtLeast, 95.0).judgment,
            Judgment::Met
        );
    }
}
