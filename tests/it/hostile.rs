//! Files that must not take the run down (issue 16): a stray cell at the far corner of a
//! sheet and a zip bomb. Each is one school's file beside a normal school, whose figures
//! must come through.

use crate::common::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Every allocation of the test binary is counted. The tests of the binary run side by side,
/// so two bounds: no single allocation may exceed `ALLOCATION_BUDGET` (a sheet's rectangle is
/// one allocation: a stray cell in IV65536 of an .xls asks for 537 MB), and the binary as a
/// whole may never hold more than `MEMORY_BUDGET` at once.
const ALLOCATION_BUDGET: usize = 256 << 20;
const MEMORY_BUDGET: usize = 1 << 30;

struct Counting;
static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    /// Counts a request before it is made, so that one too large to succeed still shows.
    fn count(size: usize) {
        LARGEST.fetch_max(size, Relaxed);
        let now = HELD.fetch_add(size, Relaxed).saturating_add(size);
        PEAK.fetch_max(now, Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Counting::count(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Counting::count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Counting::count(new_size);
        HELD.fetch_sub(layout.size(), Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn assert_within_memory_budget() {
    let (largest, peak) = (LARGEST.load(Relaxed), PEAK.load(Relaxed));
    assert!(
        largest < ALLOCATION_BUDGET && peak < MEMORY_BUDGET,
        "largest allocation {} MB (budget {} MB), held {} MB at once (budget {} MB)",
        largest >> 20,
        ALLOCATION_BUDGET >> 20,
        peak >> 20,
        MEMORY_BUDGET >> 20
    );
}

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
        assert_eq!(
            job.school(code).unwrap().measures.stats.staff.total,
            2,
            "{code}"
        );
    }
    let far: Vec<_> = job
        .issues
        .iter()
        .filter(|i| i.code == "far_cells")
        .collect();
    assert_eq!(far.len(), 1);
    assert!(
        message(far[0]).contains("Có 1 ô") && message(far[0]).contains("ô A1048576"),
        "{}",
        message(far[0])
    );
    assert_rows_balance(&job);
    assert_within_memory_budget();
}

/// The same stray cell in the last cell of an .xls sheet (IV65536) and far out in an .ods
/// sheet: calamine would fill the whole rectangle when it opens the file, so the file is
/// sized from its records first and refused, and the other school is read as usual.
#[test]
fn a_stray_far_cell_in_xls_or_ods_is_refused_before_it_is_allocated() {
    for file in ["TH01.xls", "TH01.ods"] {
        let dir = tempfile::tempdir().unwrap();
        district(dir.path());
        let path = dir.path().join(file);
        if file.ends_with(".xls") {
            std::fs::copy(repo_path("tests/fixtures/o_xa.xls"), &path).unwrap();
        } else {
            write_ods_with_far_cell(&path);
        }
        let job = run(dir.path());
        assert_eq!(job.received.files_failed.len(), 1, "{file}");
        let error = &job.received.files_failed[0].error;
        assert!(
            error.starts_with("Tệp quá lớn hoặc bất thường") && error.contains("rất xa bảng"),
            "{file}: {error}"
        );
        assert_eq!(
            job.school("TH02").unwrap().measures.stats.staff.total,
            2,
            "{file}"
        );
        assert_rows_balance(&job);
    }
    assert_within_memory_budget();
}

/// A staff list in an .ods whose last row, after 100,000 repeated blank rows, has an "x" in
/// its 16,384th column: calamine would hold 1.6 billion cells.
fn write_ods_with_far_cell(path: &Path) {
    let mut rows = String::new();
    for row in staff_rows() {
        rows.push_str("<table:table-row>");
        for cell in row {
            if let C::S(text) = cell {
                rows.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
                ));
            }
        }
        rows.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="DS">{rows}<table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.finish().unwrap();
}

/// An .xlsx holding a part that unpacks to over 100 MB from a few hundred kilobytes is
/// refused before anything is unpacked; the other school is read as usual. The same part as
/// the workbook's shared strings, declared 1,000 bytes long: the zip reader stops there, so
/// the file is unreadable, and nothing large is held either.
#[test]
fn a_zip_bomb_is_refused_and_the_rest_is_read() {
    for lying in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        district(dir.path());
        let part = if lying {
            "xl/sharedStrings.xml"
        } else {
            "xl/bom.xml"
        };
        let bomb = dir.path().join("TH01.xlsx");
        write_zip_bomb(&bomb, part);
        if lying {
            declare_size(&bomb, part, 1_000);
        }
        assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
        let job = run(dir.path());
        assert_eq!(job.received.files_failed.len(), 1, "{part}");
        let error = &job.received.files_failed[0].error;
        let expected = if lying {
            "Không mở được tệp"
        } else {
            "Tệp quá lớn hoặc bất thường nên không được đọc: xl/bom.xml (101 MB"
        };
        assert!(error.starts_with(expected), "{error}");
        assert_eq!(job.school("TH02").unwrap().measures.stats.staff.total, 2);
    }
    assert_within_memory_budget();
}

