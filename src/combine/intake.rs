//! The records as they are counted, before any table: each file's records given to its
//! school (`Collected::add_file`), then `settle`: the school year, copies of a person
//! dropped, fields mostly not read flagged, BDTX rows joined to people. No polars and no
//! threads: the batch job and the self-check page (WebAssembly) run exactly this.

use crate::combine::join::join_training;
use crate::combine::validate::drop_duplicates;
use crate::domain::issue::{Issue, Severity};
use crate::domain::model::{Loc, Person, School, TrainingRow};
use crate::domain::schema::Schemas;
use crate::domain::text::school_year_in;
use crate::input::attribute::{Attribution, SchoolMatcher};
use crate::input::ingest::ParsedFile;
use crate::input::rows::RowCounts;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A file no school was found for, and the registry schools whose names are closest.
#[derive(Debug, Clone, Serialize)]
pub struct UnmatchedFile {
    pub file: String,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub code: String,
    pub name: String,
    /// How alike the names are, in percent: each of the school's name words against the
    /// closest word of the file's name and texts (`SchoolMatcher::closest`), averaged.
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailedFile {
    pub file: String,
    pub error: String,
}

/// How much of what a school sent became records: the check that no figure silently
/// dropped part of a school.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Intake {
    /// Rows of its staff lists that name a person (accepted or rejected).
    pub people_read: usize,
    /// Of those, rejected (no role, duplicate, …): not counted in any figure.
    pub people_rejected: usize,
    /// Rows of its BDTX sheets that name a person.
    pub training_read: usize,
    /// Of those, matched to nobody on its staff list (or rejected).
    pub training_unmatched: usize,
    /// Fields its staff lists have a column for but whose value was read for under 90% of
    /// its people (`fields::LOST_SHARE`): a figure on them would not be what the list says.
    pub unread_fields: Vec<String>,
}

impl Intake {
    /// Share of rejected or unmatched rows above which the office is told to check the
    /// school's files before signing its figures.
    pub const CHECK_SHARE: f64 = 0.10;

    /// More than 10% of the school's staff rows rejected, or of its BDTX rows unmatched.
    pub fn needs_check(&self) -> bool {
        let over = |part: usize, whole: usize| part as f64 > Self::CHECK_SHARE * whole as f64;
        over(self.people_rejected, self.people_read)
            || over(self.training_unmatched, self.training_read)
            || !self.unread_fields.is_empty()
    }
}

/// A file read and attributed, or why it could not be read.
pub type FileOutcome = Result<(ParsedFile, Attribution), crate::input::read::ReadError>;

/// Every file's records in one place; a file that could not be read is a problem of its
/// school when its name says which school sent it ("TH005_….xls").
pub fn collect(
    parsed: Vec<(String, FileOutcome)>,
    matcher: &SchoolMatcher,
    schemas: &Schemas,
) -> Collected {
    let mut job = Collected::default();
    let records = |f: fn(&ParsedFile) -> usize| {
        parsed
            .iter()
            .filter_map(|(_, o)| o.as_ref().ok())
            .map(|(file, _)| f(file))
            .sum::<usize>()
    };
    // Reserved up front: growing by doubling would copy every record and, for a moment,
    // hold half as many again.
    job.people.reserve_exact(records(|f| f.people.len()));
    job.training.reserve_exact(records(|f| f.training.len()));
    for (rel, outcome) in parsed {
        match outcome {
            Ok((file, attribution)) => job.add_file(file, attribution, matcher, schemas),
            Err(e) => {
                let message = e.issue(&rel);
                job.failed.push(FailedFile {
                    file: rel.clone(),
                    error: message.message(&schemas.messages),
                });
                let school = match matcher.attribute(&[], &file_stem(&rel)) {
                    Attribution::School(code) => Some(code),
                    _ => None,
                };
                job.issues.push(message.for_school(school.as_deref()));
            }
        }
    }
    job
}

/// The registry school a parsed workbook belongs to (run inside each file's task).
pub fn attribute(file: &ParsedFile, matcher: &SchoolMatcher) -> Attribution {
    if file.rows.is_empty() {
        // No data sheet (already reported): nothing to give a school.
        return Attribution::Unmatched;
    }
    matcher.attribute(&file.identity, &file_stem(&file.file))
}

