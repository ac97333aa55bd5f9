//! The whole job as a library call, in four stages: gather (registry → discover → ingest,
//! in parallel → attribute), settle (validate → join), measure (frames → aggregate), judge
//! (rules and targets). Writing outputs is separate (`output`), so tests can assert
//! on the result directly. `previous` gives last year's figures, from its summary.json or by
//! running the job on its files.

pub mod previous;

use crate::analyse::aggregate::{aggregate, training_detail, Measures, TrainingDetail};
use crate::analyse::groups::groups;
use crate::analyse::staffing::{add_measures, analyse, Staffing};
use crate::analyse::targets::{evaluate, SchoolTargets};
use crate::combine::frames::{people_frame, training_frame};
use crate::combine::join::join_training;
use crate::combine::validate::drop_duplicates;
use crate::domain::issue::{Issue, Severity};
use crate::domain::model::{Loc, Person, School, Text, TrainingRow};
use crate::domain::schema::{BdtxRules, Schemas};
use crate::domain::text::school_year_in;
use crate::input::attribute::{Attribution, SchoolMatcher};
use crate::input::discover::{discover, relative};
use crate::input::ingest::{ingest, ParsedFile};
use crate::input::read::read_workbook;
use crate::input::registry::parse_registry;
use crate::input::rows::{Markers, RowCounts};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::DataFrame;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// What to run on.
#[derive(Debug, Clone)]
pub struct JobConfig {
    pub input: PathBuf,
    /// Registry file name, relative to `input`.
    pub registry: String,
    /// The school year reported ("2024-2025"). None: the one the registry's title names, else
    /// the one most schools' files name ("Năm học 2024-2025" in a title or information
    /// sheet), else the one in progress by the clock.
    pub school_year: Option<String>,
    /// The BDTX rules the results are read under (`--bdtx-rules`).
    pub bdtx_rules: BdtxRules,
    /// Only the schools of this commune (or cluster) of the registry (`--commune`): the
    /// others' files are read and attributed as usual, then left out.
    pub commune: Option<String>,
}

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

/// A registry school with what it submitted and its figures.
#[derive(Debug, Clone)]
pub struct SchoolResult {
    pub school: School,
    pub files: Vec<String>,
    pub intake: Intake,
    /// Every count of the school (`measures.stats` is what summary.json publishes).
    pub measures: Measures,
    /// Accreditation and national-standard rules judged on staff data.
    pub targets: SchoolTargets,
    pub training_detail: TrainingDetail,
}

/// Everything the reports are made from.
pub struct JobResult {
    pub school_year: String,
    /// "tt19" or "tt26": the BDTX rules applied.
    pub bdtx_rules: String,
    pub files_read: Vec<String>,
    pub files_failed: Vec<FailedFile>,
    pub files_ignored: Vec<String>,
    /// Files no school was found for, each with the closest registry schools by name.
    pub unmatched_files: Vec<UnmatchedFile>,
    pub schools: Vec<SchoolResult>,
    pub district: Measures,
    pub district_training_detail: TrainingDetail,
    /// Sorted by file, sheet, row, column, code.
    pub issues: Vec<Issue>,
    pub missing_submissions: Vec<String>,
    pub rows: BTreeMap<String, RowCounts>,
    /// Normalised people (with `training` outcome) and BDTX rows, with provenance.
    pub people: DataFrame,
    pub training: DataFrame,
    /// Title lines of the registry (the issuing body, when it names one).
    pub registry_title: Vec<String>,
    /// The registry's "Thông tin đơn vị" sheet (the CLI may add to it).
    pub issuer: crate::domain::issuer::IssuerFields,
    /// Registry units of other levels left out: label → how many.
    pub registry_left_out: BTreeMap<String, u32>,

    /// Norms, ages, retirements and qualification roadmap (the staffing report).
    pub staffing: Staffing,
}

impl JobResult {
    /// The result of the registry school with this code.
    pub fn school(&self, code: &str) -> Option<&SchoolResult> {
        self.schools.iter().find(|s| s.school.code == code)
    }
}

pub fn run_job(config: &JobConfig, schemas: &Schemas) -> Result<JobResult> {
    run_job_with_progress(config, schemas, false)
}

/// Called with the normalised tables (people, BDTX rows) as soon as they exist, beside the
/// aggregation: the CLI writes the CSV exports there instead of after the reports.
pub type TablesHook<'a> = dyn Fn(&DataFrame, &DataFrame) -> Result<()> + Sync + 'a;

