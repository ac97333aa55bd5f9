//! Writes every output file atomically (temp file in the same folder, then rename).

pub mod report;
pub mod school_errors;
pub mod staffing_report;
pub mod summary;
pub mod tables;
pub mod targets_sheet;

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
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
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

/// A file name safe on every system: no path separators, control or reserved characters.
///
/// ```
/// assert_eq!(bdtx::output::safe_file_name("TH/01:\u{7}a"), "TH_01__a");
/// ```
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
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

/// Writes the normalised tables into `out/du_lieu` as CSV, both at once. The CLI runs this
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
                tables::write_csv(people, &dir.join("doi_ngu.csv"))
            })
        },
        || {
            crate::timing::timed("bdtx.csv", || {
                tables::write_csv(training, &dir.join("bdtx.csv"))
            })
        },
    );
    a.and(b)
}

/// Writes the other outputs of a run into `out`: the consolidated report, the staffing
/// report, summary.json and one error workbook per school with problems (`write_tables`
/// writes the normalised tables).
pub fn write_outputs(
    job: &crate::pipeline::JobResult,
    out: &Path,
    s: &crate::schema::Schemas,
    options: &ReportOptions,
) -> Result<WrittenFiles> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("không tạo được thư mục {}", out.display()))?;
    let report = out.join(format!(
        "bao_cao_tong_hop_{}.xlsx",
        safe_file_name(&job.school_year)
    ));
    let staffing = out.join(format!(
        "bao_cao_doi_ngu_{}.xlsx",
        safe_file_name(&job.school_year)
    ));
    let letterhead = options
        .letterhead
        .clone()
        .unwrap_or_else(|| staffing_report::Letterhead::from_registry(job, s));
    // The files are independent: written side by side, one per core.
    type Task<'t> = Box<dyn Fn() -> Result<()> + Send + Sync + 't>;
    let tasks: Vec<(&str, Task)> = vec![
        (
            "report",
            Box::new(|| write_atomic(&report, &report::consolidated(job, s)?)),
        ),
        (
            "staffing report",
            Box::new(|| {
                let previous = options.previous.as_ref();
                let book = staffing_report::staffing_report(job, s, &letterhead, previous)?;
                write_atomic(&staffing, &book)
            }),
        ),
        (
            "summary.json",
            Box::new(|| {
                write_atomic_with(&out.join("summary.json"), |w| {
                    Ok(summary::write_json(job, w)?)
                })
            }),
        ),
    ];
    tasks
        .par_iter()
        .try_for_each(|(name, task)| crate::timing::timed(name, task))?;
    drop(tasks);
    crate::timing::mark("reports, summary, tables");
    let errors_dir = out.join("loi");
    // Error lists from an earlier run would be mistaken for current ones.
    if errors_dir.is_dir() {
        std::fs::remove_dir_all(&errors_dir)?;
    }
    let mut groups: std::collections::BTreeMap<String, Vec<crate::issue::Issue>> =
        Default::default();
    for issue in &job.issues {
        let key = issue
            .school
            .clone()
            .unwrap_or_else(|| s.label("unknown_school_file").to_string());
        groups.entry(key).or_default().push(issue.clone());
    }
    for (key, issues) in &groups {
        let path = errors_dir.join(format!("{}.xlsx", safe_file_name(key)));
        write_atomic(
            &path,
            &school_errors::school_workbook(issues, s, &job.school_year)?,
        )?;
    }
    crate::timing::mark("error workbooks");
    Ok(WrittenFiles {
        report,
        staffing,
        error_workbooks: groups.len(),
    })
}

/// What the reports need beyond the job itself.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// From `--district`; None takes the registry's title rows.
    pub letterhead: Option<staffing_report::Letterhead>,
    /// Last year's figures (`--previous`).
    pub previous: Option<crate::previous::Previous>,
}

/// Where the main outputs went.
pub struct WrittenFiles {
    pub report: std::path::PathBuf,
    pub staffing: std::path::PathBuf,
    pub error_workbooks: usize,
}
