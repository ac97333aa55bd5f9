//! Writes the outputs of a run into a staging folder (each file atomically: temp file, then
//! rename), then `commit` moves them into the output folder once all are written.

pub mod annex;
pub mod front;
pub mod groups_sheet;
pub mod groups_table;
pub mod official;
pub mod report;
pub mod school_errors;
pub mod staffing_report;
pub mod summary;
pub mod tables;
pub mod targets_sheet;
pub mod text_width;
pub mod working;
pub mod xlsx;

use anyhow::{Context, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` via a temp file and a rename, so readers never see half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Like `write_atomic`, with `write` streaming the content into a buffered temp file.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> Result<()>,
) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    let mut tmp = new_temp_file(dir)?;
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("không ghi được {}", path.display()))?;
    Ok(())
}

/// Writes `bytes` to `path` inside a run's staging folder. The folder is nobody's until
/// `commit` makes it the run's outputs, after syncing it whole: no temp file and no sync per
/// file (one sync per letter cost a quarter of the letters' time).
pub fn write_staged(path: &Path, bytes: &[u8]) -> Result<()> {
    write_staged_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Like `write_staged`, with `write` streaming the content into a buffered file.
pub fn write_staged_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> Result<()>,
) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    }
    let mut file = std::fs::File::create(path)
        .with_context(|| format!("không ghi được {}", path.display()))?;
    let mut buffered = std::io::BufWriter::new(&mut file);
    write(&mut buffered)?;
    buffered.flush()?;
    Ok(())
}

/// Puts every file written into `stage` on disk before the stage becomes the outputs: one
/// `syncfs` on Linux, else a sync per file.
fn sync_stage(stage: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let dir = std::fs::File::open(stage)?;
        // SAFETY: a valid open descriptor; the call only flushes its file system.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    for entry in walkdir::WalkDir::new(stage) {
        let entry = entry?;
        if entry.file_type().is_file() {
            std::fs::File::open(entry.path())?.sync_all()?;
        }
    }
    Ok(())
}

/// A temp file in `dir` created as the user's other files are (0666 less the umask, where
/// tempfile's own default is 0600): outputs shared on an office drive stay readable. It is
/// removed if the write fails.
fn new_temp_file(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bdtx-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// A file name safe on every system: no path separators, control or reserved characters.
///
/// ```
/// assert_eq!(bdtx::output::safe_file_name("TH/01:\u{7}a"), "TH_01__a");
/// ```
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            // Control characters, and the bidirectional marks that make a name read backwards.
            let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.');
    if trimmed.is_empty() {
        "_".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Writes the normalised tables into `out/du_lieu` as CSV and Parquet, both tables at once. The CLI runs this
/// as the pipeline's tables hook, beside the aggregation.
pub fn write_tables(
    people: &polars::prelude::DataFrame,
    training: &polars::prelude::DataFrame,
    out: &Path,
) -> Result<()> {
    let dir = out.join("du_lieu");
    let (a, b) = rayon::join(
        || {
            crate::timing::timed("doi_ngu.csv", || {
                tables::write_csv(people, &dir.join("doi_ngu.csv"))?;
                tables::write_parquet(people, &dir.join("doi_ngu.parquet"))
            })
        },
        || {
            crate::timing::timed("bdtx.csv", || {
                tables::write_csv(training, &dir.join("bdtx.csv"))?;
                tables::write_parquet(training, &dir.join("bdtx.parquet"))
            })
        },
    );
    a.and(b)
}

/// Writes the other outputs of a run into `out`: the consolidated report, the staffing
/// report, summary.json and one error workbook per school with problems (`write_tables`
/// writes the normalised tables).
///
/// The files are written into `stage`; `out` is the run folder `commit` will make of it (its
/// `loi/` is read for the office's own files and the previous run's manifest).
pub fn write_outputs(
    job: &crate::pipeline::JobResult,
    stage: &Path,
    out: &Path,
    s: &crate::domain::schema::Schemas,
    options: &ReportOptions,
) -> Result<WrittenFiles> {
    std::fs::create_dir_all(stage)
        .with_context(|| format!("không tạo được thư mục {}", stage.display()))?;
    let (fig, year) = (&job.figures, &job.figures.school_year);
    let file_year = safe_file_name(year);
    let report_name = format!("bao_cao_tong_hop_{file_year}.xlsx");
    let staffing_name = format!("bao_cao_doi_ngu_{file_year}.xlsx");
    let annex_name = format!("phu_luc_{file_year}.xlsx");
    let working_name = format!("xu_ly_du_lieu_{file_year}.xlsx");
    let (report, staffing) = (stage.join(&report_name), stage.join(&staffing_name));
    let (annex_path, working_path) = (stage.join(&annex_name), stage.join(&working_name));
    let letterhead = options
        .letterhead
        .clone()
        .unwrap_or_else(|| official::Letterhead::resolve(&job.issuer, &job.registry_title, s));
    // The report workbooks' formats, each workbook its own, sized for the run.
    let formats = || report::formats_for(job, s);
    let mut groups: std::collections::BTreeMap<String, Vec<crate::domain::issue::Issue>> =
        Default::default();
    for issue in &job.issues {
        let key = issue
            .school
            .clone()
            .unwrap_or_else(|| s.label("unknown_school_file").to_string());
        groups.entry(key).or_default().push(issue.clone());
    }
    // School code (or the unknown-school key) → its file in loi/, also given in summary.json.
    let office_files = not_listed(&out.join("loi"));
    let error_files: std::collections::BTreeMap<String, String> = groups
        .keys()
        .cloned()
        .zip(unique_file_names(
            groups.keys().map(String::as_str),
            office_files,
        ))
        .collect();
    // The files are independent: written side by side, one per core.
    type Task<'t> = Box<dyn Fn() -> Result<()> + Send + Sync + 't>;
    let tasks: Vec<(&str, Task)> = vec![
        (
            "report",
            Box::new(|| {
                write_staged(
                    &report,
                    &report::consolidated(fig, formats(), s, options.group_by, &letterhead)?,
                )
            }),
        ),
        (
            "working book",
            Box::new(|| {
                let book = working::working(fig, &job.received, &job.issues, formats(), s)?;
                write_staged(&working_path, &book)
            }),
        ),
        (
            "staffing report",
            Box::new(|| {
                let previous = options.previous.as_ref();
                let book =
                    staffing_report::staffing_report(fig, formats(), s, &letterhead, previous)?;
                write_staged(&staffing, &book)
            }),
        ),
        (
            "nhom.csv",
            Box::new(|| {
                let path = stage.join("du_lieu").join("nhom.csv");
                write_staged(&path, groups_table::csv(fig, s).as_bytes())
            }),
        ),
        (
            "summary.json",
            Box::new(|| {
                write_staged_with(&stage.join("summary.json"), |w| {
                    Ok(summary::write_json(job, &s.messages, &error_files, w)?)
                })
            }),
        ),
    ];
    let errors_dir = stage.join("loi");
    let names: Vec<String> = groups.keys().map(|k| error_files[k].clone()).collect();
    let unknown = s.label("unknown_school_file");
    // One letter a task: each workbook is built and written on its own.
    let letters: Vec<_> = groups.iter().zip(&names).collect();
    let write_letters = || {
        letters.par_iter().try_for_each(|((key, issues), name)| {
            let book = if *key == unknown {
                school_errors::office_list(issues, s, year)?
            } else {
                let to = school_errors::Addressee::of(key, fig);
                school_errors::school_letter(&to, issues, year, s, &letterhead)?
            };
            write_staged(&errors_dir.join(name), &book)
        })
    };
    let write_annex = || write_staged(&annex_path, &annex::annex(fig, formats(), s, &letterhead)?);
    // The annex, the longest, starts at once on a core of its own; the other reports and the
    // letters share the rest, and take that core too once the annex is written.
    let (annex, (reports, letters_written)) = rayon::join(
        || crate::timing::timed("annex", write_annex),
        || {
            rayon::join(
                || {
                    tasks
                        .par_iter()
                        .try_for_each(|(name, task)| crate::timing::timed(name, task))
                },
                || crate::timing::timed("letters", write_letters),
            )
        },
    );
    annex?;
    reports?;
    letters_written?;
    drop(tasks);
    if !names.is_empty() {
        write_staged(&errors_dir.join(MANIFEST), names.join("\n").as_bytes())?;
    }
    crate::timing::mark("reports, summary, tables, letters");
    Ok(WrittenFiles {
        report: out.join(report_name),
        staffing: out.join(staffing_name),
        annex: out.join(annex_name),
        working: out.join(working_name),
        error_workbooks: groups.len(),
    })
}

/// The folder a run's outputs live in: one per school year inside the output folder, so that
/// a run replaces its year's outputs in one step and other years' stay as they were.
pub fn run_folder(out: &Path, school_year: &str) -> std::path::PathBuf {
    out.join(safe_file_name(school_year))
}

/// Files bdtx wrote in a run folder (relative paths, one a line): what the next run may
/// replace. Everything else there is the office's, carried over.
const RUN_MANIFEST: &str = ".bdtx_ket_qua.txt";

/// Makes the run written in `stage` the outputs in `run`, as one step seen from the folder:
/// the stage gets the run's manifest and the office's own files of the previous run folder,
/// then takes its place (Linux: one `renameat2` exchange, so `run` always holds one whole
/// run; elsewhere two renames, undone by `recover` if killed between them); the previous run
/// is then removed.
pub fn commit(stage: &Path, run: &Path) -> Result<()> {
    refuse_links(run)?;
    stop_at(1);
    write_run_manifest(stage)?;
    stop_at(2);
    carry_office_files(run, stage, Path::new(""))?;
    sync_stage(stage)?;
    stop_at(3);
    swap_into_place(stage, run)?;
    stop_at(4);
    if stage.exists() {
        // The previous run, now at the stage's name.
        std::fs::remove_dir_all(stage)
            .with_context(|| format!("không xóa được {}", stage.display()))?;
    }
    stop_at(5);
    Ok(())
}

/// A test hook: BDTX_STOP_AT_COMMIT_STEP=n ends the process abruptly at step n of `commit`,
/// as a kill would (no destructor runs).
fn stop_at(step: u32) {
    if std::env::var("BDTX_STOP_AT_COMMIT_STEP").is_ok_and(|v| v == step.to_string()) {
        std::process::abort();
    }
}

/// A run folder, or its loi/ and du_lieu/, that is a link leads elsewhere (into a school's
/// folder, into the input): refused.
fn refuse_links(run: &Path) -> Result<()> {
    for path in [run.to_path_buf(), run.join("loi"), run.join("du_lieu")] {
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!(
                "Thư mục {} là một liên kết (link) tới nơi khác: bdtx không ghi qua liên kết. \
                 Đề nghị xóa liên kết này hoặc chọn thư mục kết quả khác.",
                path.display()
            );
        }
    }
    Ok(())
}

/// Lists every file of `stage` in its manifest.
fn write_run_manifest(stage: &Path) -> Result<()> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(stage).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.push(crate::input::discover::relative(stage, entry.path()));
        }
    }
    files.push(RUN_MANIFEST.to_string());
    write_staged(&stage.join(RUN_MANIFEST), files.join("\n").as_bytes())
}

