//! The figures of each group of staff: managers (CBQL), teachers (GV), support staff (NV) and
//! all of them, per school and for the office. School plans set targets for the whole staff
//! ("80% CBQL, GV, NV trên chuẩn", "50% là đảng viên"), not only for teachers.

use crate::analyse::counts::{
    count_at, count_if, is, qualification_at, qualification_counts, training_at, training_counts,
    QualificationCounts, TrainingCounts,
};
use crate::combine::frames::columns;
use crate::domain::model::Category;
use crate::domain::schema::Schemas;
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
}

impl GroupCounts {
    /// Every single-number figure, by the name the tables use, in table order.
    pub fn figures(&self) -> [(&'static str, u32); 21] {
        let q = &self.qualification;
        [
            ("total", self.total),
            ("female", self.female),
            ("ethnic_minority", self.ethnic_minority),
            ("party_members", self.party_members),
            ("permanent", self.permanent),
            ("contract", self.contract),
            ("doctorate", q.doctorate),
            ("master", q.master),
            ("bachelor", q.bachelor),
            ("college", q.college),
            ("intermediate", q.intermediate),
            ("other", q.other),
            ("qualification_unknown", self.qualification_unknown),
            ("meeting_standard", self.meeting_standard),
            ("above_standard", self.above_standard),
            (
                "political_intermediate_or_higher",
                self.political_in(&INTERMEDIATE_OR_HIGHER),
            ),
            ("management_training", self.management_training),
            ("state_management", self.state_management),
            ("training_completed", self.training.completed),
            ("training_not_completed", self.training.not_completed),
            ("training_no_result", self.training.no_result),
        ]
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

    /// People holding a political-theory level of `codes`.
    pub fn political_in(&self, codes: &[&str]) -> u32 {
        codes
            .iter()
            .map(|c| self.political_theory.get(*c).copied().unwrap_or(0))
            .sum()
    }

    /// Whether figure `name` (of `figures`) was never collected for this group: nobody has
    /// the value written either way, so the figure is not 0 but unknown.
    pub fn not_collected(&self, name: &str) -> bool {
        let unknown = match name {
            "permanent" | "contract" => self.employment_unknown,
            "management_training" => self.management_training_unknown,
            _ => return false,
        };
        self.total > 0 && unknown == self.total
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

fn aggregations(s: &Schemas) -> Vec<Expr> {
    let mut aggs = vec![
        len().cast(DataType::Int64).alias("total"),
        count_if(col(columns::FEMALE), "female"),
        count_if(col(columns::MINORITY), "minority"),
        count_if(col(columns::PARTY_MEMBER), "party"),
        count_if(is(columns::EMPLOYMENT, "permanent"), "permanent"),
        count_if(is(columns::EMPLOYMENT, "contract"), "contract"),
        count_if(col(columns::QUALIFICATION).is_null(), "q_unknown"),
        count_if(col(columns::ANY_MEETS_STANDARD), "meeting"),
        count_if(col(columns::ANY_ABOVE_STANDARD), "above"),
        count_if(col(columns::MANAGEMENT_TRAINING), "management_training"),
        count_if(
            col(columns::MANAGEMENT_TRAINING).is_null(),
            "management_training_unknown",
        ),
        count_if(col(columns::EMPLOYMENT).is_null(), "employment_unknown"),
        count_if(col(columns::STATE_MANAGEMENT), "state_management"),
    ];
    aggs.extend(training_counts());
    aggs.extend(qualification_counts(|| lit(true)));
    for field in LEVEL_FIELDS {
        for entry in &s.vocab[field].entries {
            aggs.push(count_if(
                is(field, &entry.code),
                &format!("{field}:{}", entry.code),
            ));
        }
    }
    aggs
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
    Ok(GroupCounts {
        total: get("total")?,
        female: get("female")?,
        ethnic_minority: get("minority")?,
        party_members: get("party")?,
        permanent: get("permanent")?,
        contract: get("contract")?,
        employment_unknown: get("employment_unknown")?,
        qualification: qualification_at(df, i)?,
        qualification_unknown: get("q_unknown")?,
        meeting_standard: get("meeting")?,
        above_standard: get("above")?,
        political_theory: levels("political_theory")?,
        it_level: levels("it_level")?,
        language_level: levels("language_level")?,
        standard_rating: levels("standard_rating")?,
        management_training: get("management_training")?,
        state_management: get("state_management")?,
        management_training_unknown: get("management_training_unknown")?,
        training: training_at(df, i)?,
    })
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

pub fn groups(people: &DataFrame, s: &Schemas) -> PolarsResult<(BTreeMap<String, Groups>, Groups)> {
    let empty = || -> Groups {
        GROUPS
            .iter()
            .map(|g| (g.to_string(), GroupCounts::default()))
            .collect()
    };
    let run = |keys: Vec<Expr>| -> PolarsResult<DataFrame> {
        let lazy = people.clone().lazy();
        if keys.is_empty() {
            lazy.select(aggregations(s)).collect()
        } else {
            lazy.group_by(keys).agg(aggregations(s)).collect()
        }
    };
    let mut by_school: BTreeMap<String, Groups> = BTreeMap::new();
    let mut office = empty();
    if people.height() == 0 {
        return Ok((by_school, office));
    }
    let by_category = run(vec![col(columns::SCHOOL), col(columns::CATEGORY)])?;
    let (schools, categories) = (
        by_category.column(columns::SCHOOL)?.str()?,
        by_category.column(columns::CATEGORY)?.str()?,
    );
    for i in 0..by_category.height() {
        let (Some(school), Some(category)) = (schools.get(i), categories.get(i)) else {
            continue;
        };
        let groups = by_school.entry(school.to_string()).or_insert_with(empty);
        groups.insert(group_of(category).into(), counts_at(&by_category, i, s)?);
    }
    let all = run(vec![col(columns::SCHOOL)])?;
    let schools = all.column(columns::SCHOOL)?.str()?;
    for i in 0..all.height() {
        if let Some(school) = schools.get(i) {
            let groups = by_school.entry(school.to_string()).or_insert_with(empty);
            groups.insert(GROUPS[3].into(), counts_at(&all, i, s)?);
        }
    }
    let office_by_category = run(vec![col(columns::CATEGORY)])?;
    let categories = office_by_category.column(columns::CATEGORY)?.str()?;
    for i in 0..office_by_category.height() {
        if let Some(category) = categories.get(i) {
            office.insert(
                group_of(category).into(),
                counts_at(&office_by_category, i, s)?,
            );
        }
    }
    office.insert(GROUPS[3].into(), counts_at(&run(Vec::new())?, 0, s)?);
    Ok((by_school, office))
}
