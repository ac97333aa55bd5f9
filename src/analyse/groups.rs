//! The figures of each group of staff: managers (CBQL), teachers (GV), support staff (NV) and
//! all of them, per school and for the office. School plans set targets for the whole staff
//! ("80% CBQL, GV, NV trên chuẩn", "50% là đảng viên"), not only for teachers.

use crate::analyse::counts::{count_at, is, QualificationCounts, TrainingCounts};
use crate::combine::frames::columns;
use crate::domain::model::{Category, Outcome};
use crate::domain::schema::{FigureSpec, Schemas};
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The groups, as keyed in summary.json: the three categories, then everyone.
pub const GROUPS: [&str; 4] = ["managers", "teachers", "support", "all"];

/// The figures of one group of one school (or of the office).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GroupCounts {
    pub total: u32,
    pub female: u32,
    pub ethnic_minority: u32,
    pub party_members: u32,
    /// Biên chế and hợp đồng; the rest have neither written.
    pub permanent: u32,
    pub contract: u32,
    /// People with neither written (a list without the column: all of them).
    pub employment_unknown: u32,
    /// Highest qualification (none written counts as "other").
    pub qualification: QualificationCounts,
    /// People with no qualification written.
    pub qualification_unknown: u32,
    /// Meeting and above the training standard of the school's level.
    pub meeting_standard: u32,
    pub above_standard: u32,
    /// Code → people, for each level field; people with none written are not counted.
    pub political_theory: BTreeMap<String, u32>,
    /// Of them, people holding trung cấp or higher (`INTERMEDIATE_OR_HIGHER`).
    #[serde(skip)]
    pub political_intermediate_or_higher: u32,
    pub it_level: BTreeMap<String, u32>,
    pub language_level: BTreeMap<String, u32>,
    /// Rating on the professional standard: the teacher standard for teachers, the principal
    /// standard for managers.
    pub standard_rating: BTreeMap<String, u32>,
    /// Certificates of education-management and state-management training.
    pub management_training: u32,
    pub state_management: u32,
    /// People for whom the education-management certificate is not written either way.
    pub management_training_unknown: u32,
    /// BDTX results (managers and teachers; support staff take none).
    pub training: TrainingCounts,
    /// Posts and duties the rules and the staffing analysis read (not in the groups' tables).
    #[serde(skip)]
    pub principals: u32,
    #[serde(skip)]
    pub vice_principals: u32,
    /// Managers and teachers, who must complete BDTX.
    #[serde(skip)]
    pub assessed: u32,
    /// Teachers below the training standard whom NĐ 71/2020 requires to upgrade, and of
    /// them those upgrading.
    #[serde(skip)]
    pub must_upgrade: u32,
    #[serde(skip)]
    pub upgrading: u32,
    /// The figures the office declares (rules.toml `[[figures]]`), by key.
    #[serde(flatten)]
    pub declared: BTreeMap<String, u32>,
}

impl std::ops::AddAssign<&GroupCounts> for GroupCounts {
    /// Adds another group's people: every figure and every level count.
    fn add_assign(&mut self, o: &GroupCounts) {
        for f in &FIGURES {
            *(f.set)(self) += (f.get)(o);
        }
        for field in LEVEL_FIELDS {
            for (code, n) in o.levels(field) {
                *self.levels_mut(field).entry(code.clone()).or_insert(0) += n;
            }
        }
        for (key, n) in &o.declared {
            *self.declared.entry(key.clone()).or_insert(0) += n;
        }
    }
}

impl GroupCounts {
    /// Every figure of `FIGURES` that the tables print, by its key, in table order.
    pub fn figures(&self) -> Vec<(&'static str, u32)> {
        FIGURES
            .iter()
            .filter(|f| f.in_tables)
            .map(|f| (f.key, (f.get)(self)))
            .collect()
    }

    /// The code → people map of one of `LEVEL_FIELDS`.
    pub fn levels(&self, field: &str) -> &BTreeMap<String, u32> {
        match field {
            "political_theory" => &self.political_theory,
            "it_level" => &self.it_level,
            "language_level" => &self.language_level,
            _ => &self.standard_rating,
        }
    }

    fn levels_mut(&mut self, field: &str) -> &mut BTreeMap<String, u32> {
        match field {
            "political_theory" => &mut self.political_theory,
            "it_level" => &mut self.it_level,
            "language_level" => &mut self.language_level,
            _ => &mut self.standard_rating,
        }
    }

