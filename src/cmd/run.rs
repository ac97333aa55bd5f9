//! Runs the consolidation job.
//!
//! Usage: bdtx run [--input DIR] [--output DIR] [--year 2024-2025] [--schemas DIR] [--registry FILE]
//!                 [--bdtx-rules tt19|tt26] [--issuer-level tinh|xa|huyen] [--issuer-area …]
//!                 [--district "Huyện …"] [--previous summary.json|DIR] (bdtx run --help)
//!
//! Reads the registry and every school workbook under --input, writes to --output/<năm học>/
//! (the folder of the school year, replaced as a whole by each run):
//!   bao_cao_tong_hop_<year>.xlsx, phu_luc_…, xu_ly_du_lieu_…, summary.json, du_lieu/, loi/

use crate::domain::issuer::Level;
use crate::domain::schema::{BdtxRules, Schemas};
use crate::output::official::Letterhead;
use crate::output::{write_outputs, GroupBy, ReportOptions};
use crate::pipeline::previous::Previous;
use crate::pipeline::{run_job_with_tables, JobConfig, JobResult};
use anyhow::{Context, Result};
use clap::Args;
use polars::prelude::DataFrame;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Thư mục chứa danh mục trường và tệp của các trường (folder holding the registry and the
    /// schools' workbooks, any nesting).
    #[arg(long, default_value = "input")]
    pub input: PathBuf,
    /// Thư mục ghi báo cáo, tạo nếu chưa có (folder for the reports, created if missing).
    #[arg(long, default_value = "output")]
    pub output: PathBuf,
    /// Năm học, ví dụ 2024-2025; mặc định lấy từ danh mục hoặc tệp của các trường (school
    /// year; default: the one the registry's title or most schools' files name, else the
    /// one in progress).
    #[arg(long)]
    pub year: Option<String>,
    /// Thư mục schemas thay thế (folder of TOML files overriding the embedded schemas/).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    /// Tên tệp danh mục trường trong thư mục --input (registry file name, relative to --input).
    #[arg(long, default_value = "danh_muc_truong.xlsx")]
    pub registry: String,
    /// Quy định đánh giá BDTX: tt19 (Thông tư 19/2019, hoàn thành / không hoàn thành) hoặc
    /// tt26 (Thông tư 26/2012, xếp loại) (BDTX rules).
    #[arg(long, value_enum, default_value_t = RulesArg::Tt19)]
    pub bdtx_rules: RulesArg,
    /// Cấp của đơn vị ban hành báo cáo (level of the issuing office): tinh, xa or huyen
    /// (default: the registry's "Thông tin đơn vị" sheet).
    #[arg(long, value_enum)]
    pub issuer_level: Option<LevelArg>,
    /// Địa bàn (the province, commune or district), e.g. "Ninh Bình": fills the preset
    /// "UBND TỈNH NINH BÌNH" / "SỞ GIÁO DỤC VÀ ĐÀO TẠO".
    #[arg(long)]
    pub issuer_area: Option<String>,
    /// Cơ quan chủ quản, when not the preset's.
    #[arg(long)]
    pub issuer_parent: Option<String>,
    /// Tên đơn vị ban hành, when not the preset's.
    #[arg(long)]
    pub issuer_name: Option<String>,
    /// Địa danh of the date line.
    #[arg(long)]
    pub place: Option<String>,
    /// Số, ký hiệu văn bản, e.g. "15/BC-SGDĐT".
    #[arg(long)]
    pub reference: Option<String>,
    /// Người ký.
    #[arg(long)]
    pub signer: Option<String>,
    /// Chức vụ người ký, when not the preset's.
    #[arg(long)]
    pub signer_title: Option<String>,
    /// Hạn gửi lại tệp đã sửa, in each school's letter in loi/, e.g. "15/4/2025" (deadline for
    /// corrected files; default: the registry's "Thông tin đơn vị" sheet, else a blank).
    #[arg(long = "han-sua")]
    pub deadline: Option<String>,
    /// Same as --issuer-area with the level in front: "Huyện Yên Hòa", "Xã Tân Lập".
    #[arg(long)]
    pub district: Option<String>,
    /// Chỉ báo cáo các trường của một xã (hoặc cụm) trong danh mục, e.g. "Xã Tân Lập": the
    /// others are read, then left out.
    #[arg(long)]
    pub commune: Option<String>,
    /// Subtotal lines of the per-school tables: commune (cluster or commune, then level),
    /// level, or none.
    #[arg(long, value_enum, default_value_t = GroupByArg::Commune)]
    pub group_by: GroupByArg,
    /// summary.json hoặc thư mục dữ liệu năm trước, để so sánh (last year's summary.json or
    /// input folder, for the year-over-year sheet).
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

// The options' values, on the command line's side: the domain does not depend on clap.

/// Quy định đánh giá BDTX (the BDTX rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesArg {
    /// Thông tư 19/2019: hoàn thành / không hoàn thành.
    Tt19,
    /// Thông tư 26/2012: Giỏi / Khá / Trung bình / Không hoàn thành.
    Tt26,
}