/// Copies into `stage` the files (and links) of the previous run folder that bdtx did not
/// write there: the office's notes, its own lists in loi/. A name the new run also writes
/// is the run's (the manifest of loi/ keeps the office's names apart from the letters').
fn carry_office_files(run: &Path, stage: &Path, sub: &Path) -> Result<()> {
    let ours: std::collections::HashSet<String> = std::fs::read_to_string(run.join(RUN_MANIFEST))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let Ok(entries) = std::fs::read_dir(run.join(sub)) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let rel = sub.join(entry.file_name());
        let rel_text = crate::input::discover::relative(Path::new(""), &rel);
        let (from, to) = (run.join(&rel), stage.join(&rel));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            std::fs::create_dir_all(&to)?;
            carry_office_files(run, stage, &rel)?;
        } else if !ours.contains(&rel_text) && !to.exists() {
            if kind.is_symlink() {
                copy_link(&from, &to)?;
            } else {
                std::fs::copy(&from, &to)
                    .with_context(|| format!("không chép được {}", from.display()))?;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(from: &Path, to: &Path) -> Result<()> {
    Ok(std::os::unix::fs::symlink(std::fs::read_link(from)?, to)?)
}

#[cfg(not(unix))]
fn copy_link(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)?;
    Ok(())
}

/// Puts `stage` at `run`, leaving the previous run (if any) at `stage`.
fn swap_into_place(stage: &Path, run: &Path) -> Result<()> {
    if !run.exists() {
        return std::fs::rename(stage, run)
            .with_context(|| format!("không ghi được {}", run.display()));
    }
    if exchange(stage, run) {
        return Ok(());
    }
    // No atomic exchange here: the previous run steps aside under a name `recover` knows.
    let aside = stage.with_extension("cu");
    std::fs::rename(run, &aside).with_context(|| format!("không ghi được {}", run.display()))?;
    std::fs::rename(stage, run).with_context(|| format!("không ghi được {}", run.display()))?;
    std::fs::rename(&aside, stage)?;
    Ok(())
}

/// Exchanges two directories in one step (Linux, renameat2); false where it cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        std::ffi::CString::new(a.as_os_str().as_bytes()),
        std::ffi::CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: two valid NUL-terminated paths; the call touches nothing else.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    done == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Before a run: what killed runs left in the output folder. A previous run set aside by
/// the two-rename swap (no exchange available) goes back where it was when the new one did
/// not arrive; every staging folder of a killed run is removed (its run never became the
/// outputs, or was the previous run already replaced).
pub fn recover(out: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    let mut leftovers: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".bdtx-"))
        })
        .collect();
    leftovers.sort();
    for path in leftovers {
        if path.extension().is_some_and(|e| e == "cu") {
            if let Some(target) = set_aside_target(&path) {
                if !target.exists() {
                    std::fs::rename(&path, &target)?;
                    continue;
                }
            }
        }
        std::fs::remove_dir_all(&path)
            .with_context(|| format!("không xóa được {}", path.display()))?;
    }
    Ok(())
}

