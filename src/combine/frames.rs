//! The normalised tables as polars DataFrames, each row keeping its provenance
//! (file, sheet, 1-based Excel row). Aggregation and the CSV exports read these.

use crate::domain::model::{Category, Gender, Outcome, Person, School, TrainingRow};
use crate::domain::schema::Schemas;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::HashMap;

/// The column names of the tables, in one place: every stage that reads a table names its
/// columns through these (the CSV exports keep them as headers).
pub mod columns {
    pub const FILE: &str = "file";
    pub const SHEET: &str = "sheet";
    pub const ROW: &str = "row";
    pub const SCHOOL: &str = "school";
    pub const NAME: &str = "name";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const GENDER: &str = "gender";
    pub const ETHNICITY: &str = "ethnicity";
    pub const MINORITY: &str = "minority";
    pub const PARTY_MEMBER: &str = "party_member";
    pub const FEMALE: &str = "female";
    pub const ROLE: &str = "role";
    pub const CATEGORY: &str = "category";
    pub const SUBJECT: &str = "subject";
    pub const SUBJECT_CODE: &str = "subject_code";
    /// Posts held concurrently: role codes joined by ",".
    pub const CONCURRENT: &str = "concurrent";
    pub const QUALIFICATION: &str = "qualification";
    pub const POLITICAL_THEORY: &str = "political_theory";
    pub const IT_LEVEL: &str = "it_level";
    pub const LANGUAGE_LEVEL: &str = "language_level";
    pub const STANDARD_RATING: &str = "standard_rating";
    pub const CIVIL_SERVANT_RATING: &str = "civil_servant_rating";
    pub const MEETS_STANDARD: &str = "meets_standard";
    pub const ABOVE_STANDARD: &str = "above_standard";
    pub const ASSESSED: &str = "assessed";
    pub const UPGRADING: &str = "upgrading";
    pub const MUST_UPGRADE: &str = "must_upgrade";
    pub const EMPLOYMENT: &str = "employment";
    pub const MANAGEMENT_TRAINING: &str = "management_training";
    pub const STATE_MANAGEMENT: &str = "state_management";
    /// The qualification standard of the school's level met / exceeded, for anyone (the
    /// teacher-only columns above feed the published STATS).
    pub const ANY_MEETS_STANDARD: &str = "any_meets_standard";
    pub const ANY_ABOVE_STANDARD: &str = "any_above_standard";
    pub const TRAINING: &str = "training";
    pub const MODULES: &str = "modules";
    pub const DECLARED_RESULT: &str = "declared_result";
    pub const OUTCOME: &str = "outcome";
    pub const GRADE: &str = "grade";
    pub const MATCHED: &str = "matched";
}

fn days(d: Option<NaiveDate>) -> Option<i32> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid epoch");
    d.map(|d| (d - epoch).num_days() as i32)
}

fn text<'a, T: 'a>(name: &str, items: &'a [T], f: impl Fn(&'a T) -> Option<&'a str>) -> Column {
    Column::new(
        name.into(),
        items.iter().map(f).collect::<Vec<Option<&str>>>(),
    )
}

fn flag<T>(name: &str, items: &[T], f: impl Fn(&T) -> bool) -> Column {
    Column::new(name.into(), items.iter().map(f).collect::<Vec<bool>>())
}

fn date<T>(name: &str, items: &[T], f: impl Fn(&T) -> Option<NaiveDate>) -> PolarsResult<Column> {
    Column::new(
        name.into(),
        items
            .iter()
            .map(|i| days(f(i)))
            .collect::<Vec<Option<i32>>>(),
    )
    .cast(&DataType::Date)
}

