//! Per-school and district measures, read from the staff groups (`groups`), and the BDTX
//! detail, computed with polars from the BDTX table.

use super::counts::{count_if, is};
pub use super::counts::{QualificationCounts, StaffCounts, TrainingCounts, QUALIFICATIONS};
use super::groups::{groups, GroupCounts, Groups, GROUPS};
use crate::combine::frames::columns;
use crate::domain::model::Category;
use crate::domain::schema::Schemas;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The figures reported for a school and for the district (STATS in summary.json; read back
/// from last year's by `pipeline::previous`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub staff: StaffCounts,
    pub teacher_qualification: QualificationCounts,
    pub teachers_meeting_standard: u32,
    pub teachers_above_standard: u32,
    pub training: TrainingCounts,
}

impl std::ops::AddAssign<&Stats> for Stats {
    /// Adds a school's figures into a subtotal.
    fn add_assign(&mut self, o: &Stats) {
        let (s, t) = (&mut self.staff, &o.staff);
        s.total += t.total;
        s.managers += t.managers;
        s.teachers += t.teachers;
        s.support += t.support;
        s.female += t.female;
        s.ethnic_minority += t.ethnic_minority;
        s.party_members += t.party_members;
        let (q, r) = (&mut self.teacher_qualification, &o.teacher_qualification);
        q.doctorate += r.doctorate;
        q.master += r.master;
        q.bachelor += r.bachelor;
        q.college += r.college;
        q.intermediate += r.intermediate;
        q.other += r.other;
        self.teachers_meeting_standard += o.teachers_meeting_standard;
        self.teachers_above_standard += o.teachers_above_standard;
        self.training.completed += o.training.completed;
        self.training.not_completed += o.training.not_completed;
        self.training.no_result += o.training.no_result;
    }
}

impl Stats {
    /// Share of assessed people (managers and teachers) who completed BDTX, 0–1; none when
    /// nobody's result was sent (no BDTX sheet is no 0%).
    pub fn completion_rate(&self) -> Option<f64> {
        let assessed = self.staff.managers + self.staff.teachers;
        let results = self.training.completed + self.training.not_completed;
        (assessed > 0 && results > 0).then(|| self.training.completed as f64 / assessed as f64)
    }

    pub fn share_of_teachers(&self, n: u32) -> Option<f64> {
        (self.staff.teachers > 0).then(|| n as f64 / self.staff.teachers as f64)
    }
}

/// Teachers or managers by their rating on the professional standard (chuẩn nghề nghiệp):
/// at least Đạt, at least Khá, Tốt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatedCounts {
    pub pass_or_better: u32,
    pub fair_or_better: u32,
    pub good: u32,
}

/// Every count of one school (or of the office) that a figure, a rule or the staffing analysis
/// reads, computed once (`aggregate`) from the people table: summary.json's STATS (`stats`),
/// the report sheets, the target rules and the staffing report cannot disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measures {
    /// The figures published as STATS.
    pub stats: Stats,
    pub principals: u32,
    pub vice_principals: u32,
    /// Teachers who must upgrade (NĐ 71/2020) and are upgrading their qualification.
    pub teachers_upgrading: u32,
    /// Teachers below the training standard whom NĐ 71/2020 requires to upgrade.
    pub teachers_must_upgrade: u32,
    /// Managers and teachers, who must complete BDTX.
    pub assessed: u32,
    pub teachers_rated: RatedCounts,
    pub managers_rated: RatedCounts,
    /// Managers with any political-theory level.
    pub managers_with_political_theory: u32,
    /// People a rule cannot count either way because a value is not written: teachers
    /// without a qualification, teachers and managers without a rating, managers without a
    /// political-theory level.
    pub teachers_without_qualification: u32,
    pub teachers_unrated: u32,
    pub managers_unrated: u32,
    pub managers_without_political_theory: u32,
    /// Posts filled: role codes of the people listed and of the posts they hold
    /// concurrently (kiêm nhiệm).
    pub roles: BTreeSet<String>,
    /// Subject codes taught by the teachers listed, and teachers whose subject is not known.
    pub subjects: BTreeSet<String>,
    pub teachers_without_subject: u32,
    /// The figures of each group of staff (`analyse::groups`).
    pub groups: crate::analyse::groups::Groups,
}

impl Measures {
    pub fn teachers_below_standard(&self) -> u32 {
        self.stats.staff.teachers - self.stats.teachers_meeting_standard
    }
}

/// Rating levels from the lowest that counts: at least Đạt, at least Khá, Tốt.
const RATED: [&[&str]; 3] = [&["pass", "fair", "good"], &["fair", "good"], &["good"]];

