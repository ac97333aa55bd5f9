//! Generates a synthetic district.
//!
//! Usage: bdtx sample [--schools N] [--seed S] [--out DIR] [--year 2024-2025] [--no-problems]
//!
//! Writes danh_muc_truong.xlsx and one folder per school into --out. The same seed always
//! gives the same files. Unless --no-problems, a few data problems are planted on purpose.

use crate::domain::schema::Schemas;
use crate::tools::sample::{generate, SampleOptions};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Số trường (number of schools).
    #[arg(long, default_value_t = 12)]
    pub schools: usize,
    /// Hạt giống ngẫu nhiên: cùng số cho cùng dữ liệu (random seed: same seed, same data).
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Thư mục ghi dữ liệu mẫu (output folder).
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

pub fn run(args: SampleArgs) -> Result<()> {
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