impl From<RulesArg> for BdtxRules {
    fn from(a: RulesArg) -> BdtxRules {
        match a {
            RulesArg::Tt19 => BdtxRules::Tt19,
            RulesArg::Tt26 => BdtxRules::Tt26,
        }
    }
}

/// Cấp của đơn vị ban hành (the issuing office's level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelArg {
    /// Tỉnh / thành phố: Sở Giáo dục và Đào tạo.
    Tinh,
    /// Xã / phường / đặc khu: Phòng Văn hóa - Xã hội.
    Xa,
    /// Huyện / quận / thị xã (trước 01/7/2025): Phòng Giáo dục và Đào tạo.
    Huyen,
}

impl From<LevelArg> for Level {
    fn from(a: LevelArg) -> Level {
        match a {
            LevelArg::Tinh => Level::Tinh,
            LevelArg::Xa => Level::Xa,
            LevelArg::Huyen => Level::Huyen,
        }
    }
}

/// Dòng cộng của các bảng theo trường (subtotal lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupByArg {
    /// Theo cụm (nếu danh mục có) hoặc theo xã, rồi theo cấp học.
    Commune,
    /// Theo cấp học.
    Level,
    /// Không có dòng cộng, theo thứ tự danh mục.
    None,
}

impl From<GroupByArg> for GroupBy {
    fn from(a: GroupByArg) -> GroupBy {
        match a {
            GroupByArg::Commune => GroupBy::Commune,
            GroupByArg::Level => GroupBy::Level,
            GroupByArg::None => GroupBy::None,
        }
    }
}

impl Default for RunArgs {
    fn default() -> Self {
        RunArgs {
            input: "input".into(),
            output: "output".into(),
            year: None,
            schemas: None,
            registry: "danh_muc_truong.xlsx".into(),
            bdtx_rules: RulesArg::Tt19,
            district: None,
            commune: None,
            group_by: GroupByArg::Commune,
            issuer_level: None,
            issuer_area: None,
            issuer_parent: None,
            issuer_name: None,
            place: None,
            reference: None,
            signer: None,
            signer_title: None,
            deadline: None,
            previous: None,
        }
    }
}

/// The issuer's fields of the registry's sheet with the CLI's over them; says on the console
/// how to fill in what had to be left blank.
fn letterhead(args: &RunArgs, job: &JobResult, schemas: &Schemas) -> Letterhead {
    let mut fields = job.issuer.clone();
    let given = [
        (
            "level",
            args.issuer_level.map(|l| Level::from(l).code().to_string()),
        ),
        (
            "area",
            args.issuer_area.clone().or_else(|| args.district.clone()),
        ),
        ("parent", args.issuer_parent.clone()),
        ("name", args.issuer_name.clone()),
        ("place", args.place.clone()),
        ("reference", args.reference.clone()),
        ("signer", args.signer.clone()),
        ("signer_title", args.signer_title.clone()),
        ("deadline", args.deadline.clone()),
    ];
    // Another office than the sheet's: its recipients are not the new office's.
    // Compared as the office reads them: "Huyện Yên Hòa" and "Yên Hòa" name one area.
    let same = |key: &str, a: &str, b: &str| {
        use crate::domain::issuer::Level;
        let fold = crate::domain::text::fold;
        match key {
            "area" => fold(&Level::split_unit(a).1) == fold(&Level::split_unit(b).1),
            "level" => Level::parse(a).map(|l| l.code()) == Level::parse(b).map(|l| l.code()),
            _ => fold(a) == fold(b),
        }
    };
    let other_office = given[..4].iter().any(|(key, value)| {
        value
            .as_ref()
            .is_some_and(|v| fields.get(*key).is_none_or(|old| !same(key, old, v)))
    });
    if other_office && fields.remove("recipients").is_some() {
        println!("{}", schemas.label("console_recipients_dropped"));
    }
    for (key, value) in given {
        if let Some(v) = value {
            fields.insert(key.to_string(), v);
        }
    }
    let lh = Letterhead::resolve(&fields, &job.registry_title, schemas);
    if !lh.complete {
        println!("{}", schemas.label("console_issuer_missing"));
    }
    lh
}

pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    check_options(&args)?;
    check_folders(&args.input, &args.output)?;
    let _lock = lock_output(&args.output)?;
    // What a killed run left: its staging folder, or the previous run set aside.
    crate::output::recover(&args.output)?;
    let schemas = Schemas::load(args.schemas.as_deref())?;
    let config = JobConfig {
        input: args.input.clone(),
        registry: args.registry.clone(),
        school_year: args.year.clone(),
        bdtx_rules: args.bdtx_rules.into(),
        commune: args.commune.clone(),
    };
    // Everything is written into a staging folder inside the output folder and moved into
    // place only once all of it is written: a run that fails leaves the previous outputs as
    // they were, and its staging folder is removed.
    let stage = tempfile::Builder::new()
        .prefix(".bdtx-")
        .permissions(stage_permissions())
        .tempdir_in(&args.output)
        .with_context(|| {
            format!(
                "Không ghi được vào thư mục kết quả {}",
                args.output.display()
            )
        })?;
    let write_tables = |people: &DataFrame, training: &DataFrame| {
        crate::output::write_tables(people, training, stage.path())
    };
    // Last year's figures first: a wrong --previous stops the run before this year is read.
    let previous = match &args.previous {
        Some(p) => Some(Previous::load(p, &config, &schemas)?),
        None => None,
    };
    let job = run_job_with_tables(&config, &schemas, true, &write_tables)?;
    let options = ReportOptions {
        letterhead: Some(letterhead(&args, &job, &schemas)),
        group_by: args.group_by.into(),
        previous,
    };
    // The year's outputs are one folder, replaced in one step by the staging folder.
    let run_dir = crate::output::run_folder(&args.output, &job.figures.school_year);
    let written = write_outputs(&job, stage.path(), &run_dir, &schemas, &options)?;
    crate::output::commit(stage.path(), &run_dir)?;
    print_summary(
        &job,
        &schemas.messages,
        &written,
        started.elapsed().as_secs_f64(),
    );
    Ok(())
}

/// The staging folder becomes the year's folder: created as the user's folders are (0777
/// less the umask), not tempfile's private 0700, so outputs on a shared drive stay readable.
fn stage_permissions() -> std::fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o777)
    }
    #[cfg(not(unix))]
    {
        std::env::temp_dir()
            .metadata()
            .map(|m| m.permissions())
            .unwrap_or_else(|_| {
                std::fs::File::open(".")
                    .unwrap()
                    .metadata()
                    .unwrap()
                    .permissions()
            })
    }
}

fn print_summary(
    job: &JobResult,
    messages: &crate::domain::schema::Messages,
    written: &crate::output::WrittenFiles,
    seconds: f64,
) {
    let d = &job.figures.district.stats;
    let crate::domain::issue::SeverityCounts {
        errors,
        warnings,
        notes,
    } = crate::domain::issue::SeverityCounts::of(&job.issues);
    println!(
        "Năm học {}: {} trường trong danh mục, {} chưa nộp.",
        job.figures.school_year,
        job.figures.schools.len(),
        job.figures.missing_submissions.len()
    );
    println!(
        "Tệp: {} đã đọc, {} không đọc được, {} bỏ qua.",
        job.received.files_read.len(),
        job.received.files_failed.len(),
        job.received.files_ignored.len()
    );
    println!(
        "Đội ngũ: {} người ({} CBQL, {} giáo viên, {} nhân viên).",
        d.staff.total, d.staff.managers, d.staff.teachers, d.staff.support
    );
    println!(
        "BDTX: {} hoàn thành, {} không hoàn thành, {} chưa có kết quả.",
        d.training.completed, d.training.not_completed, d.training.no_result
    );
    // The registry's note on units of other levels, worded as in Lỗi dữ liệu.
    for note in job
        .issues
        .iter()
        .filter(|i| i.code == "registry_other_levels")
    {
        println!("Danh mục: {}", note.message(messages));
    }
    println!(
        "Vấn đề dữ liệu: {} ({errors} lỗi, {warnings} cảnh báo{}).",
        job.issues.len(),
        if notes > 0 {
            format!(", {notes} ghi chú")
        } else {
            String::new()
        }
    );
    print_intake(job);
    println!("Báo cáo: {}", written.report.display());
    println!("Báo cáo đội ngũ: {}", written.staffing.display());
    println!(
        "Danh sách lỗi gửi trường: {} tệp trong thư mục loi/.",
        written.error_workbooks
    );
    println!("Thời gian: {seconds:.2} giây.");
}

