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

/// An error as the officer reads it: its causes joined as `{:#}` joins them, with the
/// operating system's English ("No such file or directory (os error 2)") said in Vietnamese.
pub fn error_text(e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_text(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// What went wrong with a file or folder, in Vietnamese where the kind is a common one.
fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let text = match e.kind() {
        NotFound => "không có tệp hoặc thư mục này",
        PermissionDenied => "không có quyền đọc hoặc ghi",
        AlreadyExists => "đã có một tệp cùng tên",
        NotADirectory => "một phần của đường dẫn là tệp, không phải thư mục",
        IsADirectory => "đây là thư mục, không phải tệp",
        ReadOnlyFilesystem => "ổ đĩa chỉ cho phép đọc",
        StorageFull | QuotaExceeded => "ổ đĩa đã đầy",
        InvalidData => "nội dung không đọc được (không phải văn bản UTF-8)",
        _ => return e.to_string(),
    };
    text.to_string()
}
