//! Command-line interface: `bdtx` (same as `bdtx run`), `bdtx run`, `bdtx sample`,
//! `bdtx template`, `bdtx self-check`.

pub mod run;
pub mod sample;
pub mod self_check;
pub mod template;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "bdtx",
    version,
    about = "Tổng hợp đội ngũ và kết quả BDTX của các trường / Consolidates school staff and BDTX results"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Tổng hợp các tệp của các trường, xuất báo cáo (mặc định) (run the job on a folder of
    /// school workbooks; the default).
    Run(run::RunArgs),
    /// Tạo một bộ dữ liệu mẫu: danh mục trường và tệp của các trường (generate a synthetic
    /// district: registry and school workbooks).
    Sample(sample::SampleArgs),
    /// Tạo mẫu biểu để các trường điền, mỗi trường một tệp hoặc một mẫu trống (write the
    /// workbook schools fill in, one per registry school or a blank one).
    Template(template::TemplateArgs),
    /// Trang để các trường tự kiểm tra tệp trước khi gửi, hoặc kiểm tra các tệp ngay tại đây
    /// (write the self-check page for schools, or check files here).
    SelfCheck(self_check::SelfCheckArgs),
}

pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => run::run(run::RunArgs::default()),
        Some(Command::Run(args)) => run::run(args),
        Some(Command::Sample(args)) => sample::run(args),
        Some(Command::Template(args)) => template::run(args),
        Some(Command::SelfCheck(args)) => self_check::run(args),
    }
}
