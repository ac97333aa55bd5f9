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
