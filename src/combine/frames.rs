//! The normalised tables as polars DataFrames, each row keeping its provenance
//! (file, sheet, 1-based Excel row). Aggregation and the CSV exports read these.

use crate::domain::model::{Category, Gender, Outcome, Person, School, TrainingRow};
use crate::domain::schema::Schemas;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::HashMap;

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

/// One row per person. `outcomes[i]` is the BDTX result joined to `people[i]`.
pub fn people_frame(
    people: &[Person],
    outcomes: &[Option<&str>],
    schools: &HashMap<&str, &School>,
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
    let is = |p: &Person, which: &str| {
        p.category == Category::Teacher
            && p.qualification
                .as_deref()
                .is_some_and(|q| standard.is(level(p), which, q))
    };
    let columns = vec![
        text("file", people, |p| Some(&p.loc.file)),
        text("sheet", people, |p| Some(&p.loc.sheet)),
        Column::new(
            "row".into(),
            people
                .iter()
                .map(|p| p.loc.row.unwrap_or(0))
                .collect::<Vec<u32>>(),
        ),
        text("school", people, |p| Some(&p.school)),
        text("name", people, |p| Some(&p.name)),
        date("birth_date", people, |p| p.birth_date)?,
        text("gender", people, |p| p.gender.map(Gender::code)),
        text("ethnicity", people, |p| p.ethnicity.as_deref()),
        flag("minority", people, |p| p.minority),
        flag("party_member", people, |p| p.party_member),
        flag("female", people, |p| p.gender == Some(Gender::Female)),
        text("role", people, |p| Some(&p.role)),
        text("category", people, |p| Some(p.category.code())),
        text("subject", people, |p| p.subject.as_deref()),
        text("qualification", people, |p| p.qualification.as_deref()),
        text("political_theory", people, |p| {
            p.political_theory.as_deref()
        }),
        text("it_level", people, |p| p.it_level.as_deref()),
        text("language_level", people, |p| p.language_level.as_deref()),
        text("standard_rating", people, |p| p.standard_rating.as_deref()),
        text("civil_servant_rating", people, |p| {
            p.civil_servant_rating.as_deref()
        }),
        flag("meets_standard", people, |p| is(p, "meets")),
        flag("above_standard", people, |p| is(p, "above")),
        flag("assessed", people, |p| {
            assessed.contains(&p.category)
        }),
        flag("upgrading", people, |p| p.upgrading),
        Column::new("training".into(), outcomes.to_vec()),
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
        text("file", training, |t| Some(&t.loc.file)),
        text("sheet", training, |t| Some(&t.loc.sheet)),
        Column::new(
            "row".into(),
            training
                .iter()
                .map(|t| t.loc.row.unwrap_or(0))
                .collect::<Vec<u32>>(),
        ),
        text("school", training, |t| Some(&t.school)),
        text("name", training, |t| Some(&t.name)),
        date("birth_date", training, |t| t.birth_date)?,
        text("role", training, |t| t.role.as_deref()),
    ];
    for (i, key) in schemas.rules.training.contents.iter().enumerate() {
        let scores: Vec<Option<f64>> = training
            .iter()
            .map(|t| t.scores.get(i).copied().flatten())
            .collect();
        columns.push(Column::new(key.as_str().into(), scores));
    }
    columns.extend([
        text("modules", training, |t| t.modules.as_deref()),
        text("declared_result", training, |t| t.declared.as_deref()),
        text("outcome", training, |t| t.outcome.map(Outcome::code)),
        text("grade", training, |t| t.grade.as_deref()),
        Column::new("matched".into(), matched.to_vec()),
    ]);
    DataFrame::new(training.len(), columns)
}
