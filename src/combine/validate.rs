//! Checks across rows: the same person listed twice, implausible birth dates, a column whose
//! values mostly do not fit it.

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

/// Codes of a value that does not fit its column (not in its list, not a date, not a number).
pub const MISFIT_CODES: [&str; 6] = [
    "unknown_value",
    "unknown_role",
    "unknown_qualification",
    "invalid_date",
    "invalid_score",
    "invalid_number",
];

/// Misfits in one column from which the column itself is reported: a handful of typing
/// mistakes is normal, this many usually means the columns were read out of place (a column
/// inserted or moved under its header, a second table with its own order).
pub const MISFITS_PER_COLUMN: usize = 5;

/// One warning per column of a sheet holding at least `MISFITS_PER_COLUMN` values that do not
/// fit it, naming the column, the count, the first rows and an example, on the school of its
/// first misfit; each misfit keeps its own row problem.
pub fn misfit_columns(issues: &[Issue]) -> Vec<Issue> {
    let mut by_column: std::collections::BTreeMap<(&str, &str, &str), Vec<&Issue>> =
        Default::default();
    for i in issues {
        if let (Some(_), Some(col)) = (i.row, i.column.as_deref()) {
            if MISFIT_CODES.contains(&i.code.as_str()) {
                let key = (i.file.as_str(), i.sheet.as_str(), col);
                by_column.entry(key).or_default().push(i);
            }
        }
    }
    let arg = |i: &Issue, name: &str| {
        i.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    let mut out = Vec::new();
    for ((file, sheet, col), found) in by_column {
        if found.len() < MISFITS_PER_COLUMN {
            continue;
        }
        let first = found[0];
        let column = match arg(first, "column") {
            Some(label) if !label.is_empty() => format!("{col} ({label})"),
            _ => col.to_string(),
        };
        let mut rows: Vec<u32> = found.iter().filter_map(|i| i.row).collect();
        rows.sort_unstable();
        rows.dedup();
        let shown: Vec<String> = rows.iter().take(5).map(u32::to_string).collect();
        let rows_text = if rows.len() > 5 {
            format!("{} …", shown.join(", "))
        } else {
            shown.join(", ")
        };
        let loc = Loc {
            file: file.into(),
            sheet: sheet.into(),
            row: None,
            col: None,
        };
        let mut issue = Issue::new(
            Severity::Warning,
            "column_misfits",
            &loc,
            &[
                ("column", &column),
                ("count", &found.len().to_string()),
                ("detail", &rows_text),
                ("value", &arg(first, "value").unwrap_or_default()),
            ],
        )
        .for_school(first.school.as_deref());
        issue.column = Some(col.to_string());
        out.push(issue);
    }
    out
}
