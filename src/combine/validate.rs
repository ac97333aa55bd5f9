//! Checks across rows of one school: the same person listed twice.

use crate::domain::issue::{Issue, Severity};
use crate::domain::model::{Loc, Person, Text};
use rustc_hash::FxHashSet;

/// Removes later copies of a person (same folded name and birth date) from `people`, which
/// must be in input order, and returns one error per removed row.
pub fn drop_duplicates(people: &mut Vec<Person>) -> Duplicates {
    let mut seen = FxHashSet::default();
    let mut issues = Vec::new();
    let mut dropped = Vec::new();
    let keep: Vec<bool> = people
        .iter()
        .map(|p| {
            let Some(birth) = p.birth_date else {
                return true;
            };
            if seen.insert((p.school.as_str(), p.name_key.as_str(), birth)) {
                return true;
            }
            let date = p.birth_precision.format(birth);
            issues.push(
                Issue::new(
                    Severity::Error,
                    "duplicate_person",
                    &p.loc,
                    &[("value", &p.name), ("detail", &date)],
                )
                .for_school(Some(&p.school)),
            );
            dropped.push((p.loc.clone(), p.school.clone()));
            false
        })
        .collect();
    drop(seen);
    let mut keep = keep.into_iter();
    people.retain(|_| keep.next().unwrap_or(true));
    Duplicates { issues, dropped }
}

/// People listed twice: the issues, and where each dropped copy was (its row and school).
pub struct Duplicates {
    pub issues: Vec<Issue>,
    pub dropped: Vec<(Loc, Text)>,
}

/// Earliest birth year taken as plausible for someone on a school's staff.
pub const EARLIEST_BIRTH_YEAR: i32 = 1940;
/// Youngest age at which someone can be on a school's staff, in the school year's first year.
pub const YOUNGEST_AGE: i32 = 16;

/// Warns of birth dates no member of staff can have (1/1/1900, 31/12/9999, born last year),
/// on the person's row; the date is kept as written, for the school to correct.
pub fn implausible_births(people: &[Person], school_year: &str) -> Vec<Issue> {
    use chrono::Datelike;
    let first_year: Option<i32> = school_year.get(..4).and_then(|y| y.parse().ok());
    let latest = first_year.map(|y| y - YOUNGEST_AGE);
    people
        .iter()
        .filter_map(|p| {
            let birth = p.birth_date?;
            let year = birth.year();
            let implausible = year < EARLIEST_BIRTH_YEAR || latest.is_some_and(|l| year > l);
            implausible.then(|| {
                let date = p.birth_precision.format(birth);
                Issue::new(
                    Severity::Warning,
                    "implausible_birth_date",
                    &p.loc,
                    &[("value", &date), ("detail", &p.name)],
                )
                .for_school(Some(&p.school))
            })
        })
        .collect()
}