/// What became of the schools' rows: the totals, then each school that lost any, flagged
/// when it lost more than 10% (the same flag as the Tổng hợp sheet).
fn print_intake(job: &JobResult) {
    let sum = |f: fn(&crate::pipeline::Intake) -> usize| -> usize {
        job.figures.schools.iter().map(|r| f(&r.intake)).sum()
    };
    println!(
        "Đã đọc {} người, {} bị loại; {} dòng BDTX, {} không khớp danh sách.",
        sum(|i| i.people_read),
        sum(|i| i.people_rejected),
        sum(|i| i.training_read),
        sum(|i| i.training_unmatched)
    );
    for r in &job.figures.schools {
        let i = &r.intake;
        if i.people_rejected == 0 && i.training_unmatched == 0 {
            continue;
        }
        let flag = if i.needs_check() {
            "Kiểm tra lại tệp của trường "
        } else {
            "  "
        };
        println!(
            "{flag}{} ({}): {}/{} người bị loại, {}/{} dòng BDTX không khớp danh sách.",
            r.school.name,
            r.school.code,
            i.people_rejected,
            i.people_read,
            i.training_unmatched,
            i.training_read
        );
    }
}

/// Refuses options no report can be made with, before anything is read: a school year not
/// written "2024-2025", a text longer than any name.
fn check_options(args: &RunArgs) -> Result<()> {
    if let Some(year) = &args.year {
        super::check_year(year)?;
    }
    super::check_texts(&[
        ("--issuer-area", &args.issuer_area),
        ("--issuer-parent", &args.issuer_parent),
        ("--issuer-name", &args.issuer_name),
        ("--district", &args.district),
        ("--place", &args.place),
        ("--reference", &args.reference),
        ("--signer", &args.signer),
        ("--signer-title", &args.signer_title),
        ("--han-sua", &args.deadline),
        ("--commune", &args.commune),
    ])
}

/// The input folder must exist, and the outputs must live apart from it: written inside
/// it they would be read back as a school's files next year, and the input is never touched.
fn check_folders(input: &std::path::Path, output: &std::path::Path) -> Result<()> {
    if !input.is_dir() {
        anyhow::bail!("Không tìm thấy thư mục dữ liệu vào {}", input.display());
    }
    if super::overlap(input, output) {
        anyhow::bail!(
            "Thư mục kết quả ({}) không được trùng, nằm trong hay chứa thư mục dữ liệu vào ({}): \
             bdtx không ghi vào dữ liệu của các trường. Đề nghị chọn thư mục khác, ví dụ --output ket_qua.",
            output.display(),
            input.display()
        );
    }
    Ok(())
}

/// Holds the output folder for this run: a second run on the same folder waits until this one
/// has written everything (the lock goes with the process, even if it is killed).
fn lock_output(output: &std::path::Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(output)
        .with_context(|| format!("Không tạo được thư mục kết quả {}", output.display()))?;
    let path = output.join(".bdtx.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("Không mở được {}", path.display()))?;
    if let Err(std::fs::TryLockError::WouldBlock) = file.try_lock() {
        eprintln!(
            "Thư mục kết quả {} đang được một lần chạy bdtx khác sử dụng; đang chờ lần chạy đó kết thúc…",
            output.display()
        );
        file.lock()
            .with_context(|| format!("Không khóa được {}", path.display()))?;
    }
    Ok(file)
}