impl RatedCounts {
    /// The people of `g` by their rating on the professional standard.
    fn of(g: &GroupCounts) -> RatedCounts {
        let at_least = |codes: &[&str]| g.level_in("standard_rating", codes);
        RatedCounts {
            pass_or_better: at_least(RATED[0]),
            fair_or_better: at_least(RATED[1]),
            good: at_least(RATED[2]),
        }
    }
}

impl Stats {
    /// STATS, read from the staff groups.
    fn of(g: &Groups) -> Stats {
        let group = |name: &str| g.get(name).cloned().unwrap_or_default();
        let (all, teachers) = (group(GROUPS[3]), group(GROUPS[1]));
        Stats {
            staff: StaffCounts {
                total: all.total,
                managers: group(GROUPS[0]).total,
                teachers: teachers.total,
                support: group(GROUPS[2]).total,
                female: all.female,
                ethnic_minority: all.ethnic_minority,
                party_members: all.party_members,
            },
            teacher_qualification: teachers.qualification.clone(),
            teachers_meeting_standard: teachers.meeting_standard,
            teachers_above_standard: teachers.above_standard,
            training: all.training,
        }
    }
}

impl Measures {
    /// The measures of a school (or of the office) whose groups are `groups`; the posts and
    /// subjects are added from the rows (`posts_and_subjects`).
    fn of(groups: Groups) -> Measures {
        let group = |name: &str| groups.get(name).cloned().unwrap_or_default();
        let (managers, teachers, all) = (group(GROUPS[0]), group(GROUPS[1]), group(GROUPS[3]));
        let political = "political_theory";
        Measures {
            stats: Stats::of(&groups),
            principals: all.principals,
            vice_principals: all.vice_principals,
            teachers_upgrading: all.upgrading,
            teachers_must_upgrade: all.must_upgrade,
            assessed: all.assessed,
            teachers_rated: RatedCounts::of(&teachers),
            managers_rated: RatedCounts::of(&managers),
            // "none" is a level written: that the manager has none.
            managers_with_political_theory: managers
                .level_written(political)
                .saturating_sub(managers.level_in(political, &["none"])),
            teachers_without_qualification: teachers.qualification_unknown,
            teachers_unrated: unrated(&teachers),
            managers_unrated: unrated(&managers),
            managers_without_political_theory: managers.political_unknown(),
            roles: BTreeSet::new(),
            subjects: BTreeSet::new(),
            teachers_without_subject: 0,
            groups,
        }
    }
}

/// People of `g` with no rating on the professional standard.
fn unrated(g: &GroupCounts) -> u32 {
    g.total.saturating_sub(g.level_written("standard_rating"))
}

/// The measures of each school code, and of the whole office: the staff groups counted
/// once (`groups`), and the posts and subjects.
pub fn aggregate(
    people: &DataFrame,
    s: &Schemas,
) -> PolarsResult<(BTreeMap<String, Measures>, Measures)> {
    let (school_groups, office_groups) = groups(people, s)?;
    let mut by_school: BTreeMap<String, Measures> = school_groups
        .into_iter()
        .map(|(code, groups)| (code, Measures::of(groups)))
        .collect();
    let mut district = Measures::of(office_groups);
    posts_and_subjects(people, &mut by_school, &mut district)?;
    Ok((by_school, district))
}

/// The posts each school fills (roles and concurrent duties) and the subjects its teachers
/// teach: sets, not counts, so read row by row.
fn posts_and_subjects(
    people: &DataFrame,
    by_school: &mut BTreeMap<String, Measures>,
    district: &mut Measures,
) -> PolarsResult<()> {
    let column =
        |name: &str| -> PolarsResult<StringChunked> { Ok(people.column(name)?.str()?.clone()) };
    let (schools, roles, concurrent) = (
        column(columns::SCHOOL)?,
        column(columns::ROLE)?,
        column(columns::CONCURRENT)?,
    );
    let (categories, subjects) = (column(columns::CATEGORY)?, column(columns::SUBJECT_CODE)?);
    for i in 0..people.height() {
        let Some(school) = schools.get(i) else {
            continue;
        };
        let mine = by_school.entry(school.to_string()).or_default();
        let posts = roles
            .get(i)
            .into_iter()
            .chain(concurrent.get(i).into_iter().flat_map(|c| c.split(',')));
        for post in posts {
            if !mine.roles.contains(post) {
                mine.roles.insert(post.to_string());
                district.roles.insert(post.to_string());
            }
        }
        if categories.get(i) == Some(Category::Teacher.code()) {
            match subjects.get(i) {
                Some(subject) => {
                    mine.subjects.insert(subject.to_string());
                    district.subjects.insert(subject.to_string());
                }
                None => {
                    mine.teachers_without_subject += 1;
                    district.teachers_without_subject += 1;
                }
            }
        }
    }
    Ok(())
}

/// Per-content results of one content (Nội dung 1, 2, 3) among matched BDTX rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContentStats {
    pub content: String,
    pub scored: u32,
    pub passed: u32,
    /// Average score, rounded to two decimals; None when nobody was scored.
    pub average: Option<f64>,
}