/// One row per person. `outcomes[i]` is the BDTX result joined to `people[i]`; the
/// qualification standard is the one of `school_year`.
pub fn people_frame(
    people: &[Person],
    outcomes: &[Option<&str>],
    schools: &HashMap<&str, &School>,
    school_year: &str,
    schemas: &Schemas,
) -> PolarsResult<DataFrame> {
    let standard = &schemas.rules.qualification_standard;
    let assessed = &schemas.rules.training.assessed_categories;
    let level = |p: &Person| {
        schools
            .get(p.school.as_str())
            .map(|s| s.level.as_str())
            .unwrap_or("")
    };
    let any_is = |p: &Person, which: &str| {
        p.qualification.as_deref().is_some_and(|q| {
            let subject = p.subject_code.as_deref();
            standard.is_for(level(p), which, q, subject, school_year)
        })
    };
    let is = |p: &Person, which: &str| p.category == Category::Teacher && any_is(p, which);
    let columns = vec![
        text(columns::FILE, people, |p| Some(&p.loc.file)),
        text(columns::SHEET, people, |p| Some(&p.loc.sheet)),
        Column::new(
            columns::ROW.into(),
            people
                .iter()
                .map(|p| p.loc.row.unwrap_or(0))
                .collect::<Vec<u32>>(),
        ),
        text(columns::SCHOOL, people, |p| Some(&p.school)),
        text(columns::NAME, people, |p| Some(&p.name)),
        date(columns::BIRTH_DATE, people, |p| p.birth_date)?,
        text(columns::GENDER, people, |p| p.gender.map(Gender::code)),
        text(columns::ETHNICITY, people, |p| p.ethnicity.as_deref()),
        flag(columns::MINORITY, people, |p| p.minority),
        flag(columns::PARTY_MEMBER, people, |p| p.party_member),
        flag(columns::FEMALE, people, |p| {
            p.gender == Some(Gender::Female)
        }),
        text(columns::ROLE, people, |p| Some(&p.role)),
        text(columns::CATEGORY, people, |p| Some(p.category.code())),
        text(columns::CONCURRENT, people, |p| p.concurrent.as_deref()),
        text(columns::SUBJECT, people, |p| p.subject.as_deref()),
        text(columns::SUBJECT_CODE, people, |p| p.subject_code.as_deref()),
        text(columns::QUALIFICATION, people, |p| {
            p.qualification.as_deref()
        }),
        text(columns::POLITICAL_THEORY, people, |p| {
            p.political_theory.as_deref()
        }),
        text(columns::IT_LEVEL, people, |p| p.it_level.as_deref()),
        text(columns::LANGUAGE_LEVEL, people, |p| {
            p.language_level.as_deref()
        }),
        text(columns::STANDARD_RATING, people, |p| {
            p.standard_rating.as_deref()
        }),
        text(columns::CIVIL_SERVANT_RATING, people, |p| {
            p.civil_servant_rating.as_deref()
        }),
        flag(columns::MEETS_STANDARD, people, |p| is(p, "meets")),
        flag(columns::ABOVE_STANDARD, people, |p| is(p, "above")),
        flag(columns::ASSESSED, people, |p| {
            assessed.contains(&p.category)
        }),
        flag(columns::UPGRADING, people, |p| p.upgrading),
        text(columns::EMPLOYMENT, people, |p| p.employment.as_deref()),
        Column::new(
            columns::MANAGEMENT_TRAINING.into(),
            people
                .iter()
                .map(|p| p.management_training)
                .collect::<Vec<Option<bool>>>(),
        ),
        flag(columns::STATE_MANAGEMENT, people, |p| p.state_management),
        flag(columns::ANY_MEETS_STANDARD, people, |p| any_is(p, "meets")),
        flag(columns::ANY_ABOVE_STANDARD, people, |p| any_is(p, "above")),
        flag(columns::MUST_UPGRADE, people, |p| {
            p.category == Category::Teacher
                && !is(p, "meets")
                && schemas.targets.norms.must_upgrade(p, level(p))
        }),
        Column::new(columns::TRAINING.into(), outcomes.to_vec()),
    ];
    DataFrame::new(people.len(), columns)
}

/// One row per BDTX row, with whether it was joined to a person.
pub fn training_frame(
    training: &[TrainingRow],
    matched: &[bool],
    schemas: &Schemas,
) -> PolarsResult<DataFrame> {
    let mut columns = vec![
        text(columns::FILE, training, |t| Some(&t.loc.file)),
        text(columns::SHEET, training, |t| Some(&t.loc.sheet)),
        Column::new(
            columns::ROW.into(),
            training
                .iter()
                .map(|t| t.loc.row.unwrap_or(0))
                .collect::<Vec<u32>>(),
        ),
        text(columns::SCHOOL, training, |t| Some(&t.school)),
        text(columns::NAME, training, |t| Some(&t.name)),
        date(columns::BIRTH_DATE, training, |t| t.birth_date)?,
        text(columns::ROLE, training, |t| t.role.as_deref()),
    ];
    for (i, key) in schemas.rules.training.contents.iter().enumerate() {
        let scores: Vec<Option<f64>> = training
            .iter()
            .map(|t| t.scores.get(i).copied().flatten())
            .collect();
        columns.push(Column::new(key.as_str().into(), scores));
    }
    columns.extend([
        text(columns::MODULES, training, |t| t.modules.as_deref()),
        text(columns::DECLARED_RESULT, training, |t| {
            t.declared.as_deref()
        }),
        text(columns::OUTCOME, training, |t| t.outcome.map(Outcome::code)),
        text(columns::GRADE, training, |t| t.grade.as_deref()),
        Column::new(columns::MATCHED.into(), matched.to_vec()),
    ]);
    DataFrame::new(training.len(), columns)
}
