//! Writes the workbook schools fill in.
//!
//! Usage: bdtx template --out DIR [--school TH001] [--registry input/danh_muc_truong.xlsx]
//!                      [--year 2024-2025] [--with-staff LAST_OUTPUT_DIR] [--deadline TEXT] [--contact TEXT]
//!
//! One workbook per registry school (or only --school), or a blank one without a registry.
//! --with-staff prefills each school's staff list from last year's du_lieu/doi_ngu.csv.

use crate::domain::schema::Schemas;
use crate::input::discover::relative;
use crate::input::read::read_workbook;
use crate::input::registry::parse_registry;
use crate::output::{safe_file_name, write_atomic};
use crate::tools::template::{school_template, Fill, Prefill, TemplateOptions};
use anyhow::{bail, Context, Result};
use clap::Args;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// Thư mục ghi các mẫu biểu (folder to write the workbooks into).
    #[arg(long)]
    pub out: PathBuf,
    /// Chỉ trường có mã này (only this school, by registry code).
    #[arg(long)]
    pub school: Option<String>,
    /// Danh mục trường, mặc định input/danh_muc_truong.xlsx; không có thì ghi một mẫu trống
    /// (the registry; without it a blank template is written).
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// Năm học (school year; default: the one in progress).
    #[arg(long)]
    pub year: Option<String>,
    /// Kết quả năm trước (thư mục output hoặc du_lieu/doi_ngu.csv) để điền sẵn danh sách
    /// (last year's outputs: prefill the staff lists).
    #[arg(long)]
    pub with_staff: Option<PathBuf>,
    /// Hạn nộp in trên mẫu (deadline printed on the template).
    #[arg(long)]
    pub deadline: Option<String>,
    /// Nơi liên hệ (contact printed on the template).
    #[arg(long)]
    pub contact: Option<String>,
    /// Thư mục schemas thay thế (folder of TOML files overriding the embedded schemas/).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
}

/// Where the registry is looked for when --registry is not given.
const DEFAULT_REGISTRY: &str = "input/danh_muc_truong.xlsx";

pub fn run(args: TemplateArgs) -> Result<()> {
    if let Some(year) = &args.year {
        super::check_year(year)?;
    }
    super::check_texts(&[
        ("--school", &args.school),
        ("--deadline", &args.deadline),
        ("--contact", &args.contact),
    ])?;
    let registry = registry_path(&args)?;
    let schemas = Schemas::load(args.schemas.as_deref())?;
    let opts = TemplateOptions {
        school_year: args
            .year
            .clone()
            .unwrap_or_else(crate::pipeline::current_school_year),
        deadline: args
            .deadline
            .clone()
            .unwrap_or_else(|| schemas.label("template_deadline_default").to_string()),
        contact: args
            .contact
            .clone()
            .unwrap_or_else(|| schemas.label("template_contact_default").to_string()),
        rows: 200,
    };
    let staff = match &args.with_staff {
        Some(p) => previous_staff(p, &schemas)?,
        None => BTreeMap::new(),
    };
    let Some(registry) = registry else {
        if args.school.is_some() {
            bail!("Không tìm thấy danh mục trường {DEFAULT_REGISTRY}");
        }
        write_atomic(
            &args.out.join("mau_bao_cao.xlsx"),
            &school_template(None, &Prefill::default(), &opts, &schemas)?,
        )?;
        println!(
            "Đã tạo mẫu trống: {}",
            args.out.join("mau_bao_cao.xlsx").display()
        );
        return Ok(());
    };
    let rel = relative(registry.parent().unwrap_or(Path::new(".")), &registry);
    let book = read_workbook(&registry, &rel)
        .map_err(|e| crate::input::registry::unreadable(&e, &rel, &schemas))?;
    let registry =
        parse_registry(&book, &schemas).context("Danh mục trường không có hàng tiêu đề")?;
    let mut written = 0;
    for school in registry.schools.iter().filter(|s| {
        args.school
            .as_ref()
            .is_none_or(|c| c.eq_ignore_ascii_case(&s.code))
    }) {
        let prefill = Prefill {
            staff: staff.get(&school.code).cloned().unwrap_or_default(),
            training: Vec::new(),
        };
        let name = safe_file_name(&format!("mau_bao_cao_{}.xlsx", school.code));
        write_atomic(
            &args.out.join(name),
            &school_template(Some(school), &prefill, &opts, &schemas)?,
        )?;
        written += 1;
    }
    if written == 0 {
        bail!(
            "Không có trường nào khớp mã {:?} trong danh mục",
            args.school.unwrap_or_default()
        );
    }
    println!("Đã tạo {written} mẫu báo cáo trong {}.", args.out.display());
    Ok(())
}

