//! Printed pages: every sheet bdtx writes prints on A4, one page wide, at a scale a person
//! can read (at least 55%), and every long table repeats its header on each page. Measured
//! from what a spreadsheet program reads: the page setup, the margins, the used columns and
//! their widths in each sheet's XML.

use crate::common::*;
use std::io::Read;
use std::path::Path;

/// The smallest fit-to-width scale accepted.
const MIN_SCALE: f64 = 0.55;

/// The body font of every table (Times New Roman 12) and the smallest size it may print at
/// in a document the office signs.
const BODY_PT: f64 = 12.0;
const MIN_SIGNED_PT: f64 = 8.0;
/// Height of an A4 landscape / portrait page inside bdtx's margins and footer, in points.
const PAGE_HEIGHT_PT: [f64; 2] = [505.0, 740.0];

/// One sheet's print setup, as read from the workbook.
#[derive(Debug)]
struct Page {
    sheet: String,
    /// Sum of the row heights (15 pt where none is set) down to the last used row.
    height_pt: f64,
    a4: bool,
    landscape: bool,
    one_page_wide: bool,
    /// Fit-to-width scale: printable width over the used columns' width, at most 1.
    scale: f64,
    rows: u32,
    repeats_header: bool,
}

fn attr<'x>(tag: &'x str, name: &str) -> Option<&'x str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

fn tag<'x>(xml: &'x str, name: &str) -> Option<&'x str> {
    let at = xml.find(&format!("<{name} "))?;
    xml[at..].split('>').next()
}

/// "AB12" → (column 28, row 12).
fn cell_ref(r: &str) -> (u32, u32) {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let col = letters
        .bytes()
        .fold(0, |n, b| n * 26 + (b - b'A' + 1) as u32);
    (col, r[letters.len()..].parse().unwrap_or(1))
}

/// Pixels of a column `width` characters wide as stored. Excel with Calibri 11, the
/// workbook's default font, gives 7 px a character; LibreOffice with Carlito (Calibri's
/// metric twin) prints 7% smaller than that: the text sizes read from its PDFs
/// (`pdftotext -bbox`) fit 7.5 to 7.7 px (the wider the sheet, the more). Measured here as
/// LibreOffice prints, at the wider end.
fn column_px(width: f64) -> f64 {
    (width * 7.7).round()
}

/// A workbook's xl/workbook.xml and each sheet's name and XML, in workbook order.
fn sheets_of(path: &Path) -> (String, Vec<(String, String)>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    let sheets = workbook
        .split("<sheet ")
        .skip(1)
        .enumerate()
        .map(|(i, t)| {
            let name = attr(&format!(" {t}"), "name").unwrap().to_string();
            (name, read(&format!("xl/worksheets/sheet{}.xml", i + 1)))
        })
        .collect();
    (workbook, sheets)
}

fn pages(path: &Path) -> Vec<Page> {
    let (workbook, sheets) = sheets_of(path);
    // Hidden sheets (the charts' figures) do not print.
    let hidden: Vec<bool> = workbook
        .split("<sheet ")
        .skip(1)
        .map(|t| attr(&format!(" {t}"), "state") == Some("hidden"))
        .collect();
    let titled: Vec<usize> = workbook
        .split("<definedName ")
        .skip(1)
        .filter(|d| d.contains("_xlnm.Print_Titles"))
        .filter_map(|d| attr(&format!(" {d}"), "localSheetId")?.parse().ok())
        .collect();
    sheets
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !hidden[*i])
        .map(|(i, (sheet, xml))| {
            let dimension = tag(&xml, "dimension").and_then(|t| attr(t, "ref"));
            let (last_col, rows) = dimension
                .map(|d| cell_ref(d.rsplit(':').next().unwrap()))
                .unwrap_or((1, 1));
            let mut widths = vec![8.43 + 0.71; last_col as usize + 1];
            for col in xml.split("<col ").skip(1) {
                let col = format!(" {col}");
                // Hidden columns (the letters' machine codes) do not print.
                let hidden = attr(&col, "hidden") == Some("1");
                let (min, max): (usize, usize) = (
                    attr(&col, "min").unwrap().parse().unwrap(),
                    attr(&col, "max").unwrap().parse().unwrap(),
                );
                let w: f64 = if hidden {
                    0.0
                } else {
                    attr(&col, "width").unwrap().parse().unwrap()
                };
                let last = max.min(last_col as usize);
                if min <= last {
                    widths[min..=last].fill(w);
                }
            }
            let used_px: f64 = widths[1..].iter().map(|&w| column_px(w)).sum();
            let setup = tag(&xml, "pageSetup").unwrap_or("");
            let landscape = attr(setup, "orientation") == Some("landscape");
            let margins = tag(&xml, "pageMargins").unwrap_or("");
            let margin = |k| attr(margins, k).map_or(0.7, |m| m.parse().unwrap());
            let paper_mm = if landscape { 297.0 } else { 210.0 };
            let mut height_pt = 15.0 * rows as f64;
            for row in xml.split("<row ").skip(1) {
                let row = format!(" {row}");
                let row = row.split('>').next().unwrap_or("");
                if let Some(h) = attr(row, "ht") {
                    height_pt += h.parse::<f64>().unwrap() - 15.0;
                }
            }
            let printable_px = (paper_mm / 25.4 - margin("left") - margin("right")) * 96.0;
            Page {
                sheet,
                height_pt,
                a4: attr(setup, "paperSize") == Some("9"),
                landscape,
                // fitToWidth is 1 when not written.
                one_page_wide: matches!(attr(setup, "fitToWidth"), None | Some("1"))
                    && xml.contains("fitToPage=\"1\""),
                scale: (printable_px / used_px).min(1.0),
                rows,
                repeats_header: titled.contains(&i),
            }
        })
        .collect()
}