/// A staff list whose `part` is replaced by (or added as) 101 MB of one letter.
fn write_zip_bomb(path: &Path, part: &str) {
    let plain = path.with_extension("plain.xlsx");
    write_xlsx(&plain, &[("DS", staff_rows())]);
    let mut source = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().large_file(false);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        if entry.name().unwrap() == part {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(entry.name().unwrap().to_string(), options)
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.start_file(part, options).unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..101 {
        out.write_all(&block).unwrap();
    }
    out.finish().unwrap();
    std::fs::remove_file(&plain).unwrap();
}

/// Writes `size` as the uncompressed size of part `name` in its local header and its
/// central-directory entry.
fn declare_size(path: &Path, name: &str, size: u32) {
    let mut bytes = std::fs::read(path).unwrap();
    let headers = [(0x04034b50u32, 22usize, 30usize), (0x02014b50, 24, 46)];
    let mut patched = 0;
    for (signature, size_at, name_at) in headers {
        for at in 0..bytes.len().saturating_sub(name_at + name.len()) {
            if bytes[at..at + 4] == signature.to_le_bytes()
                && &bytes[at + name_at..at + name_at + name.len()] == name.as_bytes()
            {
                bytes[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
        }
    }
    assert_eq!(patched, 2);
    std::fs::write(path, bytes).unwrap();
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
        assert!(out.join("2024-2025").join(f).is_file(), "{f}");
    }
    let json = std::fs::read_to_string(out.join("2024-2025/summary.json")).unwrap();
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
    assert_eq!(job.school("TH02").unwrap().measures.stats.staff.total, 0);
    assert!(
        job.received
            .files_ignored
            .contains(&"TH02_le_loi.xlsx".to_string()),
        "{:?}",
        job.received.files_ignored
    );
    assert!(
        job.received
            .files_ignored
            .iter()
            .any(|f| f.starts_with("kho_ngoai")),
        "{:?}",
        job.received.files_ignored
    );
    assert!(
        job.received
            .files_ignored
            .iter()
            .any(|f| f.starts_with("TH01/vong")),
        "{:?}",
        job.received.files_ignored
    );
    let th01 = job.school("TH01").unwrap();
    assert_eq!(th01.measures.stats.staff.total, 4);
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
        job.received
            .files_read
            .contains(&"TH01_kim_dong.xlsx".to_string()),
        "{:?}",
        job.received.files_read
    );
    assert_eq!(job.school("TH01").unwrap().measures.stats.staff.total, 2);
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
            job.received.files_read.len() + job.received.files_failed.len(),
            files,
            "{:?}",
            job.received.files_failed
        );
        assert_within_memory_budget();
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

        /// The numbers a workbook's XML declares (counts, dimensions, cell references,
        /// styles, dates): each case sets a few of them in one part to an extreme value.
        #[test]
        fn workbooks_with_extreme_declarations_never_take_the_run_down(
            part in 0usize..4,
            edits in proptest::collection::vec((0usize..400, 0usize..8), 1..6)
        ) {
            const PARTS: [&str; 4] = [
                "xl/sharedStrings.xml",
                "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
                "xl/workbook.xml",
            ];
            const EXTREMES: [&str; 8] = [
                "4294967295", "0", "-1", "1e15", "-1e15", "18446744073709551616",
                "99999999999999999999999", "1048577",
            ];
            let dir = tempfile::tempdir().unwrap();
            district(dir.path());
            let file = dir.path().join("TH01.xlsx");
            std::fs::copy(repo_path("input/TH001_kim_dong/TH001_kim_dong.xlsx"), &file).unwrap();
            edit_part(&file, PARTS[part], |xml| set_numbers(&xml, &edits, &EXTREMES));
            check(dir.path(), 2);
        }
    }

    /// `xml` with its `at % n`-th runs of digits (n of them) replaced by `values[v]`.
    fn set_numbers(xml: &str, edits: &[(usize, usize)], values: &[&str]) -> String {
        let runs: Vec<(usize, usize)> = {
            let mut runs = Vec::new();
            let bytes = xml.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i].is_ascii_digit() {
                    let start = i;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                    runs.push((start, i));
                } else {
                    i += 1;
                }
            }
            runs
        };
        if runs.is_empty() {
            return xml.to_string();
        }
        let mut chosen: Vec<((usize, usize), &str)> = edits
            .iter()
            .map(|(at, v)| (runs[at % runs.len()], values[v % values.len()]))
            .collect();
        chosen.sort_by_key(|((start, _), _)| std::cmp::Reverse(*start));
        chosen.dedup_by_key(|((start, _), _)| *start);
        let mut out = xml.to_string();
        for ((start, end), value) in chosen {
            out.replace_range(start..end, value);
        }
        out
    }
}

