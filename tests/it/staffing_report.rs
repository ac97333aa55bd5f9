//! The printed staffing report: official heading from --district, its sheets, and the
//! year-over-year comparison from last year's summary.json or input folder.

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

/// One school; `teachers` teachers, all with a bachelor's degree.
fn district(dir: &Path, teachers: usize) {
    write_registry(dir, &[("TH01", "Trường Tiểu học Kim Đồng", "Tiểu học")]);
    let mut rows = vec![
        vec![S("Họ và tên"), S("Chức vụ"), S("Trình độ chuyên môn")],
        vec![S("Lê Hiệu"), S("HT"), S("ĐH")],
    ];
    for i in 0..teachers {
        let name: &'static str = Box::leak(format!("Lê Giáo {i}").into_boxed_str());
        rows.push(vec![
            S(name),
            S("GV"),
            S(if i == 0 { "CĐSP" } else { "ĐHSP" }),
        ]);
    }
    write_xlsx(&dir.join("kim_dong.xlsx"), &[("DS", rows)]);
}

fn cell(path: &Path, sheet: &str, row: u32, col: u32) -> Data {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn official_heading_and_year_over_year() {
    let tmp = tempfile::tempdir().unwrap();
    let (last_in, this_in) = (tmp.path().join("2023"), tmp.path().join("2024"));
    district(&last_in, 4);
    district(&this_in, 5);
    let last_out = tmp.path().join("out2023");
    bdtx(&[
        "run",
        "--input",
        last_in.to_str().unwrap(),
        "--output",
        last_out.to_str().unwrap(),
        "--year",
        "2023-2024",
    ]);
    let out = tmp.path().join("out");
    let previous = last_out.join("2023-2024/summary.json");
    bdtx(&[
        "run",
        "--input",
        this_in.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--year",
        "2024-2025",
        "--district",
        "Huyện Yên Hòa",
        "--previous",
        previous.to_str().unwrap(),
    ]);
    let report = out.join("2024-2025/bao_cao_doi_ngu_2024-2025.xlsx");
    let wb = open_workbook_auto(&report).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Định mức",
            "Độ tuổi",
            "Dự báo nghỉ hưu",
            "Danh sách nghỉ hưu",
            "Trình độ - Xếp loại",
            "Trình độ CBQL",
            "So sánh năm trước",
            "Biểu đồ",
            "Số liệu biểu đồ"
        ]
    );
    assert_eq!(
        cell(&report, "Định mức", 0, 0),
        Data::String("UBND HUYỆN YÊN HÒA".into())
    );
    assert_eq!(
        cell(&report, "Định mức", 1, 0),
        Data::String("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO".into())
    );
    let motto = cell(&report, "Định mức", 0, 7);
    assert_eq!(
        motto,
        Data::String("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into())
    );
    // Comparison rows start under the heading (row 7) and header (row 8): staff 6 vs 5,
    // teachers 5 vs 4, meeting the standard 80% vs 75%.
    let (first, col) = (8u32, 4u32);
    let figures: Vec<(Data, Data, Data)> = (0..3)
        .map(|i| {
            let r = first + i;
            (
                cell(&report, "So sánh năm trước", r, col),
                cell(&report, "So sánh năm trước", r, col + 1),
                cell(&report, "So sánh năm trước", r, col + 2),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            (Data::Float(6.), Data::Float(5.), Data::Float(1.)),
            (Data::Float(5.), Data::Float(4.), Data::Float(1.)),
            (Data::Float(80.), Data::Float(75.), Data::Float(5.)),
        ]
    );
    // Last year's input folder gives the same comparison as its summary.json.
    let out2 = tmp.path().join("out_dir");
    bdtx(&[
        "run",
        "--input",
        this_in.to_str().unwrap(),
        "--output",
        out2.to_str().unwrap(),
        "--year",
        "2024-2025",
        "--previous",
        last_in.to_str().unwrap(),
    ]);
    let report2 = out2.join("2024-2025/bao_cao_doi_ngu_2024-2025.xlsx");
    assert_eq!(cell(&report2, "So sánh năm trước", 10, 5), Data::Float(75.));
}

/// The issuing office from the registry's "Thông tin đơn vị" sheet (a province), and the CLI
/// winning over it (a commune); with neither, dotted blanks and a hint on the console.
#[test]
fn the_issuing_office_comes_from_the_registry_sheet_or_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    district(&input, 3);
    let registry = input.join("danh_muc_truong.xlsx");
    let rows = |sheet: &str| {
        let mut wb = open_workbook_auto(&registry).unwrap();
        let range = wb.worksheet_range(sheet).unwrap();
        range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|d| match d {
                        Data::String(s) => C::S(Box::leak(s.clone().into_boxed_str())),
                        Data::Float(x) => C::N(*x),
                        _ => C::E,
                    })
                    .collect::<Vec<C>>()
            })
            .collect::<Vec<_>>()
    };
    let list = rows("Danh mục");
    let info = vec![
        vec![S("Cấp"), S("Tỉnh")],
        vec![S("Địa bàn"), S("Ninh Bình")],
        vec![S("Số, ký hiệu"), S("15/BC-SGDĐT")],
        vec![S("Người ký"), S("Nguyễn Văn Bình")],
        vec![S("Nơi nhận"), S("UBND tỉnh; Lưu: VT")],
    ];
    write_xlsx(
        &registry,
        &[("Danh mục", list.clone()), ("Thông tin đơn vị", info)],
    );
    let run_to = |name: &str, extra: &[&str]| {
        let out = tmp.path().join(name);
        let mut args = run_args(&input, &out).to_vec();
        args.extend(extra);
        let printed = bdtx(&args);
        (
            out.join("2024-2025/bao_cao_doi_ngu_2024-2025.xlsx"),
            String::from_utf8_lossy(&printed.stdout).to_string(),
        )
    };
    let lines = |report: &Path| {
        let mut wb = open_workbook_auto(report).unwrap();
        let r = wb.worksheet_range("Định mức").unwrap();
        let texts: Vec<String> = r
            .rows()
            .flat_map(|row| {
                row.iter().filter_map(|d| match d {
                    Data::String(s) => Some(s.clone()),
                    _ => None,
                })
            })
            .collect();
        texts
    };
    let (report, _) = run_to("tinh", &[]);
    let texts = lines(&report);
    for expected in [
        "UBND TỈNH NINH BÌNH",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 15/BC-SGDĐT",
        "GIÁM ĐỐC",
        "Nguyễn Văn Bình",
        "Nơi nhận:",
        "- UBND tỉnh",
        "- Lưu: VT",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} not in {texts:?}"
        );
    }
    assert!(texts.iter().any(|t| t.starts_with("Ninh Bình, ngày")));

    let (report, _) = run_to("xa", &["--issuer-level", "xa", "--issuer-area", "Tân Lập"]);
    let texts = lines(&report);
    for expected in ["UBND XÃ TÂN LẬP", "PHÒNG VĂN HÓA - XÃ HỘI", "TRƯỞNG PHÒNG"] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} not in {texts:?}"
        );
    }

    write_xlsx(&registry, &[("Danh mục", list)]);
    let (report, console) = run_to("none", &[]);
    let texts = lines(&report);
    assert!(
        texts.iter().all(|t| !t.contains("PHÒNG GIÁO DỤC")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "THỦ TRƯỞNG ĐƠN VỊ"));
    assert!(
        console.contains("Chưa có tên đơn vị ban hành báo cáo"),
        "{console}"
    );
}