    /// People with a level of `field` among `codes`.
    pub fn level_in(&self, field: &str, codes: &[&str]) -> u32 {
        let levels = self.levels(field);
        codes.iter().filter_map(|c| levels.get(*c)).sum()
    }

    /// People with some level of `field` written.
    pub fn level_written(&self, field: &str) -> u32 {
        self.levels(field).values().sum()
    }

    /// People holding a political-theory level of `codes`.
    pub fn political_in(&self, codes: &[&str]) -> u32 {
        codes
            .iter()
            .map(|c| self.political_theory.get(*c).copied().unwrap_or(0))
            .sum()
    }

    /// Whether `figure` was never collected for this group: nobody has the value written
    /// either way, so the figure is not 0 but unknown.
    pub fn not_collected(&self, figure: &GroupFigure) -> bool {
        figure
            .unknown
            .is_some_and(|unknown| self.total > 0 && unknown(self) == self.total)
    }

    /// People with no political-theory level written.
    pub fn political_unknown(&self) -> u32 {
        self.total - self.political_theory.values().sum::<u32>()
    }
}

/// Political-theory levels from trung cấp up (school plans: "100% CBQL trung cấp chính trị").
pub const INTERMEDIATE_OR_HIGHER: [&str; 3] = ["intermediate", "advanced", "bachelor"];

/// Level fields counted code by code, with their vocabulary.
pub const LEVEL_FIELDS: [&str; 4] = [
    "political_theory",
    "it_level",
    "language_level",
    "standard_rating",
];

/// One figure of a staff group, declared once: the key the tables and `figures` name it by,
/// how its people are counted, where `GroupCounts` keeps it, its column on the groups sheet
/// (a report.toml label), and the count that makes it unknown ("—" rather than 0). Adding a
/// figure is one line of `FIGURES` (and its field and label).
pub struct GroupFigure {
    pub key: &'static str,
    /// How many of a group's rows it counts, as a polars aggregation.
    counted: fn() -> Expr,
    pub get: fn(&GroupCounts) -> u32,
    set: fn(&mut GroupCounts) -> &mut u32,
    /// The column label on the groups sheet; None: not printed there.
    pub label: Option<&'static str>,
    /// In nhom.csv (and `GroupCounts::figures`).
    pub in_tables: bool,
    /// People whose value is not written either way.
    pub unknown: Option<fn(&GroupCounts) -> u32>,
}

/// `GroupFigure` of a field of `GroupCounts`: key, field path, counting, then the options.
macro_rules! figure {
    ($key:literal, $($field:ident).+, $counted:expr, $label:expr) => {
        figure!($key, $($field).+, $counted, $label, true, None)
    };
    ($key:literal, $($field:ident).+, $counted:expr, $label:expr, $in_tables:expr, $unknown:expr) => {
        GroupFigure {
            key: $key,
            counted: || $counted,
            get: |g| g.$($field).+,
            set: |g| &mut g.$($field).+,
            label: $label,
            in_tables: $in_tables,
            unknown: $unknown,
        }
    };
}

/// A figure kept for the rules and the staffing analysis: not printed, not in the tables.
macro_rules! kept {
    ($key:literal, $($field:ident).+, $counted:expr) => {
        figure!($key, $($field).+, $counted, None, false, None)
    };
}

fn rows() -> Expr {
    len().cast(DataType::Int64)
}

/// A yes/no per person, counted where yes.
fn people(e: Expr) -> Expr {
    e.fill_null(lit(false))
        .cast(DataType::UInt32)
        .sum()
        .cast(DataType::Int64)
}

fn qualification(code: &str) -> Expr {
    people(is(columns::QUALIFICATION, code))
}

fn outcome(o: Outcome) -> Expr {
    people(is(columns::TRAINING, o.code()))
}