/// The registry to write templates for: --registry, which must be there, else the default
/// if it is there, else none (a blank template). The templates never go into the registry's
/// folder: the next run would read them there as the schools' own files.
fn registry_path(args: &TemplateArgs) -> Result<Option<PathBuf>> {
    let registry = match &args.registry {
        Some(p) if p.is_file() => p.clone(),
        Some(p) => bail!("Không tìm thấy danh mục trường {}", p.display()),
        None if Path::new(DEFAULT_REGISTRY).is_file() => PathBuf::from(DEFAULT_REGISTRY),
        None => return Ok(None),
    };
    super::keep_out_of_input(&args.out, &registry, "mau_bieu")?;
    Ok(Some(registry))
}

/// Last year's staff per school, as template rows (codes turned back into labels).
fn previous_staff(
    path: &Path,
    s: &Schemas,
) -> Result<BTreeMap<String, Vec<BTreeMap<String, Fill>>>> {
    // A run's folder, or an output folder of year folders (the latest year that has one).
    let table = |dir: &Path| dir.join("du_lieu").join("doi_ngu.csv");
    let csv = if !path.is_dir() {
        path.to_path_buf()
    } else if table(path).is_file() {
        table(path)
    } else {
        let mut years: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| table(p).is_file())
            .collect();
        years.sort();
        years
            .last()
            .map(|y| table(y))
            .unwrap_or_else(|| table(path))
    };
    if !csv.is_file() {
        bail!(
            "Không tìm thấy danh sách đội ngũ năm trước {} (--with-staff: thư mục kết quả năm \
             trước, hoặc tệp du_lieu/doi_ngu.csv trong đó)",
            csv.display()
        );
    }
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(csv.clone()))
        .and_then(|reader| reader.finish())
        .map_err(|e| anyhow::anyhow!("không đọc được {}: {e}", csv.display()))?;
    let text = |col: &str, i: usize| -> Option<String> {
        df.column(col)
            .ok()?
            .str()
            .ok()?
            .get(i)
            .map(str::to_string)
            .filter(|v| !v.is_empty())
    };
    let mut out: BTreeMap<String, Vec<BTreeMap<String, Fill>>> = BTreeMap::new();
    let labelled = [
        ("gender", "gender"),
        ("role", "role"),
        ("qualification", "qualification"),
        ("political_theory", "political_theory"),
        ("it_level", "it_level"),
        ("language_level", "language_level"),
        ("standard_rating", "standard_rating"),
        ("civil_servant_rating", "civil_servant_rating"),
    ];
    let yes = s.vocab["yes_mark"].label("yes");
    for i in 0..df.height() {
        let Some(school) = text("school", i) else {
            continue;
        };
        let mut row = BTreeMap::new();
        for key in ["name", "ethnicity", "subject"] {
            if let Some(v) = text(key, i) {
                row.insert(key.to_string(), Fill::Text(v));
            }
        }
        if let Some(d) = text("birth_date", i)
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        {
            row.insert("birth_date".into(), Fill::Date(d));
        }
        for (key, vocab) in labelled {
            if let Some(code) = text(key, i) {
                row.insert(key.to_string(), Fill::Text(s.vocab[vocab].label(&code)));
            }
        }
        for key in ["party_member", "upgrading"] {
            if text(key, i).as_deref() == Some("true") {
                row.insert(key.to_string(), Fill::Text(yes.clone()));
            }
        }
        let list = out.entry(school).or_default();
        row.insert("seq".into(), Fill::Number(list.len() as f64 + 1.0));
        list.push(row);
    }
    Ok(out)
}
