//! Files that must not take the run down (issue 16): a stray cell at the far corner of a
//! sheet and a zip bomb. Each is one school's file beside a normal school, whose figures
//! must come through.

mod common;
use common::*;
use std::io::{Read, Write};
use std::path::Path;

fn staff_rows() -> Vec<Vec<C>> {
    vec![
        vec![S("Họ và tên"), S("Chức vụ")],
        vec![S("Lê An"), S("Hiệu trưởng")],
        vec![S("Lê Bình"), S("Giáo viên")],
    ]
}

fn district(dir: &Path) {
    write_registry(
        dir,
        &[
            ("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học"),
            ("TH02", "Trường Tiểu học Lê Lợi", "Tiểu học"),
        ],
    );
    write_xlsx(&dir.join("TH02.xlsx"), &[("DS", staff_rows())]);
}

/// A space in XFD1048576 (Ctrl+End and a keystroke) and an "x" in A1048576: the sheet's
/// declared size is 17 billion cells; bdtx reads its real ones, and names the far "x".
#[test]
fn a_stray_far_cell_is_not_allocated_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in staff_rows().iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let C::S(s) = cell {
                ws.write_string(r as u32, c as u16, *s).unwrap();
            }
        }
    }
    ws.write_string(1_048_575, 16_383, " ").unwrap();
    ws.write_string(1_048_575, 0, "x").unwrap();
    wb.save(dir.path().join("TH01.xlsx")).unwrap();
    let job = run(dir.path());
    for code in ["TH01", "TH02"] {
        assert_eq!(job.school(code).unwrap().stats.staff.total, 2, "{code}");
    }
    let far: Vec<_> = job
        .issues
        .iter()
        .filter(|i| i.code == "far_cells")
        .collect();
    assert_eq!(far.len(), 1);
    assert!(
        far[0].message.contains("Có 1 ô") && far[0].message.contains("ô A1048576"),
        "{}",
        far[0].message
    );
    assert_rows_balance(&job);
}

/// An .xlsx holding a part that unpacks to over 100 MB from a few hundred kilobytes is
/// refused before anything is unpacked; the other school is read as usual.
#[test]
fn a_zip_bomb_is_refused_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let plain = dir.path().join("plain.xlsx");
    write_xlsx(&plain, &[("DS", staff_rows())]);
    let mut source = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(dir.path().join("TH01.xlsx")).unwrap());
    let options = zip::write::SimpleFileOptions::default().large_file(true);
    for i in 0..source.len() {
        let mut part = source.by_index(i).unwrap();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        out.start_file(part.name().unwrap().to_string(), options)
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.start_file("xl/bom.xml", options).unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..101 {
        out.write_all(&block).unwrap();
    }
    out.finish().unwrap();
    std::fs::remove_file(&plain).unwrap();
    assert!(
        std::fs::metadata(dir.path().join("TH01.xlsx"))
            .unwrap()
            .len()
            < 1 << 20
    );
    let job = run(dir.path());
    assert_eq!(job.files_failed.len(), 1);
    assert!(
        job.files_failed[0]
            .error
            .starts_with("Tệp quá lớn hoặc bất thường"),
        "{}",
        job.files_failed[0].error
    );
    assert_eq!(job.school("TH02").unwrap().stats.staff.total, 2);
}

/// A name at Excel's limit of 32,767 characters, which the messages about it take past the
/// limit, is cut in the reports, not a reason to stop: every output is written, and
/// summary.json keeps the messages whole.
#[test]
fn a_value_past_excels_limit_does_not_stop_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    district(&input);
    let long: &'static str = Box::leak(format!("Lê {}", "A".repeat(32_764)).into_boxed_str());
    let other: &'static str = Box::leak(format!("Lê {}", "B".repeat(32_764)).into_boxed_str());
    write_xlsx(
        &input.join("TH01.xlsx"),
        &[
            (
                "DS",
                vec![
                    vec![S("Họ và tên"), S("Chức vụ")],
                    vec![S(long), S("Giáo viên")],
                ],
            ),
            (
                "BDTX",
                vec![
                    vec![
                        S("Họ và tên"),
                        S("Nội dung 1"),
                        S("Nội dung 2"),
                        S("Nội dung 3"),
                    ],
                    vec![S(other), N(8.), N(8.), S("tám")],
                ],
            ),
        ],
    );
    let out = dir.path().join("out");
    bdtx(&[
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--year",
        "2024-2025",
    ]);
    for f in [
        "bao_cao_tong_hop_2024-2025.xlsx",
        "bao_cao_doi_ngu_2024-2025.xlsx",
        "summary.json",
        "loi/TH01.xlsx",
        "du_lieu/doi_ngu.csv",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    // The unmatched BDTX row's message holds the whole name, and more.
    assert!(
        json.contains(&"b".repeat(32_763)),
        "the name, title-cased, whole"
    );
}
