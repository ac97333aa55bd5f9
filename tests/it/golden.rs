//! Golden outputs of the committed sample district, compared exactly (rust_xlsxwriter's way:
//! written files against reference files). `tests/golden/sample/` holds `summary.json`, the
//! CSV tables, the Parquet tables as the CSV polars reads back from them, the `loi/` manifest
//! and a CSV dump of every sheet of every workbook bdtx writes,
//! so that a change to any figure, label or layout shows in review. After an intended change,
//! rewrite them with `BLESS=1 cargo test --release golden` and read the diff.

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use std::collections::BTreeMap;
use std::path::Path;

const GOLDEN: &str = "tests/golden/sample";

#[test]
fn the_sample_district_gives_the_committed_outputs() {
    let out = tempfile::tempdir().unwrap();
    let input = repo_path("input");
    // The issuing office comes from the registry's "Thông tin đơn vị" sheet.
    bdtx(&run_args(&input, out.path()));
    // The school year's folder holds the run; nothing else is written but the lock.
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, [".bdtx.lock", "2024-2025"]);
    let actual = dump(&out.path().join("2024-2025"));
    // The Parquet tables read back to exactly the CSV tables.
    for table in ["doi_ngu", "bdtx"] {
        let (parquet, csv) = (
            format!("du_lieu/{table}.parquet"),
            format!("du_lieu/{table}.csv"),
        );
        assert_eq!(actual[&parquet], actual[&csv], "{parquet}");
    }
    let golden = repo_path(GOLDEN);
    if std::env::var_os("BLESS").is_some() {
        if golden.exists() {
            std::fs::remove_dir_all(&golden).unwrap();
        }
        for (name, text) in &actual {
            let path = golden.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        return;
    }
    let expected = read_tree(&golden);
    let names = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&actual),
        names(&expected),
        "the files written differ from {GOLDEN} (BLESS=1 rewrites it)"
    );
    for (name, text) in &actual {
        assert_same_text(name, &expected[name], text);
    }
}

/// Every output as text, by path relative to the output folder: workbooks as one CSV per sheet
/// (`<file>/<sheet>.csv`), other files as written. The run's lock file is no output.
fn dump(out: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !entry.file_type().is_file() || rel == ".bdtx.lock" {
            continue;
        }
        if rel.ends_with(".parquet") {
            files.insert(rel, parquet_as_csv(entry.path()));
        } else if rel.ends_with(".xlsx") {
            let mut book = open_workbook_auto(entry.path()).unwrap();
            for sheet in book.sheet_names() {
                let range = book.worksheet_range(&sheet).unwrap();
                files.insert(format!("{rel}/{sheet}.csv"), sheet_csv(&range));
            }
        } else {
            files.insert(rel, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    files
}

/// A Parquet table read back with polars and written as CSV, the way `du_lieu/*.csv` is.
fn parquet_as_csv(path: &Path) -> String {
    use polars::prelude::*;
    let mut df = ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap();
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .finish(&mut df)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

/// The sheet's cells from A1, one line per row, fields quoted where CSV needs it.
fn sheet_csv(range: &calamine::Range<Data>) -> String {
    let Some((last_row, last_col)) = range.end() else {
        return String::new();
    };
    let mut csv = String::new();
    for r in 0..=last_row {
        let fields: Vec<String> = (0..=last_col)
            .map(|c| field(range.get_value((r, c)).unwrap_or(&Data::Empty)))
            .collect();
        csv.push_str(fields.join(",").trim_end_matches(','));
        csv.push('\n');
    }
    csv
}

fn field(cell: &Data) -> String {
    let text = match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(x) => x.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        other => format!("{other:?}"),
    };
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn read_tree(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Names the first line that differs, with both versions.
fn assert_same_text(name: &str, expected: &str, actual: &str) {
    if expected == actual {
        return;
    }
    let (mut e, mut a) = (expected.lines(), actual.lines());
    for line in 1.. {
        match (e.next(), a.next()) {
            (x, y) if x == y && x.is_some() => continue,
            (x, y) => panic!(
                "{GOLDEN}/{name}, line {line} differs (BLESS=1 rewrites it):\n  expected: {}\n  actual:   {}",
                x.unwrap_or("(end)"),
                y.unwrap_or("(end)")
            ),
        }
    }
}

/// With no --year, the sample district's school year is read from its files (they say
/// 2024-2025 in their titles and information sheets), whatever the clock says; a file naming
/// another year is a warning on that file.
#[test]
fn the_school_year_is_read_from_the_files() {
    let job = run_reading_year(&repo_path("input"));
    assert_eq!(job.figures.school_year, "2024-2025");
    assert!(job.issues.iter().all(|i| i.code != "file_other_year"));

    let dir = tempfile::tempdir().unwrap();
    write_registry(
        dir.path(),
        &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")],
    );
    let staff = |year: &'static str| {
        vec![
            vec![S(year)],
            vec![S("Họ và tên"), S("Chức vụ")],
            vec![S("Lê An"), S("Giáo viên")],
        ]
    };
    write_xlsx(
        &dir.path().join("TH01_a.xlsx"),
        &[("DS", staff("DANH SÁCH NĂM HỌC 2024 - 2025"))],
    );
    write_xlsx(
        &dir.path().join("TH01_b.xlsx"),
        &[("BDTX", staff("NĂM HỌC 2023-2024"))],
    );
    write_xlsx(
        &dir.path().join("TH01_c.xlsx"),
        &[("DS2", staff("Năm học: 2024–2025"))],
    );
    let job = run_reading_year(dir.path());
    assert_eq!(job.figures.school_year, "2024-2025");
    let other: Vec<(&str, String)> = job
        .issues
        .iter()
        .filter(|i| i.code == "file_other_year")
        .map(|i| (i.file.as_str(), message(i)))
        .collect();
    assert_eq!(
        other,
        [(
            "TH01_b.xlsx",
            "Tệp ghi năm học 2023-2024, khác năm học đang tổng hợp (2024-2025). Đề nghị nhà trường kiểm tra đã gửi đúng tệp của năm học 2024-2025 chưa.".to_string()
        )]
    );
}