/// The figures of a staff group, in the order the tables print them.
pub const FIGURES: [GroupFigure; 28] = [
    figure!("total", total, rows(), Some("col_total_people")),
    figure!(
        "female",
        female,
        people(col(columns::FEMALE)),
        Some("col_female")
    ),
    figure!(
        "ethnic_minority",
        ethnic_minority,
        people(col(columns::MINORITY)),
        Some("col_minority")
    ),
    figure!(
        "party_members",
        party_members,
        people(col(columns::PARTY_MEMBER)),
        Some("col_party")
    ),
    figure!(
        "permanent",
        permanent,
        people(is(columns::EMPLOYMENT, "permanent")),
        Some("col_permanent"),
        true,
        Some(|g| g.employment_unknown)
    ),
    figure!(
        "contract",
        contract,
        people(is(columns::EMPLOYMENT, "contract")),
        Some("col_contract"),
        true,
        Some(|g| g.employment_unknown)
    ),
    figure!(
        "doctorate",
        qualification.doctorate,
        qualification("doctorate"),
        Some("col_q_doctorate")
    ),
    figure!(
        "master",
        qualification.master,
        qualification("master"),
        Some("col_q_master")
    ),
    figure!(
        "bachelor",
        qualification.bachelor,
        qualification("bachelor"),
        Some("col_q_bachelor")
    ),
    figure!(
        "college",
        qualification.college,
        qualification("college"),
        Some("col_q_college")
    ),
    figure!(
        "intermediate",
        qualification.intermediate,
        qualification("intermediate"),
        Some("col_q_intermediate")
    ),
    // Someone with no qualification written counts as "other".
    figure!(
        "other",
        qualification.other,
        people(is(columns::QUALIFICATION, "other").or(col(columns::QUALIFICATION).is_null())),
        Some("col_q_other")
    ),
    figure!(
        "qualification_unknown",
        qualification_unknown,
        people(col(columns::QUALIFICATION).is_null()),
        None
    ),
    figure!(
        "meeting_standard",
        meeting_standard,
        people(col(columns::ANY_MEETS_STANDARD)),
        Some("col_meeting_standard_all")
    ),
    figure!(
        "above_standard",
        above_standard,
        people(col(columns::ANY_ABOVE_STANDARD)),
        Some("col_above_standard_all")
    ),
    figure!(
        "political_intermediate_or_higher",
        political_intermediate_or_higher,
        people(INTERMEDIATE_OR_HIGHER.iter().fold(lit(false), |any, c| {
            any.or(is(columns::POLITICAL_THEORY, c))
        })),
        Some("col_political_intermediate")
    ),
    figure!(
        "management_training",
        management_training,
        people(col(columns::MANAGEMENT_TRAINING)),
        Some("col_management_training"),
        true,
        Some(|g| g.management_training_unknown)
    ),
    figure!(
        "state_management",
        state_management,
        people(col(columns::STATE_MANAGEMENT)),
        Some("col_state_management")
    ),
    figure!(
        "training_completed",
        training.completed,
        outcome(Outcome::Completed),
        Some("col_training_completed")
    ),
    figure!(
        "training_not_completed",
        training.not_completed,
        outcome(Outcome::NotCompleted),
        Some("col_training_not_completed")
    ),
    // Assessed, with no outcome.
    figure!(
        "training_no_result",
        training.no_result,
        people(col(columns::ASSESSED).and(col(columns::TRAINING).is_null())),
        None
    ),
    // What makes a figure unknown.
    kept!(
        "employment_unknown",
        employment_unknown,
        people(col(columns::EMPLOYMENT).is_null())
    ),
    kept!(
        "management_training_unknown",
        management_training_unknown,
        people(col(columns::MANAGEMENT_TRAINING).is_null())
    ),
    // What the rules and the staffing analysis read.
    kept!(
        "principals",
        principals,
        people(is(columns::ROLE, "principal"))
    ),
    kept!(
        "vice_principals",
        vice_principals,
        people(is(columns::ROLE, "vice_principal"))
    ),
    kept!("assessed", assessed, people(col(columns::ASSESSED))),
    kept!(
        "must_upgrade",
        must_upgrade,
        people(col(columns::MUST_UPGRADE))
    ),
    kept!(
        "upgrading",
        upgrading,
        people(col(columns::MUST_UPGRADE).and(col(columns::UPGRADING)))
    ),
];

/// The figure declared as `key`.
pub fn figure(key: &str) -> Option<&'static GroupFigure> {
    FIGURES.iter().find(|f| f.key == key)
}

/// The figures, each code of each level field ("political_theory:advanced"), then the
/// office's figures ("declared:master_or_higher").
fn aggregations(people_table: &DataFrame, s: &Schemas) -> PolarsResult<Vec<Expr>> {
    let mut aggs: Vec<Expr> = FIGURES.iter().map(|f| (f.counted)().alias(f.key)).collect();
    for field in LEVEL_FIELDS {
        for entry in &s.vocab[field].entries {
            aggs.push(people(is(field, &entry.code)).alias(format!("{field}:{}", entry.code)));
        }
    }
    for spec in &s.rules.figures {
        aggs.push(people(declared(people_table, spec)?).alias(format!("declared:{}", spec.key)));
    }
    Ok(aggs)
}

