//! Joins BDTX rows to the staff list of the same school: a hash join on the folded name,
//! narrowed by birth date when both sides have one (compared at the coarser of their
//! precisions: a year-only "1997" matches "14/10/1997").

use crate::domain::issue::{Issue, Severity};
use crate::domain::model::{Person, Precision, Text, TrainingRow};
use crate::domain::schema::Schemas;
use rustc_hash::FxHashMap;

/// For each person (by index in `people`), the index of the BDTX row that counts for them.
pub struct Matches {
    pub by_person: Vec<Option<usize>>,
    pub issues: Vec<Issue>,
    /// Schools of the BDTX rows no single person was found for (one entry per row).
    pub unmatched: Vec<Text>,
}

pub fn join_training(people: &[Person], training: &[TrainingRow], schemas: &Schemas) -> Matches {
    let mut index: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    for (i, p) in people.iter().enumerate() {
        index
            .entry((p.school.as_str(), p.name_key.as_str()))
            .or_default()
            .push(i);
    }
    let mut by_person = vec![None; people.len()];
    let mut issues = Vec::new();
    let mut unmatched = Vec::new();
    let assessed = &schemas.rules.training.assessed_categories;
    for (t_idx, t) in training.iter().enumerate() {
        let issue = |code: &str| {
            Issue::new(Severity::Warning, code, &t.loc, &[("value", &t.name)])
                .for_school(Some(&t.school))
        };
        let candidates: Vec<usize> = index
            .get(&(t.school.as_str(), t.name_key.as_str()))
            .map(|c| {
                c.iter()
                    .copied()
                    .filter(|&i| match (t.birth_date, people[i].birth_date) {
                        (Some(a), Some(b)) => Precision::compatible(
                            (a, t.birth_precision),
                            (b, people[i].birth_precision),
                        ),
                        _ => true,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let person = match candidates.as_slice() {
            [] => {
                issues.push(issue("training_unmatched"));
                unmatched.push(t.school.clone());
                continue;
            }
            [one] => *one,
            _ => {
                issues.push(issue("training_ambiguous"));
                unmatched.push(t.school.clone());
                continue;
            }
        };
        if !assessed.contains(&people[person].category) {
            issues.push(issue("support_has_training"));
        } else if by_person[person].is_some() {
            issues.push(issue("duplicate_training"));
        } else {
            by_person[person] = Some(t_idx);
        }
    }
    Matches {
        by_person,
        issues,
        unmatched,
    }
}