/// Rewrites part `name` of the zip at `path` through `edit`.
fn edit_part(path: &Path, name: &str, edit: impl Fn(String) -> String) {
    let bytes = std::fs::read(path).unwrap();
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let entry_name = entry.name().unwrap().to_string();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        if entry_name == name {
            text = edit(text);
        }
        out.start_file(entry_name, options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

/// A 10 KB workbook whose sharedStrings.xml declares 4,294,967,295 strings: calamine would
/// reserve 103 GB for them. The count is corrected before calamine reads it, and the school
/// is read as usual.
#[test]
fn a_declared_count_of_four_billion_strings_is_not_allocated() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let file = dir.path().join("TH01.xlsx");
    write_xlsx(&file, &[("DS", staff_rows())]);
    edit_part(&file, "xl/sharedStrings.xml", |xml| {
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}4294967295{}", &xml[..at], &xml[end..])
    });
    assert!(std::fs::metadata(&file).unwrap().len() < 20_000);
    let job = run(dir.path());
    assert!(
        job.received.files_failed.is_empty(),
        "{:?}",
        job.received.files_failed
    );
    for code in ["TH01", "TH02"] {
        let staff = job.school(code).unwrap().measures.stats.staff.total;
        assert_eq!(staff, 2, "{code}");
    }
    assert_within_memory_budget();
}

/// Any number in a date-formatted cell is data: -1e15 as a birth date is a warning on its
/// cell ("invalid_date"), not a panic, and the person is counted.
#[test]
fn a_date_far_outside_the_calendar_is_a_row_problem() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in ["Họ và tên", "Ngày sinh", "Chức vụ"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, born, role)) in [
        ("Lê An", -1e15, "Hiệu trưởng"),
        ("Lê Bình", 1e300, "Giáo viên"),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *name).unwrap();
        ws.write_number_with_format(r, 1, *born, &date).unwrap();
        ws.write_string(r, 2, *role).unwrap();
    }
    wb.save(dir.path().join("TH01.xlsx")).unwrap();
    let job = run(dir.path());
    assert_eq!(job.school("TH01").unwrap().measures.stats.staff.total, 2);
    let invalid: Vec<Option<u32>> = job
        .issues
        .iter()
        .filter(|i| i.code == "invalid_date")
        .map(|i| i.row)
        .collect();
    assert_eq!(invalid, [Some(2), Some(3)]);
}

