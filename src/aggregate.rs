//! Per-school and district statistics, computed with polars from the people table.

use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// The figures reported for a school and for the district (STATS in summary.json).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub staff: StaffCounts,
    pub teacher_qualification: QualificationCounts,
    pub teachers_meeting_standard: u32,
    pub teachers_above_standard: u32,
    pub training: TrainingCounts,
}

impl Stats {
    /// Share of assessed people (managers and teachers) who completed BDTX, 0–1.
    pub fn completion_rate(&self) -> Option<f64> {
        let assessed = self.staff.managers + self.staff.teachers;
        (assessed > 0).then(|| self.training.completed as f64 / assessed as f64)
    }

    pub fn share_of_teachers(&self, n: u32) -> Option<f64> {
        (self.staff.teachers > 0).then(|| n as f64 / self.staff.teachers as f64)
    }
}

const QUALIFICATIONS: [&str; 6] = [
    "doctorate",
    "master",
    "bachelor",
    "college",
    "intermediate",
    "other",
];

fn count_if(e: Expr, name: &str) -> Expr {
    e.cast(DataType::UInt32)
        .sum()
        .cast(DataType::Int64)
        .alias(name)
}

fn is(column: &str, value: &str) -> Expr {
    col(column).eq(lit(value.to_string())).fill_null(lit(false))
}

/// One aggregate per STATS field, named as in summary.json's flattened paths.
fn aggregations() -> Vec<Expr> {
    let teacher = || is("category", "teacher");
    let mut aggs = vec![
        len().cast(DataType::Int64).alias("total"),
        count_if(is("category", "manager"), "managers"),
        count_if(teacher(), "teachers"),
        count_if(is("category", "support"), "support"),
        count_if(col("female"), "female"),
        count_if(col("minority"), "ethnic_minority"),
        count_if(col("party_member"), "party_members"),
        count_if(col("meets_standard"), "meeting"),
        count_if(col("above_standard"), "above"),
        count_if(is("training", "completed"), "completed"),
        count_if(is("training", "not_completed"), "not_completed"),
        count_if(col("assessed").and(col("training").is_null()), "no_result"),
    ];
    for q in QUALIFICATIONS {
        // A teacher with no qualification written counts as "other".
        let this = if q == "other" {
            is("qualification", q).or(col("qualification").is_null())
        } else {
            is("qualification", q)
        };
        aggs.push(count_if(teacher().and(this), &format!("q_{q}")));
    }
    aggs
}

/// Statistics per school code, and for the whole district.
pub fn aggregate(people: &DataFrame) -> PolarsResult<(BTreeMap<String, Stats>, Stats)> {
    let per_school = people
        .clone()
        .lazy()
        .group_by([col("school")])
        .agg(aggregations())
        .collect()?;
    let district = people.clone().lazy().select(aggregations()).collect()?;
    let mut by_school = BTreeMap::new();
    let schools = per_school.column("school")?.str()?.clone();
    for (i, code) in schools.iter().enumerate() {
        if let Some(code) = code {
            by_school.insert(code.to_string(), stats_at(&per_school, i)?);
        }
    }
    let district = if people.height() == 0 {
        Stats::default()
    } else {
        stats_at(&district, 0)?
    };
    Ok((by_school, district))
}

fn stats_at(df: &DataFrame, i: usize) -> PolarsResult<Stats> {
    let get = |name: &str| -> PolarsResult<u32> {
        Ok(df.column(name)?.i64()?.get(i).unwrap_or(0) as u32)
    };
    Ok(Stats {
        staff: StaffCounts {
            total: get("total")?,
            managers: get("managers")?,
            teachers: get("teachers")?,
            support: get("support")?,
            female: get("female")?,
            ethnic_minority: get("ethnic_minority")?,
            party_members: get("party_members")?,
        },
        teacher_qualification: QualificationCounts {
            doctorate: get("q_doctorate")?,
            master: get("q_master")?,
            bachelor: get("q_bachelor")?,
            college: get("q_college")?,
            intermediate: get("q_intermediate")?,
            other: get("q_other")?,
        },
        teachers_meeting_standard: get("meeting")?,
        teachers_above_standard: get("above")?,
        training: TrainingCounts {
            completed: get("completed")?,
            not_completed: get("not_completed")?,
            no_result: get("no_result")?,
        },
    })
}
