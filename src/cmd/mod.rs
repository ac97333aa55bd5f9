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
    // An error bdtx made carries its own words.
    if e.get_ref().is_some() {
        return e.to_string();
    }
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

/// Longest text an option may give: a name, a title, a place.
const MAX_OPTION_CHARS: usize = 200;

/// A school year as the reports print it: "2024-2025", the second year after the first.
fn check_year(year: &str) -> anyhow::Result<()> {
    if crate::domain::text::school_year_in(&format!("năm học {year}")).as_deref() != Some(year) {
        anyhow::bail!(
            "Năm học \"{}\" không hợp lệ: đề nghị ghi dạng 2024-2025 (năm sau hơn năm trước 1).",
            year.chars().take(40).collect::<String>()
        );
    }
    Ok(())
}

/// Texts printed on a document (a name, a title, a place, a deadline): none longer than any
/// of those is.
fn check_texts(texts: &[(&str, &Option<String>)]) -> anyhow::Result<()> {
    for (flag, value) in texts {
        if value
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_OPTION_CHARS)
        {
            anyhow::bail!(
                "Giá trị của {flag} dài quá {MAX_OPTION_CHARS} ký tự: đề nghị ghi ngắn gọn (tên, chức vụ, địa danh)."
            );
        }
    }
    Ok(())
}

/// Refuses to write into the registry's folder (or below it): the input, where the next run
/// reads every file as a school's. `example` is a folder name to suggest instead.
fn keep_out_of_input(
    out: &std::path::Path,
    registry: &std::path::Path,
    example: &str,
) -> anyhow::Result<()> {
    let input = match registry.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    if absolute(out).starts_with(absolute(input)) {
        anyhow::bail!(
            "Thư mục ghi ({}) không được nằm trong thư mục của danh mục trường ({}): bdtx không \
             ghi vào thư mục dữ liệu của các trường, nơi lần tổng hợp sau đọc mọi tệp. Đề nghị \
             chọn thư mục khác, ví dụ --out {example}.",
            out.display(),
            input.display()
        );
    }
    Ok(())
}

/// Whether two folders are the same, or one holds the other, as written or through links;
/// either may not exist yet.
fn overlap(a: &std::path::Path, b: &std::path::Path) -> bool {
    let (a, b) = (absolute(a), absolute(b));
    a.starts_with(&b) || b.starts_with(&a)
}

/// `p` made absolute, through its nearest existing ancestor (links resolved there).
fn absolute(p: &std::path::Path) -> std::path::PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let base = if existing.as_os_str().is_empty() {
        std::path::PathBuf::from(".")
    } else {
        existing
    };
    let mut full = base.canonicalize().unwrap_or(base);
    full.extend(rest.iter().rev());
    full
}
