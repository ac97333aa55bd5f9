//! bdtx consolidates Vietnamese schools' staff lists and regular-training (BDTX) results into
//! the reports an education office signs. The folders are the pipeline, in order:
//!
//! ```text
//! input/    discover → read (read_xls, read_ods, legacy; limits) → recognise → rows
//!           → normalise → ingest (one file) → attribute (file → school); registry
//! combine/  validate → join (BDTX → staff) → intake (files to schools, settle) → frames (polars)
//! analyse/  counts → groups (each staff group, counted once) → aggregate (measures read
//!           from the groups) → targets (rules, goals)
//!           → staffing (norms, ages, retirements)
//! output/   xlsx (the kit), official (document frame), report, annex, working,
//!           targets_sheet, staffing_report, school_errors (letters), summary, tables
//! ```
//!
//! `domain/` holds what every stage shares: the records (`model`), data issues (`issue`), the
//! schemas loaded from `schemas/*.toml` (`schema`: domain knowledge lives there) and text
//! helpers (`text`); it depends on no command-line crate. `pipeline::run_job` runs the
//! stages into a `JobResult`: the `Figures` the signed reports print (and take, alone), what
//! was `Received`, and the issues; `pipeline::previous` reads last year's figures for the comparison;
//! `output::write_outputs` writes the files into a staging folder that `output::commit` makes
//! the run's outputs (the CLI writes the CSV tables earlier, through
//! `pipeline::run_job_with_tables` and `output::write_tables`, beside the aggregation).
//! `cmd/` holds one file per command and the options' values; `tools/` the generators behind
//! `bdtx sample` and `bdtx template`.
//!
//! `check/` is one school's files checked as the job would, up to `combine::intake`: it uses no
//! polars, threads or file system, and the crate without its `batch` feature (everything
//! else) compiles to WebAssembly for the self-check page schools open (`bdtx self-check`).

pub mod analyse;
pub mod check;
#[cfg(feature = "batch")]
pub mod cmd;
pub mod combine;
pub mod domain;
pub mod input;
#[cfg(feature = "batch")]
pub mod output;
#[cfg(feature = "batch")]
pub mod pipeline;
pub mod timing;
#[cfg(feature = "batch")]
pub mod tools;