/// The stem only: folding drops dots, so "kim_dong.xlsx" would read as "kim dongxlsx".
pub fn file_stem(rel: &str) -> String {
    std::path::Path::new(rel)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Records gathered from the parsed files, attributed to schools.
#[derive(Default)]
pub struct Collected {
    pub people: Vec<Person>,
    pub training: Vec<TrainingRow>,
    pub issues: Vec<Issue>,
    pub rows: BTreeMap<String, RowCounts>,
    pub read: Vec<String>,
    pub failed: Vec<FailedFile>,
    pub files_of: BTreeMap<String, Vec<String>>,
    pub intake: HashMap<String, Intake>,
    /// (file, school year it names, its school) of the files that name one.
    pub years: Vec<(String, String, Option<String>)>,
    /// Column keys of each school's staff lists.
    pub staff_columns: HashMap<String, std::collections::BTreeSet<String>>,
    pub unmatched: Vec<UnmatchedFile>,
}

/// Leaves out the schools outside `commune` (a commune or cluster of the registry), their
/// records, their files' row accounting and their issues.
pub fn keep_commune(commune: &str, schools: &mut Vec<School>, job: &mut Collected) {
    let wanted = crate::domain::text::fold(commune);
    let inside = |s: &School| {
        [&s.commune, &s.cluster]
            .into_iter()
            .flatten()
            .any(|c| crate::domain::text::fold(c) == wanted)
    };
    let kept: FxHashSet<String> = schools
        .iter()
        .filter(|s| inside(s))
        .map(|s| s.code.clone())
        .collect();
    schools.retain(|s| kept.contains(&s.code));
    let left_out: FxHashSet<String> = job
        .files_of
        .iter()
        .filter(|(code, _)| !kept.contains(*code))
        .flat_map(|(_, files)| files.iter().cloned())
        .collect();
    job.files_of.retain(|code, _| kept.contains(code));
    job.people.retain(|p| kept.contains(p.school.as_str()));
    job.training.retain(|t| kept.contains(t.school.as_str()));
    job.issues
        .retain(|i| i.school.as_ref().is_none_or(|c| kept.contains(c)));
    // Row counts are keyed "file/sheet"; a sheet name cannot hold "/".
    job.rows.retain(|key, _| {
        key.rsplit_once('/')
            .is_none_or(|(file, _)| !left_out.contains(file))
    });
    job.read.retain(|f| !left_out.contains(f));
    job.years.retain(|(f, _, _)| !left_out.contains(f));
}

/// Share of a school's people whose value of a field must be read, when its list has the
/// field's column; below it the field is reported as not read.
pub const READ_SHARE: f64 = 0.90;

/// The fields watched, each with the column keys that give it and how a person's value is
/// told read: gender, birth date, qualification, rating on the standard (managers and
/// teachers), ethnicity.
type Watched = (
    &'static str,
    &'static [&'static str],
    fn(&Person) -> Option<bool>,
);
const WATCHED: [Watched; 5] = [
    (
        "gender",
        &[
            "gender",
            "female_mark",
            "male_mark",
            "birth_date_male",
            "birth_date_female",
        ],
        |p| Some(p.gender.is_some()),
    ),
    (
        "birth_date",
        &["birth_date", "birth_date_male", "birth_date_female"],
        |p| Some(p.birth_date.is_some()),
    ),
    ("qualification", &["qualification"], |p| {
        Some(p.qualification.is_some())
    }),
    ("standard_rating", &["standard_rating"], |p| {
        (p.category != crate::domain::model::Category::Support)
            .then_some(p.standard_rating.is_some())
    }),
    ("ethnicity", &["ethnicity"], |p| Some(p.ethnicity.is_some())),
];

