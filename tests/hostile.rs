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
    bdtx(&run_args(&input, &out));
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
    // Each over-long name is warned of on its own row.
    assert_eq!(json.matches("\"code\": \"name_too_long\"").count(), 2);
    // The unmatched BDTX row's message holds the whole name, and more.
    assert!(
        json.contains(&"b".repeat(32_763)),
        "the name, title-cased, whole"
    );
}

/// Smaller cases of issue 16: a link to a school's workbook is read (a link that loops or
/// leads outside is ignored, and listed); an unreadable "TH01_….xls" goes on TH01's list; a
/// "name" of combining marks is no person; birth dates no staff member can have are warned of.
#[cfg(unix)]
#[test]
fn links_unreadable_files_mark_only_names_and_impossible_births() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    district(&input);
    let marks: &'static str = Box::leak("\u{301}".repeat(500).into_boxed_str());
    let elsewhere = dir.path().join("kho/kim_dong.xlsx");
    write_xlsx(
        &elsewhere,
        &[(
            "DS",
            vec![
                vec![S("Họ và tên"), S("Ngày sinh"), S("Chức vụ")],
                vec![S("Lê An"), S("01/01/1900"), S("Hiệu trưởng")],
                vec![S("Lê Bình"), S("31/12/9999"), S("Giáo viên")],
                vec![S("Lê Cúc"), S("05/06/2015"), S("Giáo viên")],
                vec![S("Lê Dung"), S("05/06/1985"), S("Giáo viên")],
                vec![S(marks), S("05/06/1985"), S("Giáo viên")],
            ],
        )],
    );
    std::fs::create_dir_all(input.join("TH01")).unwrap();
    std::fs::copy(&elsewhere, input.join("TH01/kim_dong_goc.xlsx")).unwrap();
    std::fs::remove_file(input.join("TH02.xlsx")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("kho"), input.join("kho_ngoai")).unwrap();
    std::os::unix::fs::symlink(&input, input.join("TH01/vong")).unwrap();
    write_xlsx(&dir.path().join("le_loi.xlsx"), &[("DS", staff_rows())]);
    std::os::unix::fs::symlink(
        dir.path().join("le_loi.xlsx"),
        input.join("TH02_le_loi.xlsx"),
    )
    .unwrap();
    std::fs::write(input.join("TH01_hong.xls"), b"not a workbook").unwrap();
    let job = run(&input);
    // TH02's list arrives through a link to a file outside: links are followed only inside.
    assert_eq!(job.school("TH02").unwrap().stats.staff.total, 0);
    assert!(
        job.files_ignored.contains(&"TH02_le_loi.xlsx".to_string()),
        "{:?}",
        job.files_ignored
    );
    assert!(
        job.files_ignored.iter().any(|f| f.starts_with("kho_ngoai")),
        "{:?}",
        job.files_ignored
    );
    assert!(
        job.files_ignored.iter().any(|f| f.starts_with("TH01/vong")),
        "{:?}",
        job.files_ignored
    );
    let th01 = job.school("TH01").unwrap();
    assert_eq!(th01.stats.staff.total, 4);
    let unreadable: Vec<_> = job
        .issues
        .iter()
        .filter(|i| i.file == "TH01_hong.xls")
        .collect();
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0].school.as_deref(), Some("TH01"));
    let missing_name: Vec<_> = job
        .issues
        .iter()
        .filter(|i| i.code == "missing_name")
        .map(|i| i.row)
        .collect();
    assert_eq!(missing_name, vec![Some(6)]);
    let births: Vec<_> = job
        .issues
        .iter()
        .filter(|i| i.code == "implausible_birth_date")
        .map(|i| i.row)
        .collect();
    assert_eq!(births, vec![Some(2), Some(3), Some(4)]);
}

/// A link inside the input folder to a workbook inside it is read like the file.
#[cfg(unix)]
#[test]
fn a_link_to_a_workbook_inside_the_input_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    district(&input);
    std::fs::create_dir_all(input.join("kho")).unwrap();
    write_xlsx(&input.join("kho/ds.xlsx"), &[("DS", staff_rows())]);
    std::os::unix::fs::symlink(input.join("kho/ds.xlsx"), input.join("TH01_kim_dong.xlsx"))
        .unwrap();
    let job = run(&input);
    assert!(
        job.files_read.contains(&"TH01_kim_dong.xlsx".to_string()),
        "{:?}",
        job.files_read
    );
    assert_eq!(job.school("TH01").unwrap().stats.staff.total, 2);
}

mod fuzz {
    //! Generated and mutated workbooks (bounded, seconds): bdtx never panics on them, every
    //! file ends up read or failed, and every sheet's rows balance.
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;

    const WORDS: [&str; 16] = [
        "Họ và tên",
        "Chức vụ",
        "Ngày sinh",
        "Nội dung 1",
        "Nội dung 2",
        "Nội dung 3",
        "Xếp loại",
        "Giáo viên",
        "Hiệu trưởng",
        "Tổng cộng",
        "II. GIÁO VIÊN",
        "Người lập biểu",
        "x",
        "31/02/1980",
        "Th«ng tin tr\u{AD}êng",
        "\u{301}\u{301}",
    ];

    #[derive(Debug, Clone)]
    enum Cell {
        Word(usize),
        Num(f64),
        Long(usize),
    }

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            6 => (0..WORDS.len()).prop_map(Cell::Word),
            3 => any::<f64>().prop_map(Cell::Num),
            1 => (1usize..32_000).prop_map(Cell::Long),
        ]
    }

    /// Cells near the top-left, and a few anywhere on the sheet.
    fn position() -> impl Strategy<Value = (u32, u16)> {
        prop_oneof![9 => (0u32..30, 0u16..12), 1 => (0u32..1_048_576, 0u16..16_384)]
    }

    fn check(dir: &Path, files: usize) {
        let job = run(dir);
        assert_rows_balance(&job);
        assert_eq!(
            job.files_read.len() + job.files_failed.len(),
            files,
            "{:?}",
            job.files_failed
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 32,
            rng_seed: RngSeed::Fixed(16),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn generated_workbooks_never_take_the_run_down(
            sheets in proptest::collection::vec(proptest::collection::vec((position(), cell()), 0..80), 1..3)
        ) {
            let dir = tempfile::tempdir().unwrap();
            district(dir.path());
            let mut wb = rust_xlsxwriter::Workbook::new();
            for cells in &sheets {
                let ws = wb.add_worksheet();
                for ((r, c), v) in cells {
                    let _ = match v {
                        Cell::Word(i) => ws.write_string(*r, *c, WORDS[*i]),
                        Cell::Num(x) => ws.write_number(*r, *c, *x),
                        Cell::Long(n) => ws.write_string(*r, *c, "Lê".repeat(*n / 2)),
                    };
                }
            }
            wb.save(dir.path().join("TH01.xlsx")).unwrap();
            check(dir.path(), 2);
        }

        #[test]
        fn mutated_workbooks_never_take_the_run_down(
            cut in 0usize..12_000,
            flips in proptest::collection::vec((0usize..12_000, any::<u8>()), 0..8)
        ) {
            let dir = tempfile::tempdir().unwrap();
            district(dir.path());
            let mut bytes = std::fs::read(repo_path("input/TH001_kim_dong/TH001_kim_dong.xlsx")).unwrap();
            for (at, b) in flips {
                if let Some(x) = bytes.get_mut(at) {
                    *x = b;
                }
            }
            bytes.truncate(cut.max(1));
            std::fs::write(dir.path().join("TH01.xlsx"), bytes).unwrap();
            check(dir.path(), 2);
        }
    }
}
