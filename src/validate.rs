//! Checks across rows of one school: the same person listed twice.

use crate::issue::{Issue, Severity};
use crate::model::Person;
use crate::schema::Schemas;
use rustc_hash::FxHashSet;

/// Removes later copies of a person (same folded name and birth date) from `people`, which
/// must be in input order, and returns one error per removed row.
pub fn drop_duplicates(people: &mut Vec<Person>, schemas: &Schemas) -> Vec<Issue> {
    let mut seen = FxHashSet::default();
    let mut issues = Vec::new();
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
                    schemas,
                    Severity::Error,
                    "duplicate_person",
                    &p.loc,
                    &[("value", &p.name), ("detail", &date)],
                )
                .for_school(Some(&p.school)),
            );
            false
        })
        .collect();
    drop(seen);
    let mut keep = keep.into_iter();
    people.retain(|_| keep.next().unwrap_or(true));
    issues
}