/// Whether a person counts in the office's figure `spec`: a value among `is`, else yes (a
/// yes/no column) or written (a text column).
fn declared(people_table: &DataFrame, spec: &FigureSpec) -> PolarsResult<Expr> {
    let wrong = |why: &str| {
        let key = &spec.key;
        polars_err!(ComputeError: "schemas/rules.toml: [[figures]] \"{key}\": {why}")
    };
    if figure(&spec.key).is_some() {
        return Err(wrong("đã có số liệu cùng tên (key)"));
    }
    let column = people_table.column(&spec.column).map_err(|_| {
        wrong(&format!(
            "bảng đội ngũ (du_lieu/doi_ngu.csv) không có cột \"{}\"",
            spec.column
        ))
    })?;
    Ok(match (column.dtype(), spec.is.is_empty()) {
        (DataType::Boolean, true) => col(&spec.column),
        (DataType::String, true) => col(&spec.column).is_not_null(),
        (DataType::String, false) => spec
            .is
            .iter()
            .fold(lit(false), |any, code| any.or(is(&spec.column, code))),
        _ => {
            return Err(wrong(&format!(
                "cột \"{}\" không đếm theo cách này được",
                spec.column
            )))
        }
    })
}

fn counts_at(df: &DataFrame, i: usize, s: &Schemas) -> PolarsResult<GroupCounts> {
    let get = |name: &str| count_at(df, i, name);
    let levels = |field: &str| -> PolarsResult<BTreeMap<String, u32>> {
        let mut out = BTreeMap::new();
        for entry in &s.vocab[field].entries {
            let n = get(&format!("{field}:{}", entry.code))?;
            if n > 0 {
                out.insert(entry.code.clone(), n);
            }
        }
        Ok(out)
    };
    let mut counts = GroupCounts {
        political_theory: levels("political_theory")?,
        it_level: levels("it_level")?,
        language_level: levels("language_level")?,
        standard_rating: levels("standard_rating")?,
        ..GroupCounts::default()
    };
    for f in &FIGURES {
        *(f.set)(&mut counts) = get(f.key)?;
    }
    for spec in &s.rules.figures {
        let n = get(&format!("declared:{}", spec.key))?;
        counts.declared.insert(spec.key.clone(), n);
    }
    Ok(counts)
}

/// Group name of a category code of the people table.
fn group_of(category: &str) -> &'static str {
    match category {
        c if c == Category::Manager.code() => GROUPS[0],
        c if c == Category::Teacher.code() => GROUPS[1],
        _ => GROUPS[2],
    }
}

/// Group → figures, per school code and for the whole office. Every group is present, with
/// zeros when nobody is in it.
pub type Groups = BTreeMap<String, GroupCounts>;

/// The groups of each school and of the office, counted once, by school and category: a
/// school's "all" and the office's groups are the sums of those counts.
pub fn groups(people: &DataFrame, s: &Schemas) -> PolarsResult<(BTreeMap<String, Groups>, Groups)> {
    // Nobody yet: every figure 0, the office's too.
    let nobody = GroupCounts {
        declared: s.rules.figures.iter().map(|f| (f.key.clone(), 0)).collect(),
        ..GroupCounts::default()
    };
    let empty = || -> Groups {
        GROUPS
            .iter()
            .map(|g| (g.to_string(), nobody.clone()))
            .collect()
    };
    let mut by_school: BTreeMap<String, Groups> = BTreeMap::new();
    let mut office = empty();
    if people.height() == 0 {
        return Ok((by_school, office));
    }
    let counted = people
        .clone()
        .lazy()
        .group_by([col(columns::SCHOOL), col(columns::CATEGORY)])
        .agg(aggregations(people, s)?)
        .collect()?;
    let (schools, categories) = (
        counted.column(columns::SCHOOL)?.str()?,
        counted.column(columns::CATEGORY)?.str()?,
    );
    for i in 0..counted.height() {
        let (Some(school), Some(category)) = (schools.get(i), categories.get(i)) else {
            continue;
        };
        let counts = counts_at(&counted, i, s)?;
        let groups = by_school.entry(school.to_string()).or_insert_with(empty);
        for group in [group_of(category), GROUPS[3]] {
            *groups.entry(group.into()).or_default() += &counts;
            *office.entry(group.into()).or_default() += &counts;
        }
    }
    Ok((by_school, office))
}