impl Page {
    /// Pages the sheet prints on, estimated from its rows' heights at its scale.
    fn pages(&self) -> f64 {
        let page = PAGE_HEIGHT_PT[if self.landscape { 0 } else { 1 }];
        (self.height_pt * self.scale / page).ceil().max(1.0)
    }
}

/// The documents the office signs (or that go with what it signs): the reports, the annex,
/// the letters to schools. The working book and the office's own list are not.
fn signed(book: &Path) -> bool {
    let name = book.file_name().unwrap().to_string_lossy();
    !name.starts_with("xu_ly_du_lieu") && name != "khong_xac_dinh_truong.xlsx"
}

/// Checks every sheet of every workbook under `out`; returns each sheet's scale, for the
/// failure message.
fn check_every_sheet(out: &Path) -> Vec<String> {
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    let mut books: Vec<_> = walkdir(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    books.sort();
    assert!(books.len() >= 3, "{books:?}");
    for book in books {
        for page in pages(&book) {
            let name = format!(
                "{}: {}",
                book.file_name().unwrap().to_string_lossy(),
                page.sheet
            );
            seen.push(format!(
                "{name} {:.1} pt, {} pages",
                page.scale * BODY_PT,
                page.pages()
            ));
            let mut fail = |why: String| failures.push(format!("{name}: {why}"));
            if !(page.a4 && page.one_page_wide) {
                fail(format!("{page:?}"));
            }
            if page.scale < MIN_SCALE {
                fail(format!("prints at {:.0}%", page.scale * 100.0));
            }
            if signed(&book) && page.scale * BODY_PT < MIN_SIGNED_PT {
                fail(format!(
                    "prints its 12-point text at {:.1} pt",
                    page.scale * BODY_PT
                ));
            }
            // A sheet longer than a page repeats its table's header (the charts sheet holds
            // the data it plots beside the charts, no table to read across pages).
            let charts = page.sheet == "Biểu đồ";
            if page.rows > 40 && !charts && !page.repeats_header {
                failures.push(format!("{name}: {} rows, no header repeated", page.rows));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nall: {seen:#?}",
        failures.join("\n")
    );
    seen
}

/// Pages the workbook `name` under `out` prints on, by the estimate of `Page::pages`.
fn pages_of(out: &Path, name: &str) -> f64 {
    pages(&out.join(name)).iter().map(Page::pages).sum()
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The sample district and a generated 300-school one, with demonstration problems (long
/// messages, lists of people) and long school names.
#[test]
fn every_sheet_prints_on_a4_at_a_readable_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mau");
    bdtx(&run_args(&repo_path("input"), &out));
    let small = check_every_sheet(&out);
    let large_in = tmp.path().join("in300");
    sample(&large_in, 300, None);
    let large_out = tmp.path().join("out300");
    bdtx(&run_args(&large_in, &large_out));
    let large = check_every_sheet(&large_out);
    assert!(
        small.len() >= 20 && large.len() >= 20,
        "{small:?} {large:?}"
    );
    // What the office signs for 300 schools stays a report, not a book.
    let report = pages_of(
        &large_out.join("2024-2025"),
        "bao_cao_tong_hop_2024-2025.xlsx",
    );
    assert!(report <= 100.0, "{report} pages: {large:#?}");
}

/// The measure itself: a sheet of forty 12-character columns is too wide, of ten is not.
#[test]
fn the_page_measure_tells_a_wide_sheet_from_a_narrow_one() {
    let tmp = tempfile::tempdir().unwrap();
    for (columns, fits) in [(10u16, true), (40, false)] {
        let path = tmp.path().join(format!("w{columns}.xlsx"));
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for c in 0..columns {
            ws.write_string(0, c, "x").unwrap();
            ws.set_column_width(c, 12).unwrap();
        }
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        wb.save(&path).unwrap();
        let page = &pages(&path)[0];
        assert!(page.a4 && page.one_page_wide && page.landscape);
        // 297 mm less 2 × 0.7 in = 986 px; a column of 12 (12.71 stored) is 98 px.
        let expected = (986.9_f64 / (98.0 * columns as f64)).min(1.0);
        assert!(
            (page.scale - expected).abs() < 0.01,
            "{} vs {expected}",
            page.scale
        );
        assert_eq!(page.scale >= MIN_SCALE, fits);
    }
}

/// The job run on the committed sample into a temporary folder (kept while the first is
/// held): that folder and the output folder in it.
fn sample_outputs() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    bdtx(&run_args(&repo_path("input"), &out));
    (tmp, out)
}

/// The row breaks a sheet's XML sets ("<brk id=…>").
fn row_breaks(path: &Path, sheet: usize) -> Vec<u32> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{sheet}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("<brk ")
        .skip(1)
        .filter_map(|b| attr(&format!(" {b}"), "id")?.parse().ok())
        .collect()
}

/// Signatures never stand alone on a page under the repeated header: in the sample's staffing
/// report, "Độ tuổi" (19 rows at 100%, with the signatures 655 pt, over a 505-pt page) breaks
/// before its last three rows (row 25), "Trình độ CBQL" (11 rows) before its 9th, and the
/// forecast and the norms sheet (printed larger since their columns are narrower) before rows
/// 18 and 21; the lists, whose signatures fit their last page, get none.
#[test]
fn signatures_keep_the_last_rows_of_their_table() {
    let (_tmp, out) = sample_outputs();
    let report = out.join("2024-2025/bao_cao_doi_ngu_2024-2025.xlsx");
    let breaks: Vec<Vec<u32>> = (1..=6).map(|i| row_breaks(&report, i)).collect();
    // Định mức, Độ tuổi, Dự báo nghỉ hưu, Danh sách nghỉ hưu, Trình độ - Xếp loại, Trình độ CBQL.
    assert_eq!(
        breaks,
        [vec![20], vec![24], vec![17], vec![], vec![], vec![16]]
    );
}

/// The charts sheet prints two charts a page: the third (the retirements per year) starts a
/// page of its own instead of being cut across two (it began at the foot of page 13).
#[test]
fn no_chart_is_cut_across_two_pages() {
    let (_tmp, out) = sample_outputs();
    let report = out.join("2024-2025/bao_cao_doi_ngu_2024-2025.xlsx");
    // The seventh sheet: the charts, 16 rows each, from rows 0, 16 and 32.
    assert_eq!(row_breaks(&report, 7), [32]);
}

/// What a signed page never shows: machine codes ("reached_retirement"), file paths, notes
/// to developers. Read from every visible cell of the sample's signed documents (the
/// letters' hidden column of codes excepted; a letter names the school's own file by name).
#[test]
fn no_machine_words_on_signed_pages() {
    use calamine::{open_workbook_auto, Reader};
    let (_tmp, out) = sample_outputs();
    let notes = [
        "chưa đối chiếu",
        "coi như",
        "cần kiểm tra trước khi sử dụng",
        "schemas/",
        ".toml",
    ];
    let code = |t: &str| {
        t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| w.contains('_') && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    };
    let mut found = Vec::new();
    let mut cells = 0;
    let books: Vec<_> = walkdir(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx") && signed(p))
        .collect();
    assert!(books.len() >= 10, "{books:?}");
    for book in &books {
        let mut wb = open_workbook_auto(book).unwrap();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            let hidden: Vec<usize> = range
                .rows()
                .flat_map(|r| r.iter().enumerate())
                .filter(|(_, d)| **d == calamine::Data::String("Mã lỗi".into()))
                .map(|(c, _)| c)
                .collect();
            for row in range.rows() {
                for (c, d) in row.iter().enumerate() {
                    let t = d.to_string();
                    if t.is_empty() || hidden.contains(&c) {
                        continue;
                    }
                    cells += 1;
                    // A letter's line naming the school's own file ("Tệp: le_loi_bdtx.xlsx").
                    let own_file = t.starts_with("Tệp: ") && !t.contains('/');
                    // The self-check page the letter tells the school to open, by its name.
                    let own_file = own_file || t.contains(bdtx::check::page::FILE_NAME);
                    let path = t.contains(".xls") || t.contains('/') && t.contains('_');
                    let machine = code(&t) || path;
                    if (machine && !own_file) || notes.iter().any(|n| t.contains(n)) {
                        found.push(format!("{}: {name}: {t}", book.display()));
                    }
                }
            }
        }
    }
    assert!(cells > 2_000, "{cells}");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// A sheet's name, its columns' widths (Excel's unit as stored, by 1-based column; 8.43 +
/// 0.71 where none is set) and the first and last columns of its ranges merged in a row.
type MergedRow = (String, Vec<f64>, Vec<(u32, u32)>);

/// The ranges merged in row `row` of each sheet of a workbook.
fn merges_in_row(path: &Path, row: u32) -> Vec<MergedRow> {
    let mut sheets = Vec::new();
    for (name, xml) in sheets_of(path).1 {
        let mut widths = vec![8.43 + 0.71; 64];
        for col in xml.split("<col ").skip(1) {
            let col = format!(" {col}");
            let (min, max): (usize, usize) = (
                attr(&col, "min").unwrap().parse().unwrap(),
                attr(&col, "max").unwrap().parse().unwrap(),
            );
            let w: f64 = attr(&col, "width").unwrap().parse().unwrap();
            widths[min..=max.min(63)].fill(w);
        }
        let merged: Vec<(u32, u32)> = xml
            .split("<mergeCell ")
            .skip(1)
            .filter_map(|m| {
                let m = format!(" {m}");
                let r = attr(&m, "ref")?;
                let (a, b) = r.split_once(':')?;
                let ((c0, r0), (c1, _)) = (cell_ref(a), cell_ref(b));
                (r0 == row).then_some((c0, c1))
            })
            .collect();
        sheets.push((name, widths, merged));
    }
    sheets
}

/// The letterhead is never cut off: on every sheet of the sample's two reports, the issuing
/// body's line and the national motto each print within the merged cells that hold them,
/// as Excel lays columns out (7 pixels a character plus 5, the narrower of Excel and
/// LibreOffice). The lines' widths are LibreOffice's own (`pdftotext -bbox` of the lines at
/// 100%, Times New Roman 12 bold): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" 255.4 pt, "PHÒNG GIÁO
/// DỤC VÀ ĐÀO TẠO" 189.3 pt. The narrow staffing sheets ("Độ tuổi", "Trình độ CBQL") cut
/// the motto at both ends before.
#[test]
fn the_letterhead_prints_whole_on_narrow_sheets() {
    let (_tmp, out) = sample_outputs();
    let pt = |widths: &[f64], (c0, c1): (u32, u32)| -> f64 {
        (c0..=c1).map(|c| widths[c as usize] * 7.0 * 0.75).sum()
    };
    let mut seen = Vec::new();
    for book in [
        "bao_cao_tong_hop_2024-2025.xlsx",
        "bao_cao_doi_ngu_2024-2025.xlsx",
    ] {
        let path = out.join("2024-2025").join(book);
        let (issuer, motto) = (merges_in_row(&path, 2), merges_in_row(&path, 1));
        for ((sheet, widths, body), (_, _, top)) in issuer.iter().zip(&motto) {
            // Sheets with a letterhead: the issuer and the motto side by side in rows 1 and 2.
            let ([body, _], [_, motto]) = (body.as_slice(), top.as_slice()) else {
                continue;
            };
            let (body_pt, motto_pt) = (pt(widths, *body), pt(widths, *motto));
            assert!(body_pt >= 189.3, "{book}: {sheet}: body {body_pt} pt");
            assert!(motto_pt >= 255.4, "{book}: {sheet}: motto {motto_pt} pt");
            seen.push(sheet.clone());
        }
    }
    assert_eq!(
        seen,
        [
            "Báo cáo",
            "Định mức",
            "Độ tuổi",
            "Dự báo nghỉ hưu",
            "Danh sách nghỉ hưu",
            "Trình độ - Xếp loại",
            "Trình độ CBQL"
        ]
    );
}

/// A page does not cut a small group of schools (its name, its schools, its subtotal): on the
/// sample report's first sheet, "Thị trấn Phú Mỹ" goes over whole to page 2 (its subtotal
/// began page 2 under the repeated header, away from its two schools on page 1), and the
/// signatures take the last group, "Xã Đông Phong", whole to page 3 (its name was left alone
/// at the foot of page 2).
#[test]
fn a_group_of_schools_goes_over_whole() {
    use calamine::{open_workbook_auto, Data, Reader};
    let (_tmp, out) = sample_outputs();
    let report = out.join("2024-2025/bao_cao_tong_hop_2024-2025.xlsx");
    assert_eq!(row_breaks(&report, 1), [21, 41]);
    let mut book = open_workbook_auto(&report).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let name = |row: u32| match sheet.get_value((row, 2)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    // Each break falls before the 0-based row that starts the next page.
    let around = |row: u32| (name(row - 1), name(row), name(row + 1));
    let owned = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        around(21),
        owned("Toàn đơn vị", "Thị trấn Phú Mỹ", "Trường Tiểu học Trần Phú")
    );
    assert_eq!(
        around(41),
        owned(
            "Cộng Xã Yên Hòa",
            "Xã Đông Phong",
            "Trường Tiểu học Nguyễn Du"
        )
    );
}