/// A workbook is what its bytes are, not what its name says: an .xls saved as "….xlsx" is
/// read with every figure of the .xlsx it was made from; a web page or a CSV named as a
/// workbook is named for what it is, in Vietnamese.
#[test]
fn a_workbook_is_read_by_its_content_not_its_name() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    // TH01: the sample's Kim Đồng as .xls, under an .xlsx name.
    std::fs::copy(
        fixture("metamorphic/TH001_kim_dong.xls"),
        dir.path().join("TH01.xlsx"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("TH02.xls"),
        "<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("TH02b.xlsx"),
        "Họ và tên,Chức vụ\nLê An,HT\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("TH02.xlsx")).unwrap();
    let job = run(dir.path());
    let failed: Vec<(&str, &str)> = job
        .received
        .files_failed
        .iter()
        .map(|f| (f.file.as_str(), f.error.as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            (
                "TH02.xls",
                "Không mở được tệp: tệp là trang web (HTML) được đặt tên .xls, không phải bảng tính Excel. Đề nghị nhà trường mở lại tệp bằng Excel, lưu dưới dạng .xlsx rồi gửi lại."
            ),
            (
                "TH02b.xlsx",
                "Không mở được tệp: tệp là văn bản (CSV) được đặt tên .xlsx, không phải bảng tính Excel. Đề nghị nhà trường mở lại tệp bằng Excel, lưu dưới dạng .xlsx rồi gửi lại."
            )
        ]
    );
    // The .xls is read as the .xls it is: not "Tệp được đặt mật khẩu".
    let sample = run(&repo_path("input"));
    let th001 = &sample.school("TH001").unwrap().measures.stats;
    assert!(job.received.files_read.contains(&"TH01.xlsx".to_string()));
    assert_eq!(job.school("TH01").map(|s| s.files.len()), Some(1));
    assert_eq!(
        job.school("TH01").unwrap().measures.stats.staff.total,
        th001.staff.total
    );
}

/// A link inside the input to a workbook also inside it is read once: no false duplicates.
#[cfg(unix)]
#[test]
fn a_workbook_linked_inside_the_input_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    write_xlsx(&dir.path().join("TH01.xlsx"), &[("DS", staff_rows())]);
    std::fs::create_dir_all(dir.path().join("nop_lai")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("TH01.xlsx"),
        dir.path().join("nop_lai/ban_sao_TH01.xlsx"),
    )
    .unwrap();
    let job = run(dir.path());
    assert_eq!(job.school("TH01").unwrap().measures.stats.staff.total, 2);
    assert!(!job.issues.iter().any(|i| i.code.contains("duplicate")));
    assert!(job
        .received
        .files_ignored
        .contains(&"nop_lai/ban_sao_TH01.xlsx".to_string()));
}

/// A name that a spreadsheet would run as a formula is a problem on its row, and the CSV
/// table writes it after an apostrophe; NUL characters from "_x0000_" escapes are dropped.
#[test]
fn formulas_and_control_characters_never_reach_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let out = dir.path().join("out");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    district(&input);
    write_xlsx(
        &input.join("TH01.xlsx"),
        &[(
            "DS",
            vec![
                vec![S("Họ và tên"), S("Chức vụ")],
                vec![S("=HYPERLINK(\"http://x\",\"Lê An\")"), S("Hiệu trưởng")],
                vec![S("Lê\u{0}Bình"), S("Giáo viên")],
            ],
        )],
    );
    bdtx(&run_args(&input, &out));
    let csv = std::fs::read_to_string(out.join("2024-2025/du_lieu/doi_ngu.csv")).unwrap();
    assert!(!csv.contains('\u{0}'));
    assert!(csv.contains("Lê Bình"), "{csv}");
    assert!(
        csv.lines()
            .all(|l| !l.contains(",=") && !l.contains(",\"=")),
        "{csv}"
    );
    // As written, after the apostrophe: not lower-cased as a name would be.
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"Lê An\"\")\","),
        "{csv}"
    );
    let summary = std::fs::read_to_string(out.join("2024-2025/summary.json")).unwrap();
    assert!(summary.contains("\"name_formula\""), "no warning");
}

/// Scale of the input: a school file with its list copied onto many sheets is counted from
/// all of them and said so, naming the sheets; a pipe in the input is listed, never opened.
#[test]
fn many_staff_lists_in_one_file_are_named_and_a_pipe_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let sheets: Vec<(&str, Vec<Vec<C>>)> = [
        "DS", "DS (2)", "DS (3)", "DS (4)", "DS (5)", "DS (6)", "DS (7)",
    ]
    .into_iter()
    .map(|n| (n, staff_rows()))
    .collect();
    write_xlsx(&dir.path().join("TH01.xlsx"), &sheets);
    #[cfg(unix)]
    {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join("ong.xlsx"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let job = run(dir.path());
    let warning = job
        .issues
        .iter()
        .find(|i| i.code == "several_staff_lists")
        .unwrap();
    assert_eq!(
        message(warning),
        "Tệp có 7 trang tính danh sách cán bộ, giáo viên, nhân viên (\"DS\", \"DS (2)\", \"DS (3)\", \"DS (4)\", \"DS (5)\" … (7 trang)); tất cả đều được tính. Đề nghị nhà trường kiểm tra: nếu có trang là bản sao thì xóa đi để không bị tính trùng."
    );
    #[cfg(unix)]
    assert!(job.received.files_ignored.contains(&"ong.xlsx".to_string()));
    assert_eq!(job.school("TH02").unwrap().measures.stats.staff.total, 2);
}

/// A folder nested past what the system's paths can name (25 levels of 200 letters) cannot
/// be read: the office is told which one, its files are not skipped silently.
#[cfg(unix)]
#[test]
fn a_folder_too_deep_to_read_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    write_xlsx(&dir.path().join("TH01.xlsx"), &[("DS", staff_rows())]);
    let made = std::process::Command::new("bash")
        .current_dir(dir.path())
        .args([
            "-c",
            "n=$(printf 'a%.0s' $(seq 200)); mkdir sau && cd sau && \
             for i in $(seq 25); do mkdir $n && cd $n; done; echo x > TH03.xlsx",
        ])
        .status()
        .unwrap();
    assert!(made.success());
    let job = run(dir.path());
    let unreadable: Vec<&str> = job
        .issues
        .iter()
        .filter(|i| i.code == "path_unreadable")
        .map(|i| i.file.as_str())
        .collect();
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert!(unreadable[0].starts_with("sau/aaaa"), "{unreadable:?}");
    assert_eq!(job.school("TH01").unwrap().measures.stats.staff.total, 2);
}