/// Per school, the watched fields its lists give a column for but whose values were read
/// for under `READ_SHARE` of the people they concern (at least five), and one warning each.
fn unread_fields(
    job: &Collected,
    issues: &[Issue],
    s: &Schemas,
) -> Vec<(String, Vec<String>, Issue)> {
    let (columns, files_of) = (&job.staff_columns, &job.files_of);
    let mut by_school: BTreeMap<&str, Vec<&Person>> = BTreeMap::new();
    for p in &job.people {
        by_school.entry(p.school.as_str()).or_default().push(p);
    }
    let misread = misread_rows(issues, s);
    let mut training_rows: HashMap<&str, usize> = HashMap::new();
    for t in &job.training {
        *training_rows.entry(t.school.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for (school, list) in by_school {
        let Some(keys) = columns.get(school) else {
            continue;
        };
        let mut lost = Vec::new();
        let mut details = Vec::new();
        for (field, keys_of, read) in WATCHED {
            if !keys_of.iter().any(|k| keys.contains(*k)) {
                continue;
            }
            let concerned: Vec<bool> = list.iter().filter_map(|p| read(p)).collect();
            let got = concerned.iter().filter(|r| **r).count();
            if concerned.len() >= 5 && (got as f64) < READ_SHARE * concerned.len() as f64 {
                lost.push(field.to_string());
                details.push(format!(
                    "{} {got}/{}",
                    s.staff.label_of(field),
                    concerned.len()
                ));
            }
        }
        // Marks and results: a blank cell is a value ("không", "chưa có kết quả"); only
        // cells written and not understood are not read.
        let training = training_rows.get(school).copied().unwrap_or(0);
        let marked = [
            ("party_member", list.len(), keys.contains("party_member")),
            ("result", training, true),
        ];
        for (field, concerned, has_column) in marked {
            let bad = misread
                .get(&(school, field))
                .copied()
                .unwrap_or(0)
                .min(concerned);
            if has_column
                && concerned >= 5
                && ((concerned - bad) as f64) < READ_SHARE * concerned as f64
            {
                lost.push(field.to_string());
                let label = match field {
                    "result" => s.training.label_of(field),
                    _ => s.staff.label_of(field),
                };
                details.push(format!("{label} {}/{concerned}", concerned - bad));
            }
        }
        if lost.is_empty() {
            continue;
        }
        let file = files_of
            .get(school)
            .and_then(|f| f.first())
            .cloned()
            .unwrap_or_default();
        let issue = Issue::new(
            Severity::Warning,
            "fields_not_read",
            &Loc::file(&file),
            &[("detail", &details.join("; "))],
        )
        .for_school(Some(school));
        out.push((school.to_string(), lost, issue));
    }
    out
}

/// Rows whose party mark or BDTX result (a score or the declared result) was written but not
/// understood, per school and field, counted from the row problems that say so.
fn misread_rows<'i>(issues: &'i [Issue], s: &Schemas) -> HashMap<(&'i str, &'static str), usize> {
    let field_of = |label: &str| -> Option<&'static str> {
        if label == s.staff.label_of("party_member") {
            return Some("party_member");
        }
        s.training
            .columns
            .iter()
            .any(|c| (c.key == "result" || c.key.starts_with("score_")) && c.label == label)
            .then_some("result")
    };
    let mut rows = std::collections::HashSet::new();
    for i in issues {
        let (Some(school), Some(row)) = (i.school.as_deref(), i.row) else {
            continue;
        };
        if !crate::combine::validate::MISFIT_CODES.contains(&i.code.as_str()) {
            continue;
        }
        let label = i
            .args
            .iter()
            .find(|(k, _)| *k == "column")
            .map(|(_, v)| v.as_str());
        if let Some(field) = label.and_then(field_of) {
            rows.insert((school, field, i.file.as_str(), i.sheet.as_str(), row));
        }
    }
    let mut out = HashMap::new();
    for (school, field, ..) in rows {
        *out.entry((school, field)).or_insert(0) += 1;
    }
    out
}

/// The registry schools whose names are closest to a file no school was found for.
fn closest_schools(file: &ParsedFile, matcher: &SchoolMatcher) -> UnmatchedFile {
    let near = matcher.closest(&file.identity, &file_stem(&file.file), 3);
    UnmatchedFile {
        file: file.file.clone(),
        candidates: near
            .into_iter()
            .map(|(s, score)| Candidate {
                code: s.code.clone(),
                name: s.name.clone(),
                score: (score * 100.0).round(),
            })
            .collect(),
    }
}