/// BDTX detail of a school or of the district.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TrainingDetail {
    pub contents: Vec<ContentStats>,
    /// TT 26/2012 grade counts (empty under TT 19/2019).
    pub grades: BTreeMap<String, u32>,
    /// Module code → people who took it.
    pub modules: BTreeMap<String, u32>,
}

/// BDTX detail per school and for the district, from the BDTX rows joined to a person.
pub fn training_detail(
    training: &DataFrame,
    schemas: &crate::domain::schema::Schemas,
    bdtx_rules: crate::domain::schema::BdtxRules,
) -> PolarsResult<(BTreeMap<String, TrainingDetail>, TrainingDetail)> {
    let rules = &schemas.rules.training;
    let matched = training.clone().lazy().filter(col(columns::MATCHED));
    let mut aggs = Vec::new();
    for c in &rules.contents {
        aggs.push(count_if(
            col(c.as_str()).is_not_null(),
            &format!("{c}_scored"),
        ));
        aggs.push(count_if(
            col(c.as_str())
                .gt_eq(lit(rules.pass_score))
                .fill_null(lit(false)),
            &format!("{c}_passed"),
        ));
        aggs.push(col(c.as_str()).mean().alias(format!("{c}_mean")));
    }
    let grade_codes: Vec<&str> = if bdtx_rules == crate::domain::schema::BdtxRules::Tt26 {
        rules.tt26.grades.iter().map(|g| g.code.as_str()).collect()
    } else {
        Vec::new()
    };
    for g in &grade_codes {
        aggs.push(count_if(is(columns::GRADE, g), &format!("grade_{g}")));
    }
    let per_school = matched
        .clone()
        .group_by([col(columns::SCHOOL)])
        .agg(aggs.clone())
        .collect()?;
    let district = matched.select(aggs).collect()?;
    let detail_at = |df: &DataFrame, i: usize| -> PolarsResult<TrainingDetail> {
        let int =
            |n: &str| -> PolarsResult<u32> { Ok(df.column(n)?.i64()?.get(i).unwrap_or(0) as u32) };
        let mut d = TrainingDetail::default();
        for c in &rules.contents {
            let average = df
                .column(&format!("{c}_mean"))?
                .f64()?
                .get(i)
                .map(|x| (x * 100.0).round() / 100.0);
            let (scored, passed) = (int(&format!("{c}_scored"))?, int(&format!("{c}_passed"))?);
            d.contents.push(ContentStats {
                content: c.clone(),
                scored,
                passed,
                average,
            });
        }
        for g in &grade_codes {
            d.grades.insert(g.to_string(), int(&format!("grade_{g}"))?);
        }
        Ok(d)
    };
    let mut by_school = BTreeMap::new();
    let codes = per_school.column(columns::SCHOOL)?.str()?;
    for i in 0..per_school.height() {
        if let Some(code) = codes.get(i) {
            by_school.insert(code.to_string(), detail_at(&per_school, i)?);
        }
    }
    let mut total = if district.height() > 0 && training.height() > 0 {
        detail_at(&district, 0)?
    } else {
        TrainingDetail::default()
    };
    count_modules(
        training,
        &rules.module_separators,
        &mut by_school,
        &mut total,
    )?;
    Ok((by_school, total))
}

/// Counts module codes ("GVTHCS01, GVTHCS05") of matched rows, per school and in total.
fn count_modules(
    training: &DataFrame,
    separators: &str,
    by_school: &mut BTreeMap<String, TrainingDetail>,
    total: &mut TrainingDetail,
) -> PolarsResult<()> {
    let (school, modules, matched) = (
        training.column(columns::SCHOOL)?.str()?,
        training.column(columns::MODULES)?.str()?,
        training.column(columns::MATCHED)?.bool()?,
    );
    let mut seen: Vec<String> = Vec::new();
    for i in 0..training.height() {
        let (Some(code), Some(text), Some(true)) = (school.get(i), modules.get(i), matched.get(i))
        else {
            continue;
        };
        seen.clear();
        for module in text
            .split(|c: char| separators.contains(c))
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            let module = module.to_uppercase();
            // A row lists a handful of modules: a scan beats a set.
            if seen.contains(&module) {
                continue;
            }
            let school_modules = match by_school.get_mut(code) {
                Some(d) => &mut d.modules,
                None => &mut by_school.entry(code.to_string()).or_default().modules,
            };
            match school_modules.get_mut(&module) {
                Some(n) => *n += 1,
                None => {
                    school_modules.insert(module.clone(), 1);
                }
            }
            match total.modules.get_mut(&module) {
                Some(n) => *n += 1,
                None => {
                    total.modules.insert(module.clone(), 1);
                }
            }
            seen.push(module);
        }
    }
    Ok(())
}