/// A progress bar on stderr while files are read, once a run has taken over a second; never
/// drawn when stderr is not a terminal.
fn progress_bar(files: usize, show: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden());
    if show {
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} tệp ({per_sec})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// `run_job`, with a progress bar on stderr when `show_progress` (the CLI).
pub fn run_job_with_progress(
    config: &JobConfig,
    schemas: &Schemas,
    show_progress: bool,
) -> Result<JobResult> {
    run_job_with_tables(config, schemas, show_progress, &|_, _| Ok(()))
}

/// `run_job_with_progress`, handing the tables to `on_tables` while the figures are computed.
/// The stages, each owning its rules: `gather` (registry, files read and attributed),
/// `settle` (school year, duplicates, unread fields, BDTX joined to people), `measure`
/// (tables, staffing, figures), `judge` (each school's rules and targets, missing
/// submissions); this only calls them and puts the result together.
pub fn run_job_with_tables(
    config: &JobConfig,
    schemas: &Schemas,
    show_progress: bool,
    on_tables: &TablesHook,
) -> Result<JobResult> {
    crate::timing::mark("start");
    let mut gathered = gather(config, schemas, show_progress)?;
    let settled = settle(&mut gathered, config, schemas);
    let mut measured = measure(&mut gathered, &settled, config, schemas, on_tables)?;
    let (schools, missing) = judge(&mut gathered, &mut measured, schemas);
    let Gathered {
        registry,
        ignored,
        collected: job,
        mut issues,
        ..
    } = gathered;
    issues.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    crate::timing::mark("schools+targets");
    let mut files_read = job.read;
    files_read.sort();
    Ok(JobResult {
        school_year: settled.school_year,
        bdtx_rules: format!("{:?}", config.bdtx_rules).to_lowercase(),
        files_read,
        files_failed: job.failed,
        files_ignored: ignored,
        unmatched_files: job.unmatched,
        schools,
        district: measured.district,
        district_training_detail: measured.district_training_detail,
        issues,
        missing_submissions: missing,
        rows: job.rows,
        people: measured.people,
        training: measured.training,
        registry_title: registry.title_lines,
        issuer: registry.issuer,
        registry_left_out: registry.left_out,
        staffing: measured.staffing,
    })
}

/// Stage 1, what was sent: the registry (the commune's schools when one is asked for), every
/// file read and attributed, its records gathered, and the problems found so far.
struct Gathered {
    registry: crate::input::registry::Registry,
    ignored: Vec<String>,
    collected: Collected,
    issues: Vec<Issue>,
}

