//! The self-check: the page schools open to check their own files before sending them, or
//! the same check of files given here.
//!
//! Usage: bdtx self-check --out DIR [--registry input/danh_muc_truong.xlsx] [--han-sua TEXT]
//!                        [--year 2024-2025] [--bdtx-rules tt19|tt26] [--schemas DIR]
//!        bdtx self-check FILE... [--registry …] [--year …] [--bdtx-rules …] [--schemas DIR] [--json]
//!
//! With --out, writes DIR/kiem_tra_truoc_khi_gui.html (one file, no network needed). With
//! files, prints what the office's run would say of them, grouped by file as in the letters
//! (or the page's JSON with --json); exits with status 2 when they have errors.

use crate::check::page::{page, PageSettings, FILE_NAME};
use crate::check::{check, CheckInput, CheckReport};
use crate::cmd::run::RulesArg;
use crate::domain::schema::{BdtxRules, SchemaFiles, Schemas};
use crate::input::read::{read_bounded, read_workbook_bytes};
use crate::input::registry::parse_registry;
use crate::output::official::Letterhead;
use crate::output::write_atomic;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SelfCheckArgs {
    /// Các tệp cần kiểm tra (files to check here instead of writing the page).
    pub files: Vec<PathBuf>,
    /// Thư mục ghi trang kiểm tra (folder to write kiem_tra_truoc_khi_gui.html into).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Danh mục trường (the registry the files are matched against).
    #[arg(long, default_value = "input/danh_muc_truong.xlsx")]
    pub registry: PathBuf,
    /// Hạn gửi tệp, in trên trang (deadline shown on the page), e.g. "15/4/2025".
    #[arg(long = "han-sua")]
    pub deadline: Option<String>,
    /// Năm học (school year; default: the registry's, else the files', else the one in progress).
    #[arg(long)]
    pub year: Option<String>,
    /// Quy định BDTX áp dụng (the BDTX rules, as for `bdtx run`).
    #[arg(long, value_enum, default_value_t = RulesArg::Tt19)]
    pub bdtx_rules: RulesArg,
    /// Thư mục schemas thay thế, như khi chạy bdtx run (folder of TOML files overriding the
    /// embedded schemas/; the page carries them).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    /// In kết quả dạng JSON (print the page's JSON instead of text).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SelfCheckArgs) -> Result<()> {
    if let Some(year) = &args.year {
        super::check_year(year)?;
    }
    super::check_texts(&[("--han-sua", &args.deadline)])?;
    if let Some(out) = &args.out {
        super::keep_out_of_input(out, &args.registry, "trang_kiem_tra")?;
    }
    let files = SchemaFiles::Folder(args.schemas.as_deref());
    let schemas = Schemas::load_from(&files)?;
    let registry = read_bounded(&args.registry)
        .with_context(|| format!("Không đọc được danh mục trường {}", args.registry.display()))?;
    let registry_name = file_name(&args.registry);
    let fallback_year = crate::pipeline::current_school_year();
    match (&args.out, args.files.is_empty()) {
        (Some(out), true) => {
            let (letterhead, registry_year) =
                letterhead(&args, (&registry_name, &registry), &schemas)?;
            // The page is told the year, shown on it: the files of one school cannot settle it.
            let year = args
                .year
                .clone()
                .or(registry_year)
                .unwrap_or(fallback_year.clone());
            let settings = PageSettings {
                letterhead: &letterhead,
                registry: (&registry_name, &registry),
                school_year: Some(&year),
                fallback_year: &fallback_year,
                bdtx_rules: args.bdtx_rules.into(),
                schemas: &files.texts()?,
            };
            let html = page(&settings, &schemas)?;
            let path = out.join(FILE_NAME);
            write_atomic(&path, html.as_bytes())?;
            let size = format!("{:.1}", html.len() as f64 / 1e6);
            let line = schemas.label("console_page_written");
            println!(
                "{}",
                line.replace("{path}", &path.display().to_string())
                    .replace("{size}", &size)
            );
            Ok(())
        }
        (None, false) => {
            let contents: Vec<(String, Vec<u8>)> = args
                .files
                .iter()
                .map(|p| {
                    Ok((
                        file_name(p),
                        read_bounded(p).with_context(|| p.display().to_string())?,
                    ))
                })
                .collect::<Result<_>>()?;
            let input = CheckInput {
                registry: (&registry_name, &registry),
                files: contents
                    .iter()
                    .map(|(n, b)| (n.as_str(), b.as_slice()))
                    .collect(),
                school_year: args.year.as_deref(),
                fallback_year,
                bdtx_rules: BdtxRules::from(args.bdtx_rules),
            };
            let report = check(&input, &schemas).map_err(anyhow::Error::msg)?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_report(&report, &schemas);
            }
            if report.errors > 0 {
                std::process::exit(2);
            }
            Ok(())
        }
        _ => bail!(
            "Cần --out THƯ_MỤC (ghi trang kiểm tra) hoặc tên các tệp cần kiểm tra, không cả hai."
        ),
    }
}

/// The office's letterhead from the registry's "Thông tin đơn vị" and title, with --han-sua,
/// and the school year the registry's title names, if any.
fn letterhead(
    args: &SelfCheckArgs,
    (name, bytes): (&str, &[u8]),
    s: &Schemas,
) -> Result<(Letterhead, Option<String>)> {
    let book = read_workbook_bytes(bytes, name).map_err(|e| {
        anyhow::anyhow!(
            "Không đọc được danh mục trường {name}: {}",
            e.issue(name).message(&s.messages)
        )
    })?;
    let registry = parse_registry(&book, s).with_context(|| {
        format!("Danh mục trường {name} không có hàng tiêu đề (Mã trường, Tên trường)")
    })?;
    let mut fields = registry.issuer.clone();
    if let Some(deadline) = &args.deadline {
        fields.insert("deadline".to_string(), deadline.clone());
    }
    let year = registry
        .title_lines
        .iter()
        .find_map(|l| crate::domain::text::school_year_in(l));
    Ok((Letterhead::resolve(&fields, &registry.title_lines, s), year))
}

/// The report as the letter lists it: the files and their schools, then the problems by file.
fn print_report(r: &CheckReport, s: &Schemas) {
    for f in &r.files {
        let school = f
            .school
            .as_ref()
            .and_then(|c| r.schools.iter().find(|x| &x.code == c));
        match school {
            Some(x) => println!(
                "{}",
                crate::domain::text::fill(
                    s.label("page_file_matched"),
                    &[("file", &f.file), ("school", &x.name), ("code", &x.code)]
                )
            ),
            None => println!(
                "{}",
                crate::domain::text::fill(
                    s.label("page_file_unmatched"),
                    &[
                        ("file", &f.file),
                        ("reason", f.reason.as_deref().unwrap_or(""))
                    ]
                )
            ),
        }
    }
    let mut file = None;
    for (n, p) in r.problems.iter().enumerate() {
        if file != Some(&p.file) {
            file = Some(&p.file);
            println!("\n{}", s.label("letter_file").replace("{file}", &p.file));
        }
        println!(
            "{:>4}. [{}] {} {} {} ({})",
            n + 1,
            p.severity_label,
            p.location,
            p.what,
            p.fix,
            p.code
        );
    }
    let (errors, warnings) = (r.errors.to_string(), r.warnings.to_string());
    let counts = [("errors", errors.as_str()), ("warnings", warnings.as_str())];
    match r.problems.is_empty() {
        true => println!("{}", s.label("page_passed")),
        false => println!(
            "\n{}",
            crate::domain::text::fill(s.label("page_counts"), &counts)
        ),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}
