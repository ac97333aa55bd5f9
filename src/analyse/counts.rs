//! Counting people in polars, and how an aggregated frame gives the counts back; the
//! count structures of summary.json's STATS.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCounts {
    pub total: u32,
    pub managers: u32,
    pub teachers: u32,
    pub support: u32,
    pub female: u32,
    pub ethnic_minority: u32,
    pub party_members: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationCounts {
    pub doctorate: u32,
    pub master: u32,
    pub bachelor: u32,
    pub college: u32,
    pub intermediate: u32,
    pub other: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