fn gather(config: &JobConfig, schemas: &Schemas, show_progress: bool) -> Result<Gathered> {
    let registry_path = config.input.join(&config.registry);
    if !registry_path.is_file() {
        bail!(
            "Không tìm thấy danh mục trường {} trong thư mục {}",
            config.registry,
            config.input.display()
        );
    }
    let registry_rel = relative(&config.input, &registry_path);
    // The registry is read while the folder is walked: both come before any school file.
    let (registry, found) = rayon::join(
        || -> Result<_> {
            let book = read_workbook(&registry_path, &registry_rel).map_err(|e| {
                let why = e.issue(&registry_rel).message(&schemas.messages);
                anyhow::anyhow!("Không đọc được danh mục trường {registry_rel}: {why}")
            })?;
            let registry = parse_registry(&book, schemas).with_context(|| {
                format!(
                    "Danh mục trường {registry_rel} không có hàng tiêu đề (Mã trường, Tên trường)"
                )
            })?;
            Ok(registry)
        },
        || {
            discover(&config.input, std::slice::from_ref(&registry_rel))
                .with_context(|| format!("Không đọc được thư mục {}", config.input.display()))
        },
    );
    let (mut registry, found) = (registry?, found?);
    // Row markers (totals, footers …) are matched with one automaton built for the run.
    let markers = Markers::new(&schemas.rules.rows);
    let matcher = SchoolMatcher::new(&registry.schools, schemas);
    crate::timing::mark("registry, discover");
    let bar = progress_bar(found.workbooks.len(), show_progress);
    let parsed: Vec<(String, FileOutcome)> = found
        .workbooks
        .par_iter()
        .map(|(path, rel)| {
            let outcome = ingest(path, rel, schemas, &markers, config.bdtx_rules).map(|file| {
                let attribution = attribute(&file, &matcher);
                (file, attribution)
            });
            let parsed = (rel.clone(), outcome);
            bar.inc(1);
            if show_progress && bar.is_hidden() && bar.elapsed().as_secs_f64() > 1.0 {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            parsed
        })
        .collect();
    bar.finish_and_clear();
    crate::timing::mark("read+ingest");

    let mut issues = std::mem::take(&mut registry.issues);
    // A folder that cannot be read hides the files in it: said, never skipped silently.
    issues.extend(
        found
            .unreadable
            .iter()
            .map(|path| Issue::new(Severity::Warning, "path_unreadable", &Loc::file(path), &[])),
    );
    let job = collect(parsed, &matcher, schemas);
    drop(matcher);
    let mut gathered = Gathered {
        registry,
        ignored: found.ignored,
        collected: job,
        issues,
    };
    let (schools, job) = (&mut gathered.registry.schools, &mut gathered.collected);
    if let Some(commune) = &config.commune {
        keep_commune(commune, schools, job);
        if schools.is_empty() {
            bail!(
                "Không có trường nào của xã/phường (cụm) \"{commune}\" trong danh mục trường {registry_rel}. \
                 Đề nghị ghi đúng tên như cột Xã/Phường (hoặc Cụm) của danh mục."
            );
        }
    }
    if schools.is_empty() {
        bail!(
            "Danh mục trường {registry_rel} không có trường tiểu học, THCS nào (chỉ có hàng tiêu đề \
             hoặc toàn đơn vị cấp khác): chưa có gì để tổng hợp."
        );
    }
    gathered.issues.append(&mut gathered.collected.issues);
    Ok(gathered)
}

/// A file read and attributed, or why it could not be read.
type FileOutcome = Result<(ParsedFile, Attribution), crate::input::read::ReadError>;

/// Every file's records in one place; a file that could not be read is a problem of its
/// school when its name says which school sent it ("TH005_….xls").
fn collect(
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

/// Stage 2, the records as they are counted: the school year settled, copies of a person
/// dropped, fields mostly not read flagged, BDTX rows joined to people.
struct Settled {
    school_year: String,
    matches: crate::combine::join::Matches,
}

fn settle(g: &mut Gathered, config: &JobConfig, schemas: &Schemas) -> Settled {
    let (job, issues) = (&mut g.collected, &mut g.issues);
    // Many misfits in one column: the column is named, not only its cells.
    let misfits = crate::combine::validate::misfit_columns(issues);
    issues.extend(misfits);
    let school_year = school_year(config, &g.registry.title_lines, &job.years);
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

/// Stage 3, the figures: the polars tables, the staffing analysis, each school's and the
/// office's measures, groups and BDTX detail. The records are freed once in the tables.
struct Measured {
    people: DataFrame,
    training: DataFrame,
    staffing: Staffing,
    per_school: BTreeMap<String, Measures>,
    district: Measures,
    details: BTreeMap<String, TrainingDetail>,
    district_training_detail: TrainingDetail,
    with_staff: FxHashSet<Text>,
    with_training: FxHashSet<Text>,
}

fn measure(
    g: &mut Gathered,
    settled: &Settled,
    config: &JobConfig,
    schemas: &Schemas,
    on_tables: &TablesHook,
) -> Result<Measured> {
    let (job, schools) = (&mut g.collected, &g.registry.schools);
    let school_year = &settled.school_year;
    let by_code: HashMap<&str, &School> = schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let by_person = &settled.matches.by_person;
    let outcomes: Vec<Option<&str>> = by_person
        .iter()
        .map(|m| {
            m.and_then(|t| {
                job.training[t]
                    .outcome
                    .map(crate::domain::model::Outcome::code)
            })
        })
        .collect();
    let mut matched = vec![false; job.training.len()];
    for t in by_person.iter().flatten() {
        matched[*t] = true;
    }
    // Three independent reads of the records, side by side.
    let ((people, training), mut staffing) = rayon::join(
        || {
            rayon::join(
                || people_frame(&job.people, &outcomes, &by_code, school_year, schemas),
                || training_frame(&job.training, &matched, schemas),
            )
        },
        || analyse(&job.people, schools, school_year, schemas),
    );
    let (people, training) = (people?, training?);
    g.issues.append(&mut staffing.issues);
    let with_staff: FxHashSet<Text> = job.people.iter().map(|p| p.school.clone()).collect();
    let with_training: FxHashSet<Text> = job.training.iter().map(|t| t.school.clone()).collect();
    crate::timing::mark("frames, staffing");
    // The tables hold everything from here on: free the records before aggregating.
    drop(outcomes);
    drop(std::mem::take(&mut job.people));
    drop(std::mem::take(&mut job.training));
    crate::timing::mark("drop records");
    // Four independent summaries of the tables and the hook, side by side.
    let ((measures, details), (groups, hooked)) = rayon::join(
        || {
            rayon::join(
                || aggregate(&people),
                || training_detail(&training, schemas, config.bdtx_rules),
            )
        },
        || {
            rayon::join(
                || groups(&people, schemas),
                || on_tables(&people, &training),
            )
        },
    );
    hooked?;
    let (mut per_school, mut district) = measures?;
    let (mut school_groups, office_groups) = groups?;
    district.groups = office_groups;
    for (code, m) in per_school.iter_mut() {
        m.groups = school_groups.remove(code).unwrap_or_default();
    }
    add_measures(&mut staffing, schools, &per_school, schemas);
    let (details, district_training_detail) = details?;
    crate::timing::mark("aggregate");
    Ok(Measured {
        people,
        training,
        staffing,
        per_school,
        district,
        details,
        district_training_detail,
        with_staff,
        with_training,
    })
}

/// Stage 4, the judgments: each registry school's result (its rules and targets judged),
/// and the schools that sent nothing or no staff list, said. Returns the results and the
/// codes of the schools that sent nothing.
fn judge(
    g: &mut Gathered,
    m: &mut Measured,
    schemas: &Schemas,
) -> (Vec<SchoolResult>, Vec<String>) {
    let mut missing = Vec::new();
    let mut schools = Vec::new();
    let job = &mut g.collected;
    for school in &g.registry.schools {
        let files = job.files_of.get(&school.code).cloned().unwrap_or_default();
        let has_staff = m.with_staff.contains(school.code.as_str());
        let has_training = m.with_training.contains(school.code.as_str());
        let named = format!("{} ({})", school.name, school.code);
        if !has_staff {
            let code = if has_training {
                "missing_staff_list"
            } else {
                "missing_submission"
            };
            g.issues.push(
                Issue::new(
                    Severity::Error,
                    code,
                    &Loc::default(),
                    &[("school", &named)],
                )
                .for_school(Some(&school.code)),
            );
            if !has_training {
                missing.push(school.code.clone());
            }
        }
        let measures = m.per_school.remove(&school.code).unwrap_or_default();
        let targets = evaluate(school, &measures, &schemas.targets);
        let training_detail = m.details.remove(&school.code).unwrap_or_default();
        schools.push(SchoolResult {
            school: school.clone(),
            files,
            intake: job.intake.remove(&school.code).unwrap_or_default(),
            measures,
            targets,
            training_detail,
        });
    }
    (schools, missing)
}

/// The registry school a parsed workbook belongs to (run inside each file's task).
fn attribute(file: &ParsedFile, matcher: &SchoolMatcher) -> Attribution {
    if file.rows.is_empty() {
        // No data sheet (already reported): nothing to give a school.
        return Attribution::Unmatched;
    }
    matcher.attribute(&file.identity, &file_stem(&file.file))
}

/// The stem only: folding drops dots, so "kim_dong.xlsx" would read as "kim dongxlsx".
fn file_stem(rel: &str) -> String {
    std::path::Path::new(rel)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Records gathered from the parsed files, attributed to schools.
#[derive(Default)]
struct Collected {
    people: Vec<Person>,
    training: Vec<TrainingRow>,
    issues: Vec<Issue>,
    rows: BTreeMap<String, RowCounts>,
    read: Vec<String>,
    failed: Vec<FailedFile>,
    files_of: BTreeMap<String, Vec<String>>,
    intake: HashMap<String, Intake>,
    /// (file, school year it names, its school) of the files that name one.
    years: Vec<(String, String, Option<String>)>,
    /// Column keys of each school's staff lists.
    staff_columns: HashMap<String, std::collections::BTreeSet<String>>,
    unmatched: Vec<UnmatchedFile>,
}

/// Leaves out the schools outside `commune` (a commune or cluster of the registry), their
/// records, their files' row accounting and their issues.
fn keep_commune(commune: &str, schools: &mut Vec<School>, job: &mut Collected) {
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

/// The school year in progress: from August on, the one starting this calendar year.
pub fn current_school_year() -> String {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    let start = if today.month() >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    format!("{}-{}", start, start + 1)
}

/// The school year of the run: the one given, else the registry's, else the one most files
/// name (the earliest on a tie), else the clock's.
fn school_year(
    config: &JobConfig,
    registry_title: &[String],
    years: &[(String, String, Option<String>)],
) -> String {
    if let Some(year) = &config.school_year {
        return year.clone();
    }
    if let Some(year) = registry_title.iter().find_map(|l| school_year_in(l)) {
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
        .unwrap_or_else(current_school_year)
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
    fn add_file(
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
