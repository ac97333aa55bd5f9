//! The whole job as a library call, in four stages: gather (registry → discover → ingest,
//! in parallel → attribute), settle (validate → join), measure (frames → aggregate), judge
//! (rules and targets). Writing outputs is separate (`output`), so tests can assert
//! on the result directly. `previous` gives last year's figures, from its summary.json or by
//! running the job on its files.

pub mod previous;

use crate::analyse::aggregate::{aggregate, training_detail, Measures, TrainingDetail};
use crate::analyse::staffing::{add_measures, analyse, Staffing};
use crate::analyse::targets::{evaluate, SchoolTargets};
use crate::combine::frames::{people_frame, training_frame};
use crate::combine::intake::{
    attribute, collect, keep_commune, settle, Collected, FileOutcome, Settled, YearSource,
};
pub use crate::combine::intake::{Candidate, FailedFile, Intake, UnmatchedFile};
use crate::domain::issue::{Issue, Severity};
use crate::domain::model::{Loc, School, Text};
use crate::domain::schema::{BdtxRules, Schemas};
use crate::input::attribute::SchoolMatcher;
use crate::input::discover::{discover, relative};
use crate::input::ingest::ingest;
use crate::input::read::read_workbook;
use crate::input::registry::parse_registry;
use crate::input::rows::{Markers, RowCounts};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::DataFrame;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
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

/// What the office was sent and how each file was read: the working book, summary.json and
/// the console print it.
pub struct Received {
    pub files_read: Vec<String>,
    pub files_failed: Vec<FailedFile>,
    pub files_ignored: Vec<String>,
    /// Files no school was found for, each with the closest registry schools by name.
    pub unmatched_files: Vec<UnmatchedFile>,
    /// Rows of each sheet read, by what they were.
    pub rows: BTreeMap<String, RowCounts>,
    /// Registry units of other levels left out: label → how many.
    pub registry_left_out: BTreeMap<String, u32>,
}

/// The figures the reports print: each registry school's and the office's, the staffing
/// analysis, and the tables they were counted from.
pub struct Figures {
    pub school_year: String,
    pub schools: Vec<SchoolResult>,
    /// Codes of the registry schools that sent nothing.
    pub missing_submissions: Vec<String>,
    pub district: Measures,
    pub district_training_detail: TrainingDetail,
    /// Norms, ages, retirements and qualification roadmap (the staffing report).
    pub staffing: Staffing,
    /// Normalised people (with `training` outcome) and BDTX rows, with provenance.
    pub people: DataFrame,
    pub training: DataFrame,
}

impl Figures {
    /// The result of the registry school with this code.
    pub fn school(&self, code: &str) -> Option<&SchoolResult> {
        self.schools.iter().find(|s| s.school.code == code)
    }
}

/// A run's result: the figures, what was received, and every problem found. Each output
/// takes the parts it prints.
pub struct JobResult {
    pub figures: Figures,
    pub received: Received,
    /// Sorted by file, sheet, row, column, code.
    pub issues: Vec<Issue>,
    /// "tt19" or "tt26": the BDTX rules applied.
    pub bdtx_rules: String,
    /// Title lines of the registry (the issuing body, when it names one).
    pub registry_title: Vec<String>,
    /// The registry's "Thông tin đơn vị" sheet (the CLI may add to it).
    pub issuer: crate::domain::issuer::IssuerFields,
}

impl JobResult {
    /// The result of the registry school with this code.
    pub fn school(&self, code: &str) -> Option<&SchoolResult> {
        self.figures.school(code)
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
    let year = YearSource {
        given: config.school_year.as_deref(),
        registry_title: &gathered.registry.title_lines,
        fallback: current_school_year(),
    };
    let settled = settle(&mut gathered.collected, &mut gathered.issues, year, schemas);
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
        figures: Figures {
            school_year: settled.school_year,
            schools,
            missing_submissions: missing,
            district: measured.district,
            district_training_detail: measured.district_training_detail,
            staffing: measured.staffing,
            people: measured.people,
            training: measured.training,
        },
        received: Received {
            files_read,
            files_failed: job.failed,
            files_ignored: ignored,
            unmatched_files: job.unmatched,
            rows: job.rows,
            registry_left_out: registry.left_out,
        },
        issues,
        bdtx_rules: format!("{:?}", config.bdtx_rules).to_lowercase(),
        registry_title: registry.title_lines,
        issuer: registry.issuer,
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
            let book = read_workbook(&registry_path, &registry_rel)
                .map_err(|e| crate::input::registry::unreadable(&e, &registry_rel, schemas))?;
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
    // The measures, the BDTX detail and the hook, side by side.
    let ((measures, details), hooked) = rayon::join(
        || {
            rayon::join(
                || aggregate(&people, schemas),
                || training_detail(&training, schemas, config.bdtx_rules),
            )
        },
        || on_tables(&people, &training),
    );
    hooked?;
    let (per_school, district) = measures?;
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