/// A reader's fault on one school's file (calamine multiplies a cell reference past 2^64
/// without a check: a panic in a debug build) fails that file, named, and the run goes on:
/// the other school is read, every output written.
#[test]
fn a_fault_while_reading_one_file_fails_that_file_only() {
    let (dir, outs) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    district(dir.path());
    write_xlsx(&dir.path().join("TH01.xlsx"), &[("DS", staff_rows())]);
    let out = outs.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bdtx"))
        .args(["run", "--input"])
        .arg(dir.path())
        .arg("--output")
        .arg(&out)
        .args(["--year", "2024-2025"])
        .env("BDTX_FAULT_READING", "TH01.xlsx")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let year = out.join("2024-2025");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(year.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["files"]["read"], serde_json::json!(["TH02.xlsx"]));
    let failed = &summary["files"]["failed"];
    assert_eq!(failed.as_array().unwrap().len(), 1, "{failed}");
    assert_eq!(failed[0]["file"], "TH01.xlsx");
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .contains("nội dung bảng tính bị hỏng hoặc có giá trị vượt giới hạn của Excel"),
        "{failed}"
    );
    assert!(year.join("bao_cao_tong_hop_2024-2025.xlsx").is_file());
    assert!(year.join("loi").join("TH01.xlsx").is_file());
}

/// A person added under the signatures (a row with a name and a role, a date of birth) is no
/// footer line: not read, and said, with the person named; the signature line and the
/// three signers' names under it (names only, in data columns too) stay footer lines.
#[test]
fn a_person_below_the_signatures_is_reported_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    district(dir.path());
    let rows = vec![
        vec![S("STT"), S("Họ và tên"), S("Chức vụ"), S("Ngày sinh")],
        vec![N(1.0), S("Lê An"), S("Hiệu trưởng"), S("01/02/1975")],
        vec![N(2.0), S("Lê Bình"), S("Giáo viên"), S("03/04/1985")],
        vec![E, S("Người lập biểu"), S("Kế toán"), S("HIỆU TRƯỞNG")],
        vec![E, S("Trần Văn Ký"), S("Đỗ Thu"), S("Lê An")],
        vec![N(3.0), S("Phạm Chi"), S("Giáo viên"), S("05/06/1990")],
    ];
    write_xlsx(&dir.path().join("TH01.xlsx"), &[("DS", rows)]);
    let job = run(dir.path());
    assert_rows_balance(&job);
    let kd = job.school("TH01").unwrap();
    assert_eq!(kd.measures.stats.staff.total, 2);
    assert_eq!(kd.intake.people_rejected, 1);
    let c = &job.received.rows["TH01.xlsx/DS"];
    assert_eq!((c.data, c.accepted, c.rejected, c.skipped), (5, 2, 1, 2));
    assert_eq!(c.skipped_reasons["footer"], 2);
    let after: Vec<_> = job
        .issues
        .iter()
        .filter(|i| i.code == "row_after_footer")
        .collect();
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(after[0].file, "TH01.xlsx");
    assert_eq!(after[0].row, Some(6));
    assert_eq!(after[0].column.as_deref(), Some("B"));
    let s = bdtx::domain::schema::Schemas::load(None).unwrap();
    assert_eq!(
        after[0].message(&s.messages),
        "Dòng của Phạm Chi nằm dưới phần ký tên của bảng; dòng này chưa được tính."
    );
}