/// The run folder a previous run set aside came from: named in its own summary.json.
fn set_aside_target(aside: &Path) -> Option<std::path::PathBuf> {
    let summary = std::fs::read(aside.join("summary.json")).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&summary).ok()?;
    let year = json.get("school_year")?.as_str()?;
    Some(run_folder(aside.parent()?, year))
}

/// The files of `loi/` the last run wrote, one name per line.
const MANIFEST: &str = ".bdtx_tep_da_ghi.txt";

/// Longest file name stem written to `loi/` (in bytes; systems allow 255).
const MAX_NAME_BYTES: usize = 100;

/// The names (lower-cased) of the files in `dir` the last run did not write: the office's.
fn not_listed(dir: &Path) -> std::collections::HashSet<String> {
    let listed = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    let listed: std::collections::HashSet<&str> = listed.lines().collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Default::default();
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !listed.contains(n.as_str()))
        .map(|n| n.to_lowercase())
        .collect()
}

/// One distinct, safe `.xlsx` name per key, in order: unsafe characters replaced, long names
/// cut at a character boundary, and names that would collide (case-insensitively, as on
/// Windows) with each other or with `taken` (lower-cased) given a suffix "_2", "_3" ….
///
/// ```
/// let taken = ["k_l.xlsx".to_string()].into_iter().collect();
/// let names = bdtx::output::unique_file_names(["..", "...", "K/L", "K_L"].into_iter(), taken);
/// assert_eq!(names, ["_.xlsx", "__2.xlsx", "K_L_2.xlsx", "K_L_3.xlsx"]);
/// ```
pub fn unique_file_names<'a>(
    keys: impl Iterator<Item = &'a str>,
    mut taken: std::collections::HashSet<String>,
) -> Vec<String> {
    keys.map(|key| {
        let mut stem = safe_file_name(key);
        if stem.len() > MAX_NAME_BYTES {
            let mut cut = MAX_NAME_BYTES;
            while !stem.is_char_boundary(cut) {
                cut -= 1;
            }
            stem.truncate(cut);
        }
        let mut name = format!("{stem}.xlsx");
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{stem}_{n}.xlsx");
            n += 1;
        }
        name
    })
    .collect()
}

/// The subtotal lines of the per-school tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// By cluster ("Cụm/Khu vực") where the registry has one, else by commune; then level.
    #[default]
    Commune,
    /// By school level (Tiểu học, THCS).
    Level,
    /// No subtotals, registry order.
    None,
}

/// What the reports need beyond the job itself.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// From the CLI and the registry; None resolves it from the registry alone.
    pub letterhead: Option<official::Letterhead>,
    /// The subtotals of the per-school tables (`--group-by`).
    pub group_by: GroupBy,
    /// Last year's figures (`--previous`).
    pub previous: Option<crate::pipeline::previous::Previous>,
}

/// Where the main outputs went.
pub struct WrittenFiles {
    pub report: std::path::PathBuf,
    pub staffing: std::path::PathBuf,
    /// The lists annexed to the report, and the office's working book.
    pub annex: std::path::PathBuf,
    pub working: std::path::PathBuf,
    pub error_workbooks: usize,
}