/// The school year of the run: the one given, else the registry's, else the one most files
/// name (the earliest on a tie), else the clock's.
fn school_year(source: YearSource, years: &[(String, String, Option<String>)]) -> String {
    if let Some(year) = source.given {
        return year.to_string();
    }
    if let Some(year) = source.registry_title.iter().find_map(|l| school_year_in(l)) {
        return year;
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, year, _) in years {
        *counts.entry(year.as_str()).or_default() += 1;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    counts
        .into_iter()
        .find(|&(_, n)| n == most && n > 0)
        .map(|(y, _)| y.to_string())
        .unwrap_or(source.fallback)
}

/// A warning on each file that names another school year than the run's.
fn other_years(years: &[(String, String, Option<String>)], school_year: &str) -> Vec<Issue> {
    years
        .iter()
        .filter(|(_, year, _)| year != school_year)
        .map(|(file, year, school)| {
            Issue::new(
                Severity::Warning,
                "file_other_year",
                &Loc::file(file),
                &[("value", year), ("detail", school_year)],
            )
            .for_school(school.as_deref())
        })
        .collect()
}

impl Collected {
    pub fn add_file(
        &mut self,
        mut file: ParsedFile,
        attribution: Attribution,
        matcher: &SchoolMatcher,
        s: &Schemas,
    ) {
        self.read.push(file.file.clone());
        let year = file.identity.iter().find_map(|l| school_year_in(l));
        let school = match attribution {
            Attribution::School(code) => Some(code),
            Attribution::Unmatched if file.rows.is_empty() => None,
            Attribution::Unmatched => {
                let near = closest_schools(&file, matcher);
                let list: Vec<String> = near
                    .candidates
                    .iter()
                    .map(|c| format!("{} ({}, {}%)", c.name, c.code, c.score))
                    .collect();
                let detail = match list.is_empty() {
                    true => String::new(),
                    false => s
                        .label("unmatched_near")
                        .replace("{list}", &list.join("; ")),
                };
                self.unattributed(&mut file, "school_unmatched", &detail);
                self.unmatched.push(near);
                None
            }
            Attribution::Ambiguous(codes) => {
                self.unattributed(&mut file, "school_ambiguous", &codes.join(", "));
                None
            }
        };
        if let Some(year) = year {
            self.years.push((file.file.clone(), year, school.clone()));
        }
        if let Some(code) = &school {
            self.files_of
                .entry(code.clone())
                .or_default()
                .push(file.file.clone());
            self.staff_columns
                .entry(code.clone())
                .or_default()
                .extend(std::mem::take(&mut file.staff_columns));
            let intake = self.intake.entry(code.clone()).or_default();
            intake.people_read += file.people.len() + file.staff_rejected;
            intake.people_rejected += file.staff_rejected;
            intake.training_read += file.training.len() + file.training_rejected;
            intake.training_unmatched += file.training_rejected;
            let code = crate::domain::model::Text::from(code.as_str());
            for p in &mut file.people {
                p.school = code.clone();
            }
            for t in &mut file.training {
                t.school = code.clone();
            }
            self.people.append(&mut file.people);
            self.training.append(&mut file.training);
        }
        for i in &mut file.issues {
            i.school = school.clone();
        }
        self.issues.append(&mut file.issues);
        // extend, not append: append merges the whole map again for every file.
        self.rows.extend(std::mem::take(&mut file.rows));
    }

    /// A file no school can be given: reported, and its records counted as rejected.
    fn unattributed(&mut self, file: &mut ParsedFile, code: &str, detail: &str) {
        self.issues.push(Issue::new(
            Severity::Error,
            code,
            &Loc::file(&file.file),
            &[("detail", detail)],
        ));
        for counts in file.rows.values_mut() {
            counts.rejected += counts.accepted;
            counts.accepted = 0;
        }
        file.people.clear();
        file.training.clear();
    }
}

/// Stage 2, the records as they are counted: the school year settled, copies of a person
/// dropped, fields mostly not read flagged, BDTX rows joined to people.
pub struct Settled {
    pub school_year: String,
    pub matches: crate::combine::join::Matches,
}

/// The school year the run reports, as `settle` is told it.
pub struct YearSource<'a> {
    /// Given by the office (`--nam-hoc`).
    pub given: Option<&'a str>,
    /// The registry's title lines.
    pub registry_title: &'a [String],
    /// When neither they nor the files name one: the one in progress by the clock.
    pub fallback: String,
}

pub fn settle(
    job: &mut Collected,
    issues: &mut Vec<Issue>,
    year: YearSource,
    schemas: &Schemas,
) -> Settled {
    // Many misfits in one column: the column is named, not only its cells.
    let misfits = crate::combine::validate::misfit_columns(issues);
    issues.extend(misfits);
    let school_year = school_year(year, &job.years);
    issues.extend(other_years(&job.years, &school_year));
    crate::timing::mark("attribute");
    let duplicates = drop_duplicates(&mut job.people);
    issues.extend(duplicates.issues);
    issues.extend(crate::combine::validate::implausible_births(
        &job.people,
        &school_year,
    ));
    // A dropped copy was accepted when its row was read: it is rejected now.
    for (loc, school) in &duplicates.dropped {
        if let Some(c) = job.rows.get_mut(&format!("{}/{}", loc.file, loc.sheet)) {
            c.accepted -= 1;
            c.rejected += 1;
        }
        if let Some(intake) = job.intake.get_mut(school.as_str()) {
            intake.people_rejected += 1;
        }
    }
    // Fields a school's list has a column for but that were mostly not read: said, and the
    // school's figures flagged for checking.
    for (school, fields, issue) in unread_fields(job, issues, schemas) {
        if let Some(intake) = job.intake.get_mut(school.as_str()) {
            intake.unread_fields = fields;
        }
        issues.push(issue);
    }
    let mut matches = join_training(&job.people, &job.training, schemas);
    for school in &matches.unmatched {
        if let Some(intake) = job.intake.get_mut(school.as_str()) {
            intake.training_unmatched += 1;
        }
    }
    issues.append(&mut matches.issues);
    crate::timing::mark("dups+join");
    Settled {
        school_year,
        matches,
    }
}
