//! Generates a synthetic district.
//!
//! Usage: bdtx sample [--schools N] [--seed S] [--out DIR] [--year 2024-2025] [--no-problems]
//!
//! Writes danh_muc_truong.xlsx and one folder per school into --out, which must be empty or
//! not there yet: a sample never writes over anybody's files. The same seed always gives the
//! same files. Unless --no-problems, a few data problems are planted on purpose.

use crate::domain::schema::Schemas;
use crate::tools::sample::{generate, SampleOptions};
use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Số trường, từ 1 đến 100.000 (number of schools).
    #[arg(long, default_value_t = 12)]
    pub schools: usize,
    /// Hạt giống ngẫu nhiên: cùng số cho cùng dữ liệu (random seed: same seed, same data).
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Thư mục ghi dữ liệu mẫu, trống hoặc chưa có (output folder: empty or not there yet).
    #[arg(long, default_value = "sample")]
    pub out: PathBuf,
    /// Năm học (school year).
    #[arg(long, default_value = "2024-2025")]
    pub year: String,
    /// Không cài sẵn các lỗi minh họa (do not plant demonstration problems).
    #[arg(long)]
    pub no_problems: bool,
    /// Thư mục schemas thay thế (folder of TOML files overriding the embedded schemas/).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
}

/// Most schools a sample holds: more than a country's primary and lower secondary schools.
const MAX_SCHOOLS: usize = 100_000;

pub fn run(args: SampleArgs) -> Result<()> {
    super::check_year(&args.year)?;
    if !(1..=MAX_SCHOOLS).contains(&args.schools) {
        bail!("Số trường (--schools) phải từ 1 đến 100.000.");
    }
    let holds_files = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    if holds_files {
        bail!(
            "Thư mục {} đã có tệp: bdtx sample chỉ ghi vào thư mục trống hoặc chưa có, để không \
             ghi đè tệp nào. Đề nghị chọn thư mục khác.",
            args.out.display()
        );
    }
    let schemas = Schemas::load(args.schemas.as_deref())?;
    let opts = SampleOptions {
        schools: args.schools,
        seed: args.seed,
        school_year: args.year,
        plant_problems: !args.no_problems,
    };
    let files = generate(&opts, &args.out, &schemas)?;
    println!(
        "Đã tạo {} tệp cho {} trường trong {}.",
        files,
        args.schools,
        args.out.display()
    );
    Ok(())
}
