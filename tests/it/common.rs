//! Builders for the small districts the integration tests write with rust_xlsxwriter.

use bdtx::domain::schema::Schemas;
use bdtx::pipeline::{run_job, JobConfig, JobResult};
use rust_xlsxwriter::Workbook;
use std::path::Path;

/// A cell in a test sheet: text, number or nothing.
#[derive(Clone, Debug)]
pub enum C {
    S(&'static str),
    N(f64),
    E,
}

#[allow(unused_imports)]
pub use C::{E, N, S};

/// Writes an .xlsx with the given sheets (name, rows), creating parent folders.
pub fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    C::S(s) => {
                        ws.write_string(r as u32, c as u16, *s).unwrap();
                    }
                    C::N(n) => {
                        ws.write_number(r as u32, c as u16, *n).unwrap();
                    }
                    C::E => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// The registry: (code, name, level, classes, sessions).
pub fn write_registry(dir: &Path, schools: &[(&'static str, &'static str, &'static str)]) {
    let mut rows = vec![
        vec![S("DANH MỤC TRƯỜNG HỌC")],
        vec![],
        vec![
            S("STT"),
            S("Mã trường"),
            S("Tên trường"),
            S("Cấp học"),
            S("Xã/Phường"),
            S("Số lớp"),
            S("Số buổi/ngày"),
        ],
    ];
    for (i, (code, name, level)) in schools.iter().enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            S(code),
            S(name),
            S(level),
            S("Xã Yên Hòa"),
            N(10.0),
            N(2.0),
        ]);
    }
    write_xlsx(&dir.join("danh_muc_truong.xlsx"), &[("Danh mục", rows)]);
}

/// The message a school reads for `issue`, in the embedded wording.
pub fn message(issue: &bdtx::domain::issue::Issue) -> String {
    static SCHEMAS: std::sync::OnceLock<Schemas> = std::sync::OnceLock::new();
    issue.message(
        &SCHEMAS
            .get_or_init(|| Schemas::load(None).unwrap())
            .messages,
    )
}

/// Runs the job with no school year given: it is read from the files.
pub fn run_reading_year(dir: &Path) -> JobResult {
    let schemas = Schemas::load(None).unwrap();
    let config = JobConfig {
        input: dir.to_path_buf(),
        registry: "danh_muc_truong.xlsx".into(),
        school_year: None,
        bdtx_rules: Default::default(),
        commune: None,
    };
    run_job(&config, &schemas).unwrap()
}

pub fn run(dir: &Path) -> JobResult {
    let schemas = Schemas::load(None).unwrap();
    let config = JobConfig {
        input: dir.to_path_buf(),
        registry: "danh_muc_truong.xlsx".into(),
        school_year: Some("2024-2025".into()),
        bdtx_rules: Default::default(),
        commune: None,
    };
    run_job(&config, &schemas).unwrap()
}

/// A path inside the repository. Read at run time, not with `env!`: CI reuses one target
/// directory across clones, and a test binary compiled in another clone would keep its path.
pub fn repo_path(relative: &str) -> std::path::PathBuf {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").expect("run the tests with cargo");
    Path::new(&root).join(relative)
}

pub fn fixture(name: &str) -> std::path::PathBuf {
    repo_path("tests/fixtures").join(name)
}

/// (file, row, code) of every issue, for exact comparison.
pub fn issue_keys(job: &JobResult) -> Vec<(String, Option<u32>, String)> {
    job.issues
        .iter()
        .map(|i| (i.file.clone(), i.row, i.code.clone()))
        .collect()
}

/// Checks data = accepted + rejected + skipped for every sheet.
pub fn assert_rows_balance(job: &JobResult) {
    for (sheet, c) in &job.received.rows {
        assert_eq!(
            c.data,
            c.accepted + c.rejected + c.skipped,
            "row accounting of {sheet}: {c:?}"
        );
    }
}

/// The arguments of `bdtx run` on `input` into `out`, for school year 2024-2025.
pub fn run_args<'a>(input: &'a Path, out: &'a Path) -> [&'a str; 7] {
    let (i, o) = (input.to_str().unwrap(), out.to_str().unwrap());
    ["run", "--input", i, "--output", o, "--year", "2024-2025"]
}

/// `bdtx sample` of `schools` schools (seed 2025 unless given) into `out`.
pub fn sample(out: &Path, schools: u32, seed: Option<u32>) {
    let (n, seed) = (schools.to_string(), seed.unwrap_or(2025).to_string());
    let out = out.to_str().unwrap();
    bdtx(&["sample", "--schools", &n, "--seed", &seed, "--out", out]);
}

/// Runs the real `bdtx` binary and asserts it succeeded.
pub fn bdtx(args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bdtx {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Low-memory report sheets drop, with only this line on stderr, a cell written to a row
    // already flushed: a report writer must go row by row.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Ignoring write to previously written row"),
        "bdtx {args:?} wrote report cells out of row order: {stderr}"
    );
    out
}

/// The school year's folder a run wrote under `out` (the one folder not starting with ".").
pub fn run_dir(out: &Path) -> std::path::PathBuf {
    let mut dirs: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.pop().unwrap()
}
