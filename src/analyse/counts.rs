//! Counting people in polars: the counts both the per-school figures (`aggregate`) and the
//! staff groups (`groups`) are made of, and how an aggregated frame gives them back.

use crate::combine::frames::columns;
use crate::domain::model::Outcome;
use polars::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StaffCounts {
    pub total: u32,
    pub managers: u32,
    pub teachers: u32,
    pub support: u32,
    pub female: u32,
    pub ethnic_minority: u32,
    pub party_members: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QualificationCounts {
    pub doctorate: u32,
    pub master: u32,
    pub bachelor: u32,
    pub college: u32,
    pub intermediate: u32,
    pub other: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TrainingCounts {
    pub completed: u32,
    pub not_completed: u32,
    pub no_result: u32,
}

/// Qualification codes in report order (codes of `[qualification]` in vocabularies.toml).
pub const QUALIFICATIONS: [&str; 6] = [
    "doctorate",
    "master",
    "bachelor",
    "college",
    "intermediate",
    "other",
];

/// How many rows `e` holds for (a null counts as false), as an Int64 column `name`.
pub fn count_if(e: Expr, name: &str) -> Expr {
    e.fill_null(lit(false))
        .cast(DataType::UInt32)
        .sum()
        .cast(DataType::Int64)
        .alias(name)
}

pub fn is(column: &str, value: &str) -> Expr {
    col(column).eq(lit(value.to_string())).fill_null(lit(false))
}

/// The count `name` of row `i` of an aggregated frame.
pub fn count_at(df: &DataFrame, i: usize, name: &str) -> PolarsResult<u32> {
    Ok(df.column(name)?.i64()?.get(i).unwrap_or(0) as u32)
}

/// Counts of each qualification among the rows `among` selects, named "q_<code>": someone
/// with no qualification written counts as "other".
pub fn qualification_counts(among: impl Fn() -> Expr) -> Vec<Expr> {
    QUALIFICATIONS
        .iter()
        .map(|&q| {
            let this = if q == "other" {
                is(columns::QUALIFICATION, q).or(col(columns::QUALIFICATION).is_null())
            } else {
                is(columns::QUALIFICATION, q)
            };
            count_if(among().and(this), &format!("q_{q}"))
        })
        .collect()
}

/// `qualification_counts` of row `i` of an aggregated frame.
pub fn qualification_at(df: &DataFrame, i: usize) -> PolarsResult<QualificationCounts> {
    let q = |code: &str| count_at(df, i, &format!("q_{code}"));
    Ok(QualificationCounts {
        doctorate: q("doctorate")?,
        master: q("master")?,
        bachelor: q("bachelor")?,
        college: q("college")?,
        intermediate: q("intermediate")?,
        other: q("other")?,
    })
}

/// The BDTX outcomes: "completed", "not_completed", and "no_result" (assessed, no outcome).
pub fn training_counts() -> [Expr; 3] {
    [
        count_if(
            is(columns::TRAINING, Outcome::Completed.code()),
            "completed",
        ),
        count_if(
            is(columns::TRAINING, Outcome::NotCompleted.code()),
            "not_completed",
        ),
        count_if(
            col(columns::ASSESSED).and(col(columns::TRAINING).is_null()),
            "no_result",
        ),
    ]
}

/// `training_counts` of row `i` of an aggregated frame.
pub fn training_at(df: &DataFrame, i: usize) -> PolarsResult<TrainingCounts> {
    Ok(TrainingCounts {
        completed: count_at(df, i, "completed")?,
        not_completed: count_at(df, i, "not_completed")?,
        no_result: count_at(df, i, "no_result")?,
    })
}
